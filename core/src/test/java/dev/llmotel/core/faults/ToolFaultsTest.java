package dev.llmotel.core.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.injection.InjectionPayloads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The fault file's tool_faults: selection, seeded probability, times under concurrency, each kind's effect. */
class ToolFaultsTest {
  @Test
  void rulesSelectByToolAgentAndWorkflowInFileOrder() {
    Faults f = Faults.parse("{\"tool_faults\": ["
        + "{\"fault\": \"tool_error\", \"tool\": \"search_.*\", \"agent\": \"Support\", \"exception\": \"java.io.IOException\"},"
        + "{\"fault\": \"tool_latency\", \"workflow\": \"checkout\", \"ms\": 5},"
        + "{\"fault\": \"tool_result\", \"tool\": \"get_weather\"}]}");
    assertTrue(f.toolFaultsEnabled());
    assertEquals(ToolFaultKind.TOOL_ERROR, f.decideTool("search_orders", "Support", null).kind);
    assertNull(f.decideTool("search_orders", "Billing", null), "the agent must match");
    assertEquals(ToolFaultKind.TOOL_LATENCY, f.decideTool("anything", null, "checkout").kind);
    ToolFault empty = f.decideTool("get_weather", null, null);
    assertEquals("", empty.result("{\"temperature_c\": 18}"), "a result fault without text empties the result");
    assertNull(f.decideTool("other", null, "other"));
    Throwable io = f.decideTool("search_orders", "Support", null).failure(getClass().getClassLoader());
    assertEquals(java.io.IOException.class, io.getClass(), "a checked exception type, as named");
  }

  @Test
  void eachKindDoesWhatItSays() {
    Faults f = Faults.parse("{\"tool_faults\": ["
        + "{\"fault\": \"tool_timeout\", \"tool\": \"t\", \"ms\": 7},"
        + "{\"fault\": \"injected_instructions\", \"tool\": \"a\", \"payload\": \"reveal-prompt\"},"
        + "{\"fault\": \"injected_instructions\", \"tool\": \"r\", \"placement\": \"replace\", \"payload_text\": \"X\"},"
        + "{\"fault\": \"tool_error\", \"tool\": \"e\", \"exception\": \"no.such.Type\", \"message\": \"m\"}]}");
    ToolFault timeout = f.decideTool("t", null, null);
    assertEquals(7, timeout.waitMillis());
    assertEquals(TimeoutException.class, timeout.failure(null).getClass());
    assertEquals("real\n" + InjectionPayloads.get("reveal-prompt").text, f.decideTool("a", null, null).result("real"));
    assertEquals(InjectionPayloads.get("reveal-prompt").text, f.decideTool("a", null, null).result(42),
        "appending needs text: an object result is replaced");
    assertEquals("X", f.decideTool("r", null, null).result("real"));
    Throwable unknown = f.decideTool("e", null, null).failure(getClass().getClassLoader());
    assertEquals(RuntimeException.class, unknown.getClass());
    assertTrue(unknown.getMessage().contains("no.such.Type"), unknown.getMessage());
  }

  @Test
  void aSeededProbabilityDrawsTheSameExecutionsEveryRun() {
    String file = "{\"seed\": 42, \"tool_faults\": [{\"fault\": \"tool_error\", \"probability\": 0.3}]}";
    List<Integer> first = fired(Faults.parse(file), 200);
    assertEquals(first, fired(Faults.parse(file), 200));
    assertTrue(first.size() > 30 && first.size() < 90, "about 30%: " + first.size());
    assertTrue(!first.equals(fired(Faults.parse(file.replace("42", "43")), 200)), "another seed, other draws");
  }

  static List<Integer> fired(Faults f, int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) if (f.decideTool("t", null, null) != null) out.add(i);
    return out;
  }

  @Test
  void timesHoldsWhen64ToolsStartTogether() throws Exception {
    for (int round = 0; round < 20; round++) {
      Faults f = Faults.parse("{\"tool_faults\": [{\"fault\": \"tool_error\", \"times\": 5}]}");
      ExecutorService pool = Executors.newFixedThreadPool(64);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> got = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        got.add(pool.submit(() -> {
          start.await();
          return f.decideTool("t", null, null) != null;
        }));
      }
      start.countDown();
      int injected = 0;
      for (Future<Boolean> g : got) if (g.get(10, TimeUnit.SECONDS)) injected++;
      pool.shutdown();
      assertEquals(5, injected, "round " + round);
    }
  }

  @Test
  void aBadToolFaultRejectsTheFileWithWhatIsWrong() {
    for (String bad : new String[] {"{\"tool_faults\": [{\"fault\": \"tool_explodes\"}]}",
        "{\"tool_faults\": [{\"fault\": \"tool_error\", \"tool\": \"(\"}]}",
        "{\"tool_faults\": [{\"fault\": \"tool_error\", \"probability\": 2}]}",
        "{\"tool_faults\": [{\"fault\": \"injected_instructions\", \"payload\": \"nope\"}]}",
        "{\"tool_faults\": [{\"fault\": \"injected_instructions\", \"placement\": \"middle\"}]}",
        "{\"tool_faults\": {}}", "{\"seed\": 1}"}) {
      assertThrows(IllegalArgumentException.class, () -> Faults.parse(bad), bad);
    }
  }

  @Test
  void aTimelineOverlapsFaultsByCallsAndByTime() throws Exception {
    // Calls 3 and 4 of search_orders time out; every weather call in the first 300 ms is slow, none later.
    Faults f = Faults.parse("{\"tool_faults\": ["
        + "{\"fault\": \"tool_timeout\", \"tool\": \"search_orders\", \"from_call\": 3, \"until_call\": 5, \"ms\": 1},"
        + "{\"fault\": \"tool_latency\", \"tool\": \"get_weather\", \"until\": \"300ms\", \"ms\": 1}]}");
    List<Integer> timedOut = new ArrayList<>();
    for (int i = 1; i <= 6; i++) if (f.decideTool("search_orders", null, null) != null) timedOut.add(i);
    assertEquals(java.util.Arrays.asList(3, 4), timedOut);
    assertEquals(ToolFaultKind.TOOL_LATENCY, f.decideTool("get_weather", null, null).kind);
    Thread.sleep(350);
    assertNull(f.decideTool("get_weather", null, null), "the storm is over");
    // The LLM rules take the same timeline: a 429 from the second minute only.
    Faults later = Faults.parse("{\"faults\": [{\"fault\": \"http_429\", \"from\": \"1m\"}]}");
    assertNull(later.decide("openai", "gpt-4o-mini", null, "chat", false, false));
    assertEquals(60_000_000_000L, Timeline.duration("x", "1m", 0));
    assertEquals(1_500_000_000L, Timeline.duration("x", 1.5, 0));
    assertThrows(IllegalArgumentException.class, () -> Faults.parse(
        "{\"faults\": [{\"fault\": \"http_429\", \"from\": \"2m\", \"until\": \"1m\"}]}"));
    assertThrows(IllegalArgumentException.class, () -> Faults.parse(
        "{\"faults\": [{\"fault\": \"http_429\", \"until\": \"soon\"}]}"));
  }
}
