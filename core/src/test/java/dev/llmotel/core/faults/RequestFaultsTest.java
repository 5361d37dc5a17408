package dev.llmotel.core.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** http_faults: the rules for the agent's HTTP requests that are no LLM calls, without a client. */
class RequestFaultsTest {
  static final String FILE = "{\"seed\": 3, \"http_faults\": ["
      + "{\"fault\": \"latency\", \"ms\": 200, \"host\": \"vector-db\\\\.internal\"},"
      + "{\"fault\": \"http_503\", \"host\": \"vector-db\\\\.internal\", \"path\": \"/search.*\", \"method\": \"post\"},"
      + "{\"fault\": \"connection_failure\", \"path\": \"/orders/.*\", \"workflow\": \"checkout\"},"
      + "{\"fault\": \"truncated_response\", \"host\": \"cdn\\\\..*\", \"after_bytes\": 5, \"times\": 2}]}";

  @Test
  void rulesSelectByHostPathMethodAndWorkflowAndCombineLatencyWithOneOutcome() {
    Faults f = Faults.parse(FILE);
    assertTrue(f.requestFaultsEnabled());
    assertTrue(f.enabled());
    InjectedFault search = f.decideRequest("POST", "vector-db.internal", "/search/v2", null);
    assertEquals(200, search.latencyMillis);
    assertEquals(FaultKind.HTTP_503, search.kind);
    InjectedFault get = f.decideRequest("GET", "vector-db.internal", "/search/v2", null);
    assertNull(get.kind, "the 503 rule is for POST only");
    assertEquals(200, get.latencyMillis);
    assertNull(f.decideRequest("GET", "api.internal", "/orders/7", "browse"), "another workflow");
    assertEquals(FaultKind.CONNECTION_FAILURE, f.decideRequest("GET", "api.internal", "/orders/7", "checkout").kind);
    assertNull(f.decideRequest("GET", "api.internal", "/orders", "checkout"), "the path regex matches the whole path");
    assertNull(f.decideRequest("GET", "evil-vector-db.internal.example", "/search", null),
        "the host regex matches the whole host, not a look-alike containing it");
    assertEquals(5, f.decideRequest("GET", "cdn.example", "/a", null).afterBytes());
    assertFalse(Faults.parse("{\"faults\": [{\"fault\": \"http_429\"}]}").requestFaultsEnabled());
  }

  @Test
  void llmCallRulesNeverMatchOtherRequestsNorTheOtherWayRound() {
    Faults f = Faults.parse("{\"faults\": [{\"fault\": \"http_429\"}], "
        + "\"http_faults\": [{\"fault\": \"http_500\", \"host\": \".*\"}]}");
    assertEquals(FaultKind.HTTP_429, f.decide("openai", "gpt-4o-mini", null, "chat", false, true).kind);
    assertEquals(FaultKind.HTTP_500, f.decideRequest("GET", "anything", "/", null).kind);
  }

  @Test
  void aBrokenHttpFaultSaysWhatIsWrong() {
    assertTrue(message("{\"http_faults\": [{\"fault\": \"http_503\"}]}").contains("needs \"host\" or \"path\""));
    assertTrue(message("{\"http_faults\": [{\"fault\": \"stream_cut\", \"host\": \"x\"}]}").contains("for LLM calls only"));
    assertTrue(message("{\"http_faults\": [{\"fault\": \"unknown_tool_call\", \"host\": \"x\"}]}").contains("for LLM calls only"));
    assertTrue(message("{\"http_faults\": [{\"fault\": \"http_503\", \"host\": \"x\", \"model\": \"gpt\"}]}")
        .contains("are for LLM calls"));
    assertTrue(message("{\"faults\": [{\"fault\": \"http_503\", \"host\": \"x\"}]}").contains("are for \"http_faults\""));
    assertTrue(message("{\"http_faults\": [{\"fault\": \"http_503\", \"host\": \"(\"}]}").contains("not a regex"));
    assertTrue(message("{\"http_faults\": {}}").contains("must be lists"));
  }

