package dev.llmotel.instrumentation.googlegenai.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Fault injection and record/replay for Google GenAI 1.x, whose HTTP attempts go through Apache
 * HttpClient 4. A module of its own, with its own helper list, so that its helpers (which extend
 * HttpClient 4 types) are only injected where HttpClient 4 is: the Google module works without it.
 */
@AutoService(InstrumentationModule.class)
public class GoogleGenAiHttpClient4InstrumentationModule extends LlmInstrumentationModule {
  public GoogleGenAiHttpClient4InstrumentationModule() {
    super("llm-otel-instrumentation-google-genai-httpclient4", "llm-otel-google-genai-httpclient4",
        "llm-otel-google-genai", "llm-otel");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("com.google.genai.Models", "org.apache.http.impl.execchain.MainClientExec",
        "org.apache.http.entity.HttpEntityWrapper");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new HttpClient4AttemptInstrumentation());
  }
}
