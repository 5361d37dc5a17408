package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmotel.core.Json;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record mode's writer: app threads only queue a line, one daemon thread writes it; a full queue
 * drops and counts, never waits; the file is owner-only; shutdown drains within a bound.
 */
class RecordWriterTest {
  private static final Meter NOOP = OpenTelemetry.noop().getMeter("test");

  private static Recordings recorder(Path file, long maxBytes, int capacity, long queueMaxBytes, Meter meter) {
    return new Recordings(file, maxBytes, capacity, queueMaxBytes, meter, new ArrayList<>(), false);
  }

  private static Map<String, Object> record(int thread, int seq, String text) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("thread", (long) thread);
    r.put("seq", (long) seq);
    r.put("text", text);
    return r;
  }

  private static String text(int length) {
    StringBuilder b = new StringBuilder();
    while (b.length() < length) b.append("line one\nline \"two\" ünïcödé ");
    return b.substring(0, length);
  }

  @Test
  void manyThreadsAtOnceEveryRecordIsOneWholeLineWrittenByOneThread(@TempDir Path dir) throws Exception {
    int threads = 16;
    int each = 200;
    Path file = dir.resolve("r.jsonl");
    Recordings r = recorder(file, Integer.MAX_VALUE, threads * each, Integer.MAX_VALUE, NOOP);
    Set<Thread> writers = ConcurrentHashMap.newKeySet();
    r.writerHookForTest(() -> writers.add(Thread.currentThread()));
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> apps = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread app = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < each; i++) {
            // Lengths from a few bytes to several KiB, so that lines of different threads would tear if they could.
            assertTrue(r.write(record(id, i, text((id * 131 + i * 17) % 6000))));
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "app-" + t);
      apps.add(app);
      app.start();
    }
    for (Thread app : apps) app.join(60_000);
    assertEquals(Collections.emptyList(), failures);
    assertTrue(r.awaitWritten(30_000), "the writer caught up");
    assertEquals(0, r.droppedRecords());

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(threads * each, lines.size());
    Set<String> seen = new HashSet<>();
    for (String line : lines) {
      Object parsed = Json.parse(line);
      assertTrue(parsed instanceof Map, "one JSON object per line: " + line);
      Map<?, ?> m = (Map<?, ?>) parsed;
      int t = ((Number) m.get("thread")).intValue();
      int i = ((Number) m.get("seq")).intValue();
      String id = t + "/" + i;
      assertTrue(seen.add(id), "written once: " + id);
      assertEquals(text((t * 131 + i * 17) % 6000), m.get("text"), id);
    }
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < each; i++) assertTrue(seen.contains(t + "/" + i), t + "/" + i);
    }
    assertEquals(1, writers.size(), "one writer thread");
    Thread writer = writers.iterator().next();
    assertEquals(Recordings.WRITER_THREAD, writer.getName());
    assertTrue(writer.isDaemon());
    assertEquals(0, r.drainAndClose(5_000));
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfWaiting(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.jsonl");
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(metrics).build();
    int capacity = 8;
    Recordings r = recorder(file, Integer.MAX_VALUE, capacity, Integer.MAX_VALUE, provider.get("test"));
    CountDownLatch writerStuck = new CountDownLatch(1);
    CountDownLatch unblock = new CountDownLatch(1);
    r.writerHookForTest(() -> {
      writerStuck.countDown();
      try {
        unblock.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(r.write(record(0, 0, "first")));
    assertTrue(writerStuck.await(10, TimeUnit.SECONDS), "the writer took the first record and is stuck");

    int accepted = 1;
    long slowest = 0;
    for (int i = 1; i <= 100; i++) {
      long t0 = System.nanoTime();
      if (r.write(record(0, i, "x"))) accepted++;
      slowest = Math.max(slowest, System.nanoTime() - t0);
    }
    // The record being written still holds its slot: the writer is stuck, so exactly `capacity` got in.
    assertEquals(capacity, accepted);
    assertEquals(101 - capacity, r.droppedRecords());
    assertTrue(slowest < TimeUnit.MILLISECONDS.toNanos(500), "no app thread waited: " + slowest + " ns");

    unblock.countDown();
    assertTrue(r.awaitWritten(10_000));
    assertEquals(capacity, Files.readAllLines(file).size());
    assertEquals(101 - capacity, droppedMetric(metrics), "the metric counts the drops");
    r.drainAndClose(5_000);
  }

  /** The metric's value, once the writer has reported it (after a batch, or when idle). */
  private static long droppedMetric(InMemoryMetricReader metrics) throws InterruptedException {
    long value = -1;
    for (int tries = 0; tries < 100; tries++) {
      for (MetricData m : metrics.collectAllMetrics()) {
        if (!m.getName().equals(Recordings.DROPPED_METRIC)) continue;
        assertEquals("{record}", m.getUnit());
        for (LongPointData p : m.getLongSumData().getPoints()) value = p.getValue();
      }
      if (value > 0) return value;
      Thread.sleep(50);
    }
    return value;
  }

  @Test
  void theQueueIsBoundedInBytesTooButALineAloneAlwaysFits(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.jsonl");
    String big = text(300);
    int lineBytes = (Json.write(record(0, 0, big)) + "\n").getBytes(StandardCharsets.UTF_8).length;
    Recordings r = recorder(file, Integer.MAX_VALUE, 1000, 3L * lineBytes + 10, NOOP);
    CountDownLatch unblock = new CountDownLatch(1);
    r.writerHookForTest(() -> {
      try {
        unblock.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    int accepted = 0;
    for (int i = 0; i < 10; i++) if (r.write(record(0, i, big))) accepted++;
    assertEquals(3, accepted);
    assertEquals(7, r.droppedRecords());
    unblock.countDown();
    assertTrue(r.awaitWritten(10_000));
    assertEquals(3, Files.readAllLines(file).size());

    Recordings tiny = recorder(dir.resolve("tiny.jsonl"), Integer.MAX_VALUE, 1000, 10, NOOP);
    assertTrue(tiny.write(record(0, 0, big)), "a line larger than the byte bound still goes into an empty queue");
    assertTrue(tiny.awaitWritten(10_000));
    assertEquals(1, Files.readAllLines(dir.resolve("tiny.jsonl")).size());
    r.drainAndClose(5_000);
    tiny.drainAndClose(5_000);
  }

  @Test
  void theFileAndItsRotationAreOwnerOnly(@TempDir Path dir) throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("r.jsonl");
    Recordings r = recorder(file, 200, 1000, Integer.MAX_VALUE, NOOP);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("text", "0123456789012345678901234567890123456789012345678901234567890123456789");
    r.write(line);
    assertTrue(r.awaitWritten(10_000));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    for (int i = 0; i < 4; i++) r.write(line);
    assertTrue(r.awaitWritten(10_000));
    Path rotated = dir.resolve("r.jsonl.1");
    assertTrue(Files.exists(rotated));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rotated)));
    r.drainAndClose(5_000);
  }

  @Test
  void anExistingFileThatOthersMayReadIsNarrowed(@TempDir Path dir) throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("r.jsonl");
    Files.write(file, "{\"old\":true}\n".getBytes(StandardCharsets.UTF_8));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Recordings r = recorder(file, Integer.MAX_VALUE, 1000, Integer.MAX_VALUE, NOOP);
    r.write(record(0, 0, "new"));
    assertTrue(r.awaitWritten(10_000));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(2, Files.readAllLines(file).size(), "appended to, not replaced");
    r.drainAndClose(5_000);
  }

  @Test
  void shutdownDrainsWhatIsQueuedThenDropsLateRecords(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.jsonl");
    Recordings r = recorder(file, Integer.MAX_VALUE, 1000, Integer.MAX_VALUE, NOOP);
    AtomicLong batches = new AtomicLong();
    r.writerHookForTest(() -> {
      batches.incrementAndGet();
      try {
        Thread.sleep(20); // a slow disk
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    for (int i = 0; i < 600; i++) assertTrue(r.write(record(0, i, text(100))));
    assertEquals(0, r.drainAndClose(5_000), "everything queued was written");
    assertEquals(600, Files.readAllLines(file).size());
    assertTrue(batches.get() >= 3, "the writer wrote batches, not one line per system call: " + batches.get());
    long t0 = System.nanoTime();
    assertFalse(r.write(record(0, 600, "late")), "after shutdown a record is dropped");
    assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(500));
    assertEquals(1, r.droppedRecords());
    assertEquals(600, Files.readAllLines(file).size());
  }

  @Test
  void shutdownWaitsNoLongerThanItsBound(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.jsonl");
    Recordings r = recorder(file, Integer.MAX_VALUE, 1000, Integer.MAX_VALUE, NOOP);
    CountDownLatch unblock = new CountDownLatch(1);
    r.writerHookForTest(() -> {
      try {
        unblock.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    for (int i = 0; i < 5; i++) r.write(record(0, i, "x"));
    long t0 = System.nanoTime();
    int left = r.drainAndClose(300);
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(5, left, "a stuck writer leaves its records unwritten");
    assertTrue(waited >= 250 && waited < 2_000, "waited " + waited + " ms");
    unblock.countDown();
    assertTrue(r.awaitWritten(10_000), "once unstuck, the writer still writes them");
    assertEquals(5, Files.readAllLines(file).size());
  }

  /** A JVM that queues records behind a slow (or stuck) writer and exits: its shutdown hook drains the queue. */
  static final class ExitingApp {
    public static void main(String[] args) throws Exception {
      Recordings r = recorder(java.nio.file.Paths.get(args[0]), Integer.MAX_VALUE, 10_000, Integer.MAX_VALUE, NOOP);
      boolean stuck = args[1].equals("stuck");
      r.writerHookForTest(() -> {
        try {
          Thread.sleep(stuck ? 60_000 : 50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      for (int i = 0; i < 1000; i++) r.write(record(0, i, text(200)));
      System.out.println("queued");
    }
  }

  private static Process exitingApp(Path file, String mode) throws Exception {
    return new ProcessBuilder(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ExitingApp.class.getName(), file.toString(), mode)
        .redirectErrorStream(true).start();
  }

  @Test
  void atJvmExitTheQueueIsDrained(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.jsonl");
    Process app = exitingApp(file, "slow");
    assertTrue(app.waitFor(30, TimeUnit.SECONDS));
    String out = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, app.exitValue(), out);
    assertTrue(out.contains("queued"), out);
    assertEquals(1000, Files.readAllLines(file).size(), "the shutdown hook let the writer finish: " + out);
  }

  @Test
  void atJvmExitAStuckWriterDelaysTheExitByTheBoundOnly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.jsonl");
    long t0 = System.nanoTime();
    Process app = exitingApp(file, "stuck");
    boolean exited = app.waitFor(20, TimeUnit.SECONDS);
    if (!exited) app.destroyForcibly();
    assertTrue(exited, "the JVM exited although its writer is stuck");
    String out = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(out.contains("queued"), out);
    assertTrue(out.contains("1000 not written within 2000 ms of shutdown"), out);
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(Recordings.SHUTDOWN_DRAIN_MILLIS));
  }

  @Test
  void shutdownBeforeAnyRecordStartsNoThreadAndDropsLaterRecords(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.jsonl");
    Recordings r = recorder(file, Integer.MAX_VALUE, 1000, Integer.MAX_VALUE, NOOP);
    assertEquals(0, r.drainAndClose(1_000));
    assertFalse(r.write(record(0, 0, "late")));
    assertEquals(1, r.droppedRecords());
    assertFalse(Files.exists(file));
  }
}
