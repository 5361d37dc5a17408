package dev.llmotel.instrumentation.okhttp.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * LLM calls made with OkHttp directly (legacy agents without an SDK): every OkHttpClient gets
 * llm-otel's interceptor first in its chain; it acts only on requests to known LLM endpoints.
 * OkHttp 3.x, 4.x and 5.x keep the same Java API (3.14 added one-shot and duplex request bodies).
 */
@AutoService(InstrumentationModule.class)
public class OkHttpInstrumentationModule extends LlmInstrumentationModule {
  public OkHttpInstrumentationModule() {
    super("llm-otel-instrumentation-okhttp", "llm-otel-okhttp", "llm-otel-http-clients", "llm-otel");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("okhttp3.OkHttpClient", "okhttp3.Interceptor", "okio.ForwardingSource");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(new OkHttpClientInstrumentation(), new AsyncCallInstrumentation());
  }
}
