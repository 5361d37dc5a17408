package dev.llmotel.instrumentation.apachehttpclient5.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/** LLM calls made with Apache HttpClient 5's classic client directly (legacy agents without an SDK). */
@AutoService(InstrumentationModule.class)
public class ApacheHttpClientInstrumentationModule extends LlmInstrumentationModule {
  public ApacheHttpClientInstrumentationModule() {
    super("llm-otel-instrumentation-apache-httpclient-5", "llm-otel-apache-httpclient-5", "llm-otel-http-clients",
        "llm-otel");
  }

  /**
   * The agent's own apache-httpclient-5.0 instrumentation hooks the same execute methods; advice
   * applied first runs outermost, so this module goes first: the LLM span is the parent of the
   * agent's HTTP span.
   */
  @Override
  public int order() {
    return -1;
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("org.apache.hc.client5.http.impl.classic.CloseableHttpClient",
        "org.apache.hc.core5.http.io.entity.HttpEntityWrapper");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(new ClassicClientInstrumentation(), new ConnectStepInstrumentation(),
        new CloseableResponseInstrumentation());
  }
}
