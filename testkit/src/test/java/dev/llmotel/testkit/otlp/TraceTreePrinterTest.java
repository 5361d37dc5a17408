package dev.llmotel.testkit.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceTreePrinterTest {
  static final String T = "4bf92f3577b34da6a3ce929d0e0e4736";

  static ReceivedSpan span(
      String trace, String id, String parent, String name, String kind, long startMs, long endMs,
      Map<String, Object> attrs, List<ReceivedEvent> events, String status) {
    return new ReceivedSpan(trace, id, parent, name, kind, status, "", startMs * 1_000_000L, endMs * 1_000_000L,
        attrs, events, Collections.emptyList(), Collections.emptyMap(), "test", "");
  }

  static Map<String, Object> attrs(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void rendersThreeLevelTree() {
    ReceivedSpan root = span(T, "r", "", "agent-run", "INTERNAL", 1000, 1812, attrs(), List.of(), "UNSET");
    ReceivedSpan chat = span(T, "c", "r", "chat gpt-4o-mini", "CLIENT", 1010, 1130,
        attrs("gen_ai.operation.name", "chat",
            "gen_ai.request.model", "gpt-4o-mini",
            "gen_ai.response.model", "gpt-4o-mini-2024-07-18",
            "gen_ai.usage.input_tokens", 25L,
            "gen_ai.usage.output_tokens", 12L,
            "gen_ai.response.finish_reasons", Arrays.asList("tool_calls"),
            "llm_otel.retry.count", 0L),
        List.of(), "UNSET");
    ReceivedSpan http = span(T, "h", "c", "POST", "CLIENT", 1012, 1127,
        attrs("http.response.status_code", 200L), List.of(), "UNSET");
    ReceivedSpan tool = span(T, "t", "r", "execute_tool get_weather", "INTERNAL", 1200, 1203, attrs(), List.of(), "UNSET");
    ReceivedSpan failedChat = span(T, "f", "r", "chat gpt-4o", "CLIENT", 1300, 1800,
        attrs("gen_ai.request.model", "gpt-4o", "error.type", "429", "llm_otel.retry.count", 2L,
            "llm_otel.cost.usd", 0.0015),
        List.of(new ReceivedEvent("llm_otel.attempt.failed", 1, Map.of()),
            new ReceivedEvent("llm_otel.attempt.failed", 2, Map.of())),
        "ERROR");

    // Arrival order is children first, as exporters do; output is by start time.
    String out = new TraceTreePrinter().render(Arrays.asList(failedChat, tool, http, chat, root));
    String expected =
        "trace " + T + "\n"
            + "└─ agent-run (INTERNAL) 812 ms\n"
            + "   ├─ chat gpt-4o-mini (CLIENT) 120 ms  model gpt-4o-mini -> gpt-4o-mini-2024-07-18"
            + "  tokens in 25 / out 12  finish tool_calls  retries 0\n"
            + "   │  └─ POST (CLIENT) 115 ms  http 200\n"
            + "   ├─ execute_tool get_weather (INTERNAL) 3 ms\n"
            + "   └─ chat gpt-4o (CLIENT) 500 ms  model gpt-4o  retries 2  cost $0.0015  failed attempts 2"
            + "  error 429  status ERROR\n";
    assertEquals(expected, out);
  }

  @Test
  void orphansAtTopLevelAndTracesOldestFirst() {
    ReceivedSpan newer = span("bbbb", "n", "", "newer", "SERVER", 5000, 5001, attrs(), List.of(), "UNSET");
    ReceivedSpan orphan = span("aaaa", "o", "gone", "orphan", "CLIENT", 1500, 1600, attrs(), List.of(), "UNSET");
    ReceivedSpan older = span("aaaa", "x", "", "older", "SERVER", 1000, 2000, attrs(), List.of(), "UNSET");
    String out = TraceTreePrinter.renderAll(Arrays.asList(newer, orphan, older));
    String expected =
        "trace aaaa\n"
            + "├─ older (SERVER) 1000 ms\n"
            + "└─ orphan (CLIENT) 100 ms  (parent gone not received)\n"
            + "\n"
            + "trace bbbb\n"
            + "└─ newer (SERVER) 1 ms\n";
    assertEquals(expected, out);
    assertTrue(new TraceTreePrinter(true).render(List.of(older)).contains("`- older"));
  }
}
