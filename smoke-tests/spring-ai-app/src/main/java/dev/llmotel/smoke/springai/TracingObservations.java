package dev.llmotel.smoke.springai;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An app that turned Spring AI's observations on and traces them itself, the way Spring Boot's
 * tracing auto-configuration wires it: Micrometer Tracing's OpenTelemetry bridge over the
 * (agent's) global OpenTelemetry, plus a handler of the app's own that counts model calls.
 */
final class TracingObservations {
  final ObservationRegistry registry = ObservationRegistry.create();
  final AtomicInteger modelCallsObserved = new AtomicInteger();

  TracingObservations() {
    OtelTracer tracer = new OtelTracer(GlobalOpenTelemetry.getTracer("app-micrometer-tracing"),
        new OtelCurrentTraceContext(), event -> {});
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
      @Override
      public void onStart(Observation.Context context) {
        if (context.getClass().getSimpleName().equals("ChatModelObservationContext")) modelCallsObserved.incrementAndGet();
      }

      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }
    });
  }
}
