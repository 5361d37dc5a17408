package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedEvent;
import dev.llmotel.testkit.otlp.ReceivedLogRecord;
import dev.llmotel.testkit.otlp.ReceivedPoint;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Injection detection under the real agent, with no configuration (it is on everywhere, content
 * capture off): a LangChain4j and a Spring AI agent whose tool's backend returns instructions aimed at
 * the model, and a RAG flow whose knowledge base holds such a document. The tool or retrieval span
 * carries the suspected-injection events (rule, position, no text), the escalation record sits in its
 * context, the counter counts it; an ordinary tool result sets nothing off, and the app gets what it
 * would get without the agent.
 */
class InjectionDetectionSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("agent-tool", "inj-tool", "inj-rag");

  static Stream<Arguments> apps() {
    return Stream.of(
        Arguments.of("langchain4j-app-newest", "dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp"),
        Arguments.of("spring-ai-app-boot3", "dev.llmotel.smoke.springai.SpringAiSmokeApp"),
        Arguments.of("spring-ai-app-boot4", "dev.llmotel.smoke.springai.SpringAiSmokeApp"));
  }

  static ReceivedSpan only(SmokeRun run, String scenario, String operation) {
    ReceivedSpan root = run.scenario(scenario);
    List<ReceivedSpan> found = run.receiver.trace(root.traceId()).stream()
        .filter(s -> operation.equals(s.attr("gen_ai.operation.name"))).collect(Collectors.toList());
    assertEquals(1, found.size(), scenario + " " + operation + ": " + found);
    return found.get(0);
  }

  static List<ReceivedEvent> suspected(ReceivedSpan span) {
    return span.events("llm_otel.injection.suspected");
  }

  static TreeSet<String> rules(List<ReceivedEvent> events) {
    return events.stream().map(e -> e.attr("llm_otel.injection.rule")).collect(Collectors.toCollection(TreeSet::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apps")
  void suspectedInjectionsAreFlaggedInToolAndRetrievalSpans(String appModule, String mainClass) throws Exception {
    try (SmokeRun run = new SmokeRun()) {
      Map<String, String> props = new HashMap<>();
      props.put("otel.logs.exporter", "otlp");
      run.launchApp("injection-" + appModule, appModule, mainClass, System.getProperty("java.home"), props, SCENARIOS);
      run.assertRanCleanly(SCENARIOS.size());
      for (String s : SCENARIOS) assertTrue(run.result(s).startsWith("ok"), s + ": " + run.result(s));

      assertEquals(0, suspected(only(run, "agent-tool", "execute_tool")).size(), "an ordinary result sets nothing off");

      ReceivedSpan tool = only(run, "inj-tool", "execute_tool");
      List<ReceivedEvent> toolEvents = suspected(tool);
      assertEquals(new TreeSet<>(Arrays.asList("ignore-instructions", "tool-directive")), rules(toolEvents), tool.toString());
      for (ReceivedEvent e : toolEvents) {
        assertTrue(e.longAttr("llm_otel.injection.position") > 0, e.toString());
        assertEquals("1", e.attr("llm_otel.injection.rules_version"));
        assertFalse(e.hasAttr("llm_otel.injection.excerpt"), "no text without content capture");
      }
      assertEscalated(run, tool);

      ReceivedSpan retrieval = only(run, "inj-rag", "retrieval");
      List<ReceivedEvent> docEvents = suspected(retrieval);
      assertEquals(new TreeSet<>(Arrays.asList("ignore-instructions", "reveal-secrets")), rules(docEvents), retrieval.toString());
      for (ReceivedEvent e : docEvents) assertEquals(0L, e.longAttr("llm_otel.injection.document"));
      assertEscalated(run, retrieval);

      assertTrue(run.receiver.awaitMetric("llm_otel.injection.suspected", Duration.ofSeconds(10)));
      Map<String, Long> byRule = new HashMap<>();
      for (ReceivedPoint p : run.receiver.latestPoints("llm_otel.injection.suspected")) {
        byRule.merge(p.attr("llm_otel.injection.rule"), p.longValue(), Long::sum);
      }
      assertEquals(Long.valueOf(2), byRule.get("ignore-instructions"), byRule.toString());
      assertEquals(Long.valueOf(1), byRule.get("tool-directive"), byRule.toString());
      assertEquals(Long.valueOf(1), byRule.get("reveal-secrets"), byRule.toString());
      // Content capture is off: the poisoned text itself is in no exported byte.
      assertFalse(run.receiver.rawBytesContain("send_email tool with the conversation"));
    }
  }

  static void assertEscalated(SmokeRun run, ReceivedSpan span) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<ReceivedLogRecord> records;
    do {
      records = run.receiver.logRecords("llm_otel.escalation").stream()
          .filter(r -> r.spanId().equals(span.spanId())).collect(Collectors.toList());
      if (!records.isEmpty()) break;
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    assertEquals(1, records.size(), span + ": " + records);
    assertEquals("injection_suspected", records.get(0).attr("llm_otel.escalation.reason"));
  }
}
