package dev.llmotel.core.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drill report's numbers per workflow, with and without faults, its files, and its page's escaping. */
class DrillReportTest {
  @TempDir Path dir;

  @Test
  void numbersPerWorkflowWithAndWithoutFaults() throws Exception {
    DrillReport r = new DrillReport();
    r.call("checkout", Arrays.asList("http_429"), 2_000_000_000L, false, 2, 0.002);
    r.call("checkout", Collections.<String>emptyList(), 1_000_000_000L, false, 0, 0.001);
    r.call("checkout", null, 3_000_000_000L, true, 0, null);
    r.tool("checkout", "tool_timeout", 5_000_000_000L, true);
    r.run("checkout", true, DrillReport.FAILED, 6_000_000_000L, 2, 0.002);
    r.run("checkout", false, DrillReport.ANSWERED, 1_000_000_000L, 0, 0.001);
    Map<?, ?> w = (Map<?, ?>) ((Map<?, ?>) Json.parse(Json.write(r.json("storm")))).get("workflows");
    Map<?, ?> checkout = (Map<?, ?>) w.get("checkout");
    assertEquals(1, n(((Map<?, ?>) checkout.get("faults")).get("http_429")));
    assertEquals(1, n(((Map<?, ?>) checkout.get("faults")).get("tool_timeout")));
    Map<?, ?> calls = (Map<?, ?>) checkout.get("calls");
    Map<?, ?> faulted = (Map<?, ?>) calls.get("with_faults");
    Map<?, ?> clean = (Map<?, ?>) calls.get("without_faults");
    assertEquals(1, n(faulted.get("count")));
    assertEquals(2, n(faulted.get("retries")));
    assertEquals(2000.0, faulted.get("mean_latency_ms"));
    assertEquals(2, n(clean.get("count")));
    assertEquals(1, n(clean.get("failed")));
    assertEquals(2000.0, clean.get("mean_latency_ms"));
    assertEquals(0.0005, clean.get("mean_cost_usd"));
    Map<?, ?> runs = (Map<?, ?>) checkout.get("runs");
    assertEquals(Collections.singletonMap("failed", 1.0), ((Map<?, ?>) runs.get("with_faults")).get("outcomes"));
    assertEquals(Collections.singletonMap("answered", 1.0), ((Map<?, ?>) runs.get("without_faults")).get("outcomes"));
  }

  @Test
  void filesAreWrittenWholeOnlyWhenSomethingChangedAndThePageEscapesNames() throws Exception {
    DrillReport r = new DrillReport();
    String base = dir.resolve("drill").toString();
    r.run("<script>alert(1)</script>", false, DrillReport.ANSWERED, 1, 0, null);
    r.writeIfChanged(base, "a \"drill\"");
    String page = new String(Files.readAllBytes(dir.resolve("drill.html")), StandardCharsets.UTF_8);
    assertFalse(page.contains("<script>alert"), "a workflow name is text");
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(page.contains("a &quot;drill&quot;"));
    long written = Files.getLastModifiedTime(dir.resolve("drill.json")).toMillis();
    Files.delete(dir.resolve("drill.json"));
    r.writeIfChanged(base, null);
    assertFalse(Files.exists(dir.resolve("drill.json")), "nothing changed, nothing written");
    assertTrue(written > 0);
  }

  @Test
  void sixtyFourThreadsReportingTogetherLoseNothing() throws Exception {
    DrillReport r = new DrillReport();
    ExecutorService pool = Executors.newFixedThreadPool(64);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new java.util.ArrayList<>();
    for (int i = 0; i < 64; i++) {
      int n = i;
      done.add(pool.submit(() -> {
        start.await();
        for (int k = 0; k < 100; k++) {
          r.call("w" + (n % 4), n % 2 == 0 ? Arrays.asList("http_503") : null, 1_000, false, 1, 0.001);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) f.get(10, TimeUnit.SECONDS);
    pool.shutdown();
    Map<?, ?> w = (Map<?, ?>) ((Map<?, ?>) Json.parse(Json.write(r.json(null)))).get("workflows");
    long calls = 0;
    long faults = 0;
    for (Object wf : w.values()) {
      Map<?, ?> c = (Map<?, ?>) ((Map<?, ?>) wf).get("calls");
      calls += n(((Map<?, ?>) c.get("with_faults")).get("count")) + n(((Map<?, ?>) c.get("without_faults")).get("count"));
      Object f = ((Map<?, ?>) ((Map<?, ?>) wf).get("faults")).get("http_503");
      faults += f == null ? 0 : n(f);
    }
    assertEquals(6400, calls);
    assertEquals(3200, faults);
  }

  /**
   * The periodic write and the write at exit, on two threads at once, while calls are still being
   * recorded: once the last call is in and the exit's write has returned, the file has every call. Each round
   * leaves the periodic writer running into the exit's write. Before the writes were serialized, a periodic
   * write that had taken its numbers earlier could move its file in afterwards, and both used one temporary
   * file.
   */
  @Test
  void theWriteAtExitIsNeverOverwrittenByAnOlderPeriodicWrite() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      for (int round = 0; round < 40; round++) {
        DrillReport r = new DrillReport();
        String base = dir.resolve("drill-" + round).toString();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        Future<?> recorder = pool.submit(() -> {
          start.await();
          for (int i = 0; i < 300; i++) r.call("storm", Collections.<String>emptyList(), 1_000_000L, false, 0, null);
          return null;
        });
        Future<?> periodic = pool.submit(() -> {
          start.await();
          while (!stop.get()) r.writeIfChanged(base, "d");
          return null;
        });
        start.countDown();
        recorder.get(30, TimeUnit.SECONDS);
        r.writeIfChanged(base, "d"); // the shutdown hook's write, the periodic one still going
        stop.set(true);
        periodic.get(30, TimeUnit.SECONDS);
        Map<?, ?> report = (Map<?, ?>) Json.parse(new String(Files.readAllBytes(java.nio.file.Paths.get(base + ".json")), StandardCharsets.UTF_8));
        Map<?, ?> calls = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) report.get("workflows")).get("storm")).get("calls");
        assertEquals(300, n(((Map<?, ?>) calls.get("without_faults")).get("count")), "round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static long n(Object number) {
    return ((Number) number).longValue();
  }
}
