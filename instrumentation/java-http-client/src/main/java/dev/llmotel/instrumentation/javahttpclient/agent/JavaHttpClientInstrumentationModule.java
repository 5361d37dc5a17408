package dev.llmotel.instrumentation.javahttpclient.agent;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * LLM calls made with the JDK's java.net.http.HttpClient directly (Java 11 on). Its classes are
 * the JDK's, so the helpers are injected where the JDK's classes see them.
 */
@AutoService(InstrumentationModule.class)
public class JavaHttpClientInstrumentationModule extends LlmInstrumentationModule {
  public JavaHttpClientInstrumentationModule() {
    super("llm-otel-instrumentation-java-http-client", "llm-otel-java-http-client", "llm-otel-http-clients",
        "llm-otel");
  }

  /**
   * After the agent's own java-http-client instrumentation, so that this advice wraps the agent's:
   * the LLM span starts first and the agent's HTTP client span is its child.
   */
  @Override
  public int order() {
    return 1;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new HttpClientFacadeInstrumentation());
  }
}
