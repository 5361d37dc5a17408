package dev.llmotel.instrumentation.mcp;

import dev.llmotel.core.LlmOtelVersion;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.util.Arrays;
import java.util.List;

/** The tracer and instruments of this module, made once per class loader when the first MCP request is traced. */
final class McpTelemetry {
  static final String SCOPE = "dev.llmotel.mcp";
  /** The conventions' advice for the MCP operation durations. */
  static final List<Double> BUCKETS = Arrays.asList(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0,
      60.0, 120.0, 300.0);
  private static volatile McpTelemetry instance;

  final Tracer tracer;
  final DoubleHistogram clientDuration;
  final DoubleHistogram serverDuration;
  final DoubleHistogram clientSessionDuration;
  final DoubleHistogram serverSessionDuration;
  final LongCounter toolFaults;

  private McpTelemetry() {
    tracer = GlobalOpenTelemetry.get().tracerBuilder(SCOPE).setInstrumentationVersion(LlmOtelVersion.VERSION).build();
    Meter meter = GlobalOpenTelemetry.get().getMeterProvider().meterBuilder(SCOPE)
        .setInstrumentationVersion(LlmOtelVersion.VERSION).build();
    clientDuration = meter.histogramBuilder("mcp.client.operation.duration").setUnit("s")
        .setDescription("Duration of MCP requests as the client sees them.").setExplicitBucketBoundariesAdvice(BUCKETS)
        .build();
    serverDuration = meter.histogramBuilder("mcp.server.operation.duration").setUnit("s")
        .setDescription("Duration of MCP requests as the server handles them.").setExplicitBucketBoundariesAdvice(BUCKETS)
        .build();
    clientSessionDuration = meter.histogramBuilder("mcp.client.session.duration").setUnit("s")
        .setDescription("Duration of MCP client sessions, from the session's creation to its close.")
        .setExplicitBucketBoundariesAdvice(BUCKETS).build();
    serverSessionDuration = meter.histogramBuilder("mcp.server.session.duration").setUnit("s")
        .setDescription("Duration of MCP server sessions, from the session's creation to its close or deletion.")
        .setExplicitBucketBoundariesAdvice(BUCKETS).build();
    toolFaults = meter.counterBuilder("llm_otel.tool.faults").setUnit("{fault}")
        .setDescription("Faults a chaos drill injected into tool executions, by tool and kind.").build();
  }

  static McpTelemetry get() {
    McpTelemetry t = instance;
    if (t == null) {
      synchronized (McpTelemetry.class) {
        if (instance == null) instance = new McpTelemetry();
        t = instance;
      }
    }
    return t;
  }
}
