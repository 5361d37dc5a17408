package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.otlp.ReceivedLogRecord;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One extra configuration scores sampled answers whatever library made the call: each instrumented
 * library's app (the SDKs, the frameworks, the plain HTTP clients) runs a blocking and a streamed
 * call under the real agent with the judge on, and each call's answer has its relevance result in its
 * span's context, scored by the fake judge from the answer the app really got.
 */
class EvaluationAcrossLibrariesSmokeTest {
  static Stream<Arguments> apps() {
    return Stream.of(
        Arguments.of("anthropic-app-newest", "dev.llmotel.smoke.anthropic.AnthropicSmokeApp", Arrays.asList("chat", "chat-stream")),
        Arguments.of("google-genai-app-newest", "dev.llmotel.smoke.googlegenai.GoogleGenAiSmokeApp", Arrays.asList("chat", "chat-stream")),
        Arguments.of("bedrock-app-newest", "dev.llmotel.smoke.bedrock.BedrockSmokeApp", Arrays.asList("converse", "converse-stream")),
        Arguments.of("langchain4j-app-newest", "dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp", Arrays.asList("chat", "chat-stream")),
        Arguments.of("spring-ai-app-boot3", "dev.llmotel.smoke.springai.SpringAiSmokeApp", Arrays.asList("chat", "chat-stream")),
        Arguments.of("okhttp-app-5", "dev.llmotel.smoke.okhttp.OkHttpSmokeApp", Arrays.asList("chat", "chat-stream", "anthropic", "gemini")),
        Arguments.of("java-http-client-app", "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp", Arrays.asList("chat", "chat-stream")),
        Arguments.of("apache-httpclient-5-app-newest", "dev.llmotel.smoke.apachehttp.ApacheHttpClientSmokeApp", Arrays.asList("chat", "chat-stream")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apps")
  void everyLibrarysAnswersAreScored(String appModule, String mainClass, List<String> scenarios) throws Exception {
    try (SmokeRun run = new SmokeRun()) {
      Map<String, String> props = EvaluationSmokeTest.judge(run);
      props.put("otel.instrumentation.llm-otel.evaluation.sample-rate", "1");
      props.put("otel.instrumentation.llm-otel.evaluation.evaluators", "relevance");
      props.put("smoke.await-evaluations", "true");
      run.launchApp("evaluation-" + appModule, appModule, mainClass, System.getProperty("java.home"), props, scenarios);
      run.assertRanCleanly(scenarios.size());
      for (String scenario : scenarios) {
        assertTrue(run.result(scenario).startsWith("ok"), scenario + ": " + run.result(scenario));
        ReceivedSpan span = run.onlyLlmSpan(scenario);
        List<ReceivedLogRecord> results = awaitResults(run, span);
        assertEquals(1, results.size(), appModule + " " + scenario + ": " + results);
        ReceivedLogRecord r = results.get(0);
        assertEquals("relevance", r.attr("gen_ai.evaluation.name"));
        assertEquals(FakeLlmServer.DEFAULT_JUDGE_SCORE, r.doubleAttr("gen_ai.evaluation.score.value"), 1e-9);
        assertEquals(span.attr("gen_ai.provider.name"), r.attr("gen_ai.provider.name"));
        assertEquals("scenario " + scenario, r.attr("llm_otel.workflow"));
        assertFalse(r.hasAttr("error.type"), r.toString());
      }
      // Each judge request carried an answer the app got (the fake server's answers start so).
      List<String> judged = run.llm.requests().stream().map(q -> q.body())
          .filter(b -> b.contains(FakeLlmServer.JUDGE_SCHEMA)).collect(Collectors.toList());
      assertEquals(scenarios.size(), judged.size(), judged.toString());
      for (String body : judged) assertTrue(body.contains("<<Answer>>\\nFake answer") || body.contains("<<Answer>>\\n{"), body);
    }
  }

  /** The results in the span's context; log records leave in their own batches after the spans. */
  static List<ReceivedLogRecord> awaitResults(SmokeRun run, ReceivedSpan span) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    List<ReceivedLogRecord> found;
    do {
      found = EvaluationSmokeTest.results(run, span);
      if (!found.isEmpty()) return found;
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return found;
  }
}