  private static String message(String file) {
    return assertThrows(IllegalArgumentException.class, () -> Faults.parse(file)).getMessage();
  }

  @Test
  void aSeededDrillDrawsTheSameRequestFaultsAndTheyNeverCoincideWithTheLlmRulesDraws() {
    String file = "{\"seed\": 11, \"faults\": [{\"fault\": \"http_500\", \"probability\": 0.5}],"
        + " \"http_faults\": [{\"fault\": \"http_500\", \"host\": \"db\", \"probability\": 0.5}]}";
    List<Boolean> requests = new ArrayList<>();
    List<Boolean> calls = new ArrayList<>();
    Faults f = Faults.parse(file);
    for (int i = 0; i < 200; i++) {
      requests.add(f.decideRequest("GET", "db", "/", null) != null);
      calls.add(f.decide("openai", "m", null, "chat", false, true) != null);
    }
    List<Boolean> again = new ArrayList<>();
    Faults g = Faults.parse(file);
    for (int i = 0; i < 200; i++) again.add(g.decideRequest("GET", "db", "/", null) != null);
    assertEquals(requests, again, "the same seed, the same requests: the same faults");
    assertFalse(requests.equals(calls), "request rules draw their own sequence");
    long fired = requests.stream().filter(b -> b).count();
    assertTrue(fired > 70 && fired < 130, "about half of 200: " + fired);
  }

  /** 64 threads started together against a rule of times 5: exactly 5 requests get the fault. */
  @Test
  void timesHoldsUnderConcurrency() throws Exception {
    for (int round = 0; round < 10; round++) {
      Faults f = Faults.parse("{\"http_faults\": [{\"fault\": \"http_503\", \"path\": \"/x\", \"times\": 5}]}");
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger faulted = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        Thread t = new Thread(() -> {
          try {
            start.await();
            if (f.decideRequest("GET", "h", "/x", null) != null) faulted.incrementAndGet();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        t.start();
        threads.add(t);
      }
      start.countDown();
      for (Thread t : threads) t.join();
      assertEquals(5, faulted.get(), "round " + round);
    }
  }

  @Test
  void aForwardingReportKeepsNothingItselfAndTheHostGetsEverything() {
    DrillReport host = new DrillReport();
    DrillReport forwarding = new DrillReport(host::apply);
    forwarding.request("checkout", "http_503");
    forwarding.request("checkout", "http_503");
    forwarding.call("checkout", Arrays.asList("latency"), 1_000_000L, false, 0, 0.01);
    forwarding.faultAt("00f067aa0ba902b7", "connection_failure");
    assertEquals(Arrays.asList("connection_failure"), host.takeFaultsAt("00f067aa0ba902b7"));
    assertNull(forwarding.takeFaultsAt("00f067aa0ba902b7"), "taken once");
    java.util.Map<?, ?> w = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) host.json(null).get("workflows")).get("checkout");
    assertEquals(2L, ((java.util.Map<?, ?>) w.get("request_faults")).get("http_503"));
    assertEquals(1L, ((java.util.Map<?, ?>) w.get("faults")).get("latency"));
    assertTrue(((java.util.Map<?, ?>) forwarding.json(null).get("workflows")).isEmpty());
  }

  @Test
  void faultsWaitingForASpanThatNeverEndsAreBounded() {
    DrillReport report = new DrillReport();
    for (int i = 0; i < DrillReport.MAX_PENDING_SPANS + 500; i++) report.faultAt(String.format("%016x", i), "latency");
    assertNull(report.takeFaultsAt(String.format("%016x", 0)), "the oldest was let go");
    assertEquals(Arrays.asList("latency"), report.takeFaultsAt(String.format("%016x", DrillReport.MAX_PENDING_SPANS + 499)));
  }
}
