package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The governance policies in enforce mode on plain HTTP clients: a refused call fails with the
 * IOException the client throws when a call cannot be made, naming the policy, and sends nothing;
 * an allowed call in the same app goes through. Certainty before enforcement: requests to paths that
 * look like LLM APIs' but carry other bodies (an ordinary messaging API at {@code
 * /chat-service/v1/messages}, sent five times in one trace) are no LLM calls, so nothing refuses
 * them; and LLM calls whose body the client sends once (llm-otel cannot read it first) are traced
 * but only ever monitored. These ride on the same launch as the refusal.
 */
class RawHttpGovernanceSmokeTest {
  @ParameterizedTest
  @CsvSource({
      "okhttp-app-5, dev.llmotel.smoke.okhttp.OkHttpSmokeApp",
      "java-http-client-app, dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp",
      "apache-httpclient-5-app-newest, dev.llmotel.smoke.apachehttp.ApacheHttpClientSmokeApp"})
  void anOversizedPromptIsRefusedWithAnIoExceptionAndSendsNothing(String appModule, String mainClass) throws Exception {
    try (SmokeRun run = new SmokeRun(); LookAlikeServer lookAlikes = new LookAlikeServer()) {
      Map<String, String> properties = new HashMap<>(GovernanceFiles.properties("enforce"));
      properties.put("smoke.lookalike.url", lookAlikes.url());
      run.llm.script("out-chat-wrong", Behaviour.answerText("{\"town\":\"Paris\"}"));
      run.launchApp("governance-" + appModule, appModule, mainClass, System.getProperty("java.home"),
          properties, List.of("gov-big-prompt", "chat", "lookalike-messaging", "lookalike-others", "unread-body-repeated",
              "out-chat-valid", "out-chat-wrong"));
      run.assertRanCleanly(7);
      String appSaw = run.result("gov-big-prompt");
      assertTrue(appSaw.startsWith("error java.io.IOException llm-otel policy input_tokens refused this call"), appSaw);
      assertEquals(0, run.llm.requests("gov-big-prompt").size(), "nothing reached the provider");
      List<ReceivedSpan> spans = run.receiver.children(run.scenario("gov-big-prompt"));
      assertEquals(1, spans.size(), spans.toString());
      GovernanceEnforceSmokeTest.assertRefused(spans.get(0), "input_tokens", "java.io.IOException");
      assertTrue(run.result("chat").startsWith("ok status=200"), "an allowed call goes through: " + run.result("chat"));

      // The loop guard (enforce, max_repeats 2) would refuse the third identical LLM call of a trace.
      assertEquals("ok statuses=200,200,200,200,200", run.result("lookalike-messaging"));
      assertEquals(5, lookAlikes.posts("/chat-service/v1/messages"), "every message was sent");
      assertNoLlmSpanAndNoDecision(run, "lookalike-messaging");
      assertEquals("ok statuses=200,200,200,200,200,200", run.result("lookalike-others"));
      assertNoLlmSpanAndNoDecision(run, "lookalike-others");

      assertEquals("ok statuses=200,200,200,200,200", run.result("unread-body-repeated"),
          "never refused: the body could not be read before sending");
      assertEquals(5, run.llm.requests("unread-body-repeated").size(), "all five reached the provider");
      List<ReceivedSpan> unread = run.llmSpans("unread-body-repeated");
      assertEquals(5, unread.size(), "traced all the same: " + unread);
      for (ReceivedSpan span : unread) {
        assertEquals("chat", span.name(), "unmapped: no model");
        assertTrue(!"refused".equals(span.attr("llm_otel.policy.decision")), span.toString());
      }
      ReceivedSpan last = unread.get(4);
      assertEquals("loop_guard", last.attr("llm_otel.policy.name"), "the policy still decides: " + last);
      assertEquals("would_refuse", last.attr("llm_otel.policy.decision"), "but only monitors");

      // output_validation (enforce): an answer in the wrong structure fails the app's read of the body
      // with the client's own I/O exception, naming the policy and the violation; one that fits passes.
      assertTrue(run.result("out-chat-valid").startsWith("ok status=200"), run.result("out-chat-valid"));
      String rejected = run.result("out-chat-wrong");
      assertTrue(rejected.startsWith("error java.io.IOException llm-otel policy output_validation rejected this call's "
          + "answer: the answer is invalid ($: required)"), rejected);
      ReceivedSpan wrong = run.onlyLlmSpan("out-chat-wrong");
      GovernanceEnforceSmokeTest.assertRefused(wrong, "output_validation", "java.io.IOException");
      assertEquals(1, run.llm.requests("out-chat-wrong").size(), "the call itself was made");
    }
  }

  private static void assertNoLlmSpanAndNoDecision(SmokeRun run, String scenario) {
    assertEquals(List.of(), run.llmSpans(scenario), scenario + ": no LLM span");
    List<ReceivedSpan> trace = run.receiver.trace(run.scenario(scenario).traceId());
    assertEquals(List.of(), trace.stream().filter(s -> s.hasAttr("llm_otel.policy.decision"))
        .collect(Collectors.toList()), scenario + ": no policy decided");
  }

  /** An ordinary API at paths that end like LLM APIs': 200 and a small JSON answer to every request. */
  static final class LookAlikeServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();

    LookAlikeServer() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        if ("POST".equals(exchange.getRequestMethod())) {
          posts.computeIfAbsent(exchange.getRequestURI().getPath(), k -> new AtomicInteger()).incrementAndGet();
        }
        byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(200, ok.length);
        exchange.getResponseBody().write(ok);
        exchange.close();
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int posts(String path) {
      AtomicInteger n = posts.get(path);
      return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
