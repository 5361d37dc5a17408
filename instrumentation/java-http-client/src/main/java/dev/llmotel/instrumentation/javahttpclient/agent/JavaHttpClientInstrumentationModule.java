package dev.llmotel.instrumentation.javahttpclient.agent;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * LLM calls made with the JDK's java.net.http.HttpClient directly (Java 11 on). Its classes are
 * the JDK's, so the helpers are injected where the JDK's classes see them. The facade the app holds
 * is instrumented; the agent's own instrumentation sits on the implementation below it, so the LLM
 * span is the parent of the agent's HTTP client span.
 */
@AutoService(InstrumentationModule.class)
public class JavaHttpClientInstrumentationModule extends LlmInstrumentationModule {
  public JavaHttpClientInstrumentationModule() {
    super("llm-otel-instrumentation-java-http-client", "llm-otel-java-http-client", "llm-otel-http-clients",
        "llm-otel");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new HttpClientFacadeInstrumentation());
  }
}
