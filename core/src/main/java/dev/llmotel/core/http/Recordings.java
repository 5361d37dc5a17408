package dev.llmotel.core.http;

import dev.llmotel.core.ConfigProblems;
import dev.llmotel.core.Json;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.LlmOtelVersion;
import dev.llmotel.core.SafeHooks;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Record and replay of LLM interactions at the HTTP layer. Record mode appends one JSON line per
 * interaction (request, response or error, stream chunks with their timing, trace and span ids,
 * usage, cost, injected faults), redacted, to a size-capped, owner-only file that rotates once; app
 * threads only queue the line (bounded; dropped and counted when full), one daemon thread writes
 * it. Replay mode answers each recognised request from such a file instead of the network: the
 * recording of the same request (same key: a hash of the request body) first, else the next unused
 * recording of the same provider, operation and model, else (by default) a connection that fails.
 */
public final class Recordings {
  public static final String RECORD_FILE = "otel.instrumentation.llm-otel.record.file";
  public static final String RECORD_MAX_BYTES = "otel.instrumentation.llm-otel.record.max-bytes";
  public static final String REPLAY_FILE = "otel.instrumentation.llm-otel.replay.file";
  public static final String REPLAY_ON_MISS = "otel.instrumentation.llm-otel.replay.on-miss";
  /** Most records waiting for the writer thread; a record that finds the queue full is dropped. */
  public static final String RECORD_QUEUE_CAPACITY = "otel.instrumentation.llm-otel.record.queue-capacity";
  /** Most bytes of records waiting for the writer thread (a record alone in the queue always fits). */
  public static final String RECORD_QUEUE_MAX_BYTES = "otel.instrumentation.llm-otel.record.queue-max-bytes";
  static final int DEFAULT_QUEUE_CAPACITY = 1000;
  static final long DEFAULT_QUEUE_MAX_BYTES = 32L << 20;
  /** How long the shutdown hook waits for the writer to write what is queued. */
  static final long SHUTDOWN_DRAIN_MILLIS = 2000;
  static final String WRITER_THREAD = "llm-otel-recorder";
  static final String DROPPED_METRIC = "llm_otel.record.dropped";
  private static final String METER_SCOPE = "dev.llmotel.record";
  /** Most characters of one request or response body kept in a record. */
  static final int MAX_TEXT = 1 << 20;
  private static final Logger logger = Logger.getLogger(Recordings.class.getName());
  private static volatile Recordings instance;

  private final RecordFile file;
  private final List<Map<?, ?>> replay;
  private final boolean[] used;
  private final boolean missGoesToNetwork;

  Recordings(Path recordFile, long maxBytes, List<Map<?, ?>> replay, boolean missGoesToNetwork) {
    this(recordFile, maxBytes, DEFAULT_QUEUE_CAPACITY, DEFAULT_QUEUE_MAX_BYTES, null, replay, missGoesToNetwork);
  }

  /** {@code meter} null: the global one. */
  Recordings(Path recordFile, long maxBytes, int queueCapacity, long queueMaxBytes, Meter meter,
      List<Map<?, ?>> replay, boolean missGoesToNetwork) {
    this.file = recordFile == null ? null : new RecordFile(recordFile, maxBytes, queueCapacity, queueMaxBytes, meter);
    this.replay = replay;
    this.used = new boolean[replay.size()];
    this.missGoesToNetwork = missGoesToNetwork;
  }

  public static Recordings get() {
    Recordings r = instance;
    if (r == null) {
      synchronized (Recordings.class) {
        if (instance == null) instance = load();
        r = instance;
      }
    }
    return r;
  }

  private static Recordings load() {
    String record = LlmOtelConfig.raw(RECORD_FILE);
    String replayFile = LlmOtelConfig.raw(REPLAY_FILE);
    long maxBytes = LlmOtelConfig.readInt(RECORD_MAX_BYTES, 64 << 20, 1 << 16, Integer.MAX_VALUE);
    int queueCapacity = LlmOtelConfig.readInt(RECORD_QUEUE_CAPACITY, DEFAULT_QUEUE_CAPACITY, 1, 1_000_000);
    long queueMaxBytes = LlmOtelConfig.readInt(RECORD_QUEUE_MAX_BYTES, (int) DEFAULT_QUEUE_MAX_BYTES, 1 << 16,
        Integer.MAX_VALUE);
    String onMiss = LlmOtelConfig.raw(REPLAY_ON_MISS);
    boolean network = "network".equals(onMiss);
    if (onMiss != null && !onMiss.isEmpty() && !network && !"fail".equals(onMiss)) {
      ConfigProblems.report(logger, "llm-otel: {0}={1} is not fail or network; fail is used", REPLAY_ON_MISS, onMiss);
    }
    List<Map<?, ?>> replay = Collections.emptyList();
    if (replayFile != null && !replayFile.isEmpty()) {
      try {
        replay = read(Paths.get(replayFile));
        ConfigProblems.report(logger, "llm-otel: REPLAY MODE: {0} recorded interaction(s) from {1} answer recognised "
            + "LLM requests instead of the network (a request without a recording {2})", replay.size(), replayFile,
            network ? "goes to the network" : "fails to connect");
      } catch (Exception e) {
        ConfigProblems.report(logger, "llm-otel: {0}: cannot read {1} ({2}); replay is off", REPLAY_FILE, replayFile,
            e.getMessage());
      }
    }
    Path recordPath = record == null || record.isEmpty() ? null : Paths.get(record);
    if (recordPath != null) {
      ConfigProblems.report(logger, "llm-otel: RECORD MODE: LLM interactions are written, redacted, to {0} (owner-only, "
          + "rotated at {1} bytes; by a background thread through a queue of {2} records, dropped when it is full)",
          record, String.valueOf(maxBytes), String.valueOf(queueCapacity));
    }
    return new Recordings(recordPath, maxBytes, queueCapacity, queueMaxBytes, null, replay, network);
  }

  /** The records of a file, in order; lines that are not JSON objects are skipped. */
  public static List<Map<?, ?>> read(Path file) throws IOException {
    List<Map<?, ?>> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.trim().isEmpty()) continue;
        Object parsed = Json.parse(line);
        if (parsed instanceof Map) out.add((Map<?, ?>) parsed);
      }
    }
    return out;
  }

  public boolean recording() {
    return file != null;
  }

  public boolean replaying() {
    return !replay.isEmpty();
  }

  boolean active() {
    return recording() || replaying();
  }

  boolean missGoesToNetwork() {
    return missGoesToNetwork;
  }

  /** The recording that answers this request, marked used; null when none does. */
  synchronized Map<?, ?> find(String key, String provider, String operation, String model) {
    for (int i = 0; i < replay.size(); i++) {
      if (!used[i] && key != null && key.equals(replay.get(i).get("request_key"))) return take(i);
    }
    for (int i = 0; i < replay.size(); i++) {
      Map<?, ?> r = replay.get(i);
      if (!used[i] && same(provider, r.get("provider")) && same(operation, r.get("operation"))
          && same(model, r.get("model"))) {
        return take(i);
      }
    }
    return null;
  }

  private Map<?, ?> take(int i) {
    used[i] = true;
    return replay.get(i);
  }

  private static boolean same(String a, Object b) {
    return a == null ? b == null : a.equals(b);
  }

  /**
   * Hands one record to the writer thread and returns at once: the line is serialized here (a
   * snapshot of the record), queued if the queue has room, else dropped and counted. False when
   * dropped. Never waits for the file.
   */
  boolean write(Map<String, Object> record) {
    try {
      if (file == null) return false;
      return file.offer((Json.write(record) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (Throwable t) {
      SafeHooks.failed("recording an LLM interaction", t);
      return false;
    }
  }

  /** Records dropped because the writer's queue was full (or shut down): also the metric {@value #DROPPED_METRIC}. */
  public long droppedRecords() {
    return file == null ? 0 : file.dropped.get();
  }

  /** Tests: waits (at most the given time) until every record queued so far is written; true if it was. */
  boolean awaitWritten(long timeoutMillis) throws InterruptedException {
    return file == null || file.awaitWritten(timeoutMillis);
  }

  /** What the shutdown hook does: drains the queue for at most the given time; the records left unwritten. */
  int drainAndClose(long timeoutMillis) {
    return file == null ? 0 : file.drainAndClose(timeoutMillis);
  }

  /** Tests: runs before each batch the writer writes (to make the writer slow or stuck). */
  void writerHookForTest(Runnable hook) {
    if (file != null) file.beforeBatch = hook;
  }

  /**
   * The record file and its one writer: a daemon thread ({@value #WRITER_THREAD}) that keeps the file
   * open and writes what app threads queue. The queue is bounded by a record count and a byte count;
   * a slot is reserved with one compare-and-set per bound (no lock), and is given back only once its
   * line is written, so the bytes held in memory stay under the bound. The file is created owner-only
   * (rw-------) where the file system has POSIX permissions; an existing file that others may read is
   * narrowed to that. Past the size cap it is rotated once (".1").
   */
  static final class RecordFile implements Runnable {
    private static final Set<PosixFilePermission> OWNER_ONLY =
        Collections.unmodifiableSet(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    private static final AtomicBoolean noPosixLogged = new AtomicBoolean();
    private static final AtomicBoolean narrowedLogged = new AtomicBoolean();
    private static final AtomicBoolean narrowFailedLogged = new AtomicBoolean();
    /** Most lines written with one system call. */
    private static final int BATCH = 256;
    private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path path;
    private final long maxBytes;
    private final int capacity;
    private final long maxQueuedBytes;
    private final Meter meter; // null: the global one, looked up by the writer thread
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong done = new AtomicLong(); // written, or failed to write
    final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean droppedLogged = new AtomicBoolean();
    private volatile Thread writer;
    private volatile boolean sleeping;
    private volatile boolean closing;
    private volatile boolean stopped;
    volatile Runnable beforeBatch;

    // Owned by the writer thread.
    private FileChannel channel;
    private Object fileKey;
    private long size;
    private LongCounter droppedCounter;
    private long droppedReported;

    RecordFile(Path path, long maxBytes, int capacity, long maxQueuedBytes, Meter meter) {
      this.path = path;
      this.maxBytes = maxBytes;
      this.capacity = capacity;
      this.maxQueuedBytes = maxQueuedBytes;
      this.meter = meter;
    }

    boolean offer(byte[] line) {
      if (stopped || !reserve(line.length)) {
        drop();
        return false;
      }
      accepted.incrementAndGet();
      queue.add(line);
      Thread w = writer;
      if (w == null) {
        start();
      } else if (sleeping) {
        LockSupport.unpark(w);
      }
      if (stopped && queue.remove(line)) {
        // Shut down before this line arrived: the writer's last pass is over (or never was).
        release(line.length);
        done.incrementAndGet();
        drop();
        return false;
      }
      return true;
    }

    /** Takes one slot and the line's bytes, or nothing; a line alone in the queue always fits. */
    private boolean reserve(int length) {
      for (int n; (n = queued.get()) < capacity; ) {
        if (queued.compareAndSet(n, n + 1)) {
          for (long b; ; ) {
            b = queuedBytes.get();
            if (b > 0 && b + length > maxQueuedBytes) break;
            if (queuedBytes.compareAndSet(b, b + length)) return true;
          }
          queued.decrementAndGet();
          return false;
        }
      }
      return false;
    }

    private void release(long bytes) {
      queuedBytes.addAndGet(-bytes);
      queued.decrementAndGet();
    }

    private void drop() {
      if (dropped.incrementAndGet() == 1 && droppedLogged.compareAndSet(false, true)) {
        logger.log(Level.WARNING, "llm-otel: the record queue is full ({0} records, at most {1} bytes): LLM "
            + "interactions are dropped from {2} rather than slowing the application; drops are counted in the "
            + "metric " + DROPPED_METRIC + " (logged once)",
            new Object[] {String.valueOf(capacity), String.valueOf(maxQueuedBytes), path});
      }
    }

    private synchronized void start() {
      if (writer != null || stopped) return;
      Thread t = new Thread(this, WRITER_THREAD);
      t.setDaemon(true);
      try {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drainAndClose(SHUTDOWN_DRAIN_MILLIS),
            WRITER_THREAD + "-shutdown"));
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting: the writer still writes what it can
      }
      writer = t;
      t.start();
    }

    @Override
    public void run() {
      droppedCounter = droppedCounter();
      List<byte[]> batch = new ArrayList<>(BATCH);
      while (true) {
        for (byte[] line; batch.size() < BATCH && (line = queue.poll()) != null; ) batch.add(line);
        if (!batch.isEmpty()) {
          writeBatch(batch);
          batch.clear();
          continue;
        }
        reportDrops();
        if (closing) break;
        sleeping = true;
        if (queue.isEmpty() && !closing) LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        sleeping = false;
      }
      stopped = true;
      // A line queued while the loop ended: written now, or taken back by its producer (see offer).
      for (byte[] line; (line = queue.poll()) != null; ) batch.add(line);
      if (!batch.isEmpty()) writeBatch(batch);
      reportDrops();
      closeChannel();
    }

    private void writeBatch(List<byte[]> batch) {
      long bytes = 0;
      for (byte[] line : batch) bytes += line.length;
      try {
        Runnable hook = beforeBatch;
        if (hook != null) hook.run();
        openIfNeeded();
        int from = 0;
        for (int i = 0; i < batch.size(); i++) {
          int length = batch.get(i).length;
          if (size > 0 && size + length > maxBytes) {
            append(batch, from, i);
            from = i;
            rotate();
          }
          size += length;
        }
        append(batch, from, batch.size());
      } catch (Throwable t) {
        closeChannel();
        SafeHooks.failed("recording an LLM interaction", t);
      } finally {
        queuedBytes.addAndGet(-bytes);
        queued.addAndGet(-batch.size());
        done.addAndGet(batch.size());
      }
    }

    /** Lines [from, to) of the batch in one write to the OS (no fsync). */
    private void append(List<byte[]> batch, int from, int to) throws IOException {
      if (from >= to) return;
      ByteBuffer[] buffers = new ByteBuffer[to - from];
      long remaining = 0;
      for (int i = from; i < to; i++) {
        buffers[i - from] = ByteBuffer.wrap(batch.get(i));
        remaining += batch.get(i).length;
      }
      while (remaining > 0) remaining -= channel.write(buffers);
    }

    /**
     * Opens the file unless it is open and still the one at the path (another copy of these classes, in
     * another class loader, may have rotated it; someone may have moved it away). Its size is read
     * again: that copy may append to it too.
     */
    private void openIfNeeded() throws IOException {
      if (channel != null) {
        Object key = null;
        try {
          key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException gone) {
          closeChannel();
        }
        if (channel != null && key != null && !key.equals(fileKey)) closeChannel();
      }
      if (channel == null) {
        channel = open(path);
        fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      }
      size = channel.size();
    }

    private void rotate() throws IOException {
      closeChannel();
      Files.move(path, path.resolveSibling(path.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
      channel = open(path);
      fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      size = channel.size();
    }

    /** Opens for appending; created owner-only, or narrowed to owner-only if others may read it. */
    static FileChannel open(Path path) throws IOException {
      Set<OpenOption> options = new HashSet<>(Arrays.asList(StandardOpenOption.CREATE, StandardOpenOption.APPEND));
      if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        if (noPosixLogged.compareAndSet(false, true)) {
          logger.log(Level.WARNING, "llm-otel: the file system of {0} has no POSIX permissions; the record file "
              + "gets its directory''s default access (it holds prompts and answers: keep the directory private)",
              path);
        }
        return FileChannel.open(path, options);
      }
      FileChannel opened = FileChannel.open(path, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      try {
        narrow(path);
      } catch (IOException | RuntimeException e) {
        if (narrowFailedLogged.compareAndSet(false, true)) {
          logger.log(Level.WARNING, "llm-otel: cannot make the record file {0} readable by its owner only ({1})",
              new Object[] {path, e.toString()});
        }
      }
      return opened;
    }

    /** Takes every group and others permission off the file (it keeps its owner's). */
    private static void narrow(Path path) throws IOException {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
      for (PosixFilePermission p : permissions) {
        if (p == PosixFilePermission.OWNER_READ || p == PosixFilePermission.OWNER_WRITE
            || p == PosixFilePermission.OWNER_EXECUTE) {
          owner.add(p);
        }
      }
      if (owner.size() == permissions.size()) return;
      Files.setPosixFilePermissions(path, owner);
      if (narrowedLogged.compareAndSet(false, true)) {
        logger.log(Level.WARNING, "llm-otel: the record file {0} was {1}; narrowed to {2} (it holds prompts and "
            + "answers)", new Object[] {path, PosixFilePermissions.toString(permissions),
            PosixFilePermissions.toString(owner)});
      }
    }

    private void closeChannel() {
      FileChannel c = channel;
      channel = null;
      fileKey = null;
      if (c == null) return;
      try {
        c.close();
      } catch (IOException e) {
        SafeHooks.failed("closing the record file", e);
      }
    }

    private LongCounter droppedCounter() {
      try {
        Meter m = meter != null ? meter : GlobalOpenTelemetry.get().getMeterProvider()
            .meterBuilder(METER_SCOPE).setInstrumentationVersion(LlmOtelVersion.VERSION).build();
        LongCounter counter = m.counterBuilder(DROPPED_METRIC)
            .setUnit("{record}")
            .setDescription("LLM interactions record mode dropped because its write queue was full.")
            .build();
        counter.add(0); // the series exists, at 0, from the first record on
        return counter;
      } catch (Throwable t) {
        return null; // no OpenTelemetry API here (the transcript tool's class path): the count and log remain
      }
    }

    /** Adds the drops since the last report to the metric; only the writer thread calls this. */
    private void reportDrops() {
      long now = dropped.get();
      if (droppedCounter != null && now > droppedReported) {
        try {
          droppedCounter.add(now - droppedReported);
        } catch (Throwable t) {
          SafeHooks.failed("counting dropped records", t);
        }
      }
      droppedReported = now;
    }

    boolean awaitWritten(long timeoutMillis) throws InterruptedException {
      long target = accepted.get();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (done.get() < target) {
        if (System.nanoTime() - deadline > 0) return false;
        Thread.sleep(1);
      }
      return true;
    }

    /** Stops the writer after it wrote what is queued, waiting at most the given time; the lines left. */
    int drainAndClose(long timeoutMillis) {
      closing = true;
      Thread w;
      synchronized (this) {
        w = writer;
        if (w == null) stopped = true; // nothing was ever queued
      }
      if (w != null) {
        LockSupport.unpark(w);
        try {
          w.join(timeoutMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int left = queued.get();
      long drops = dropped.get();
      if (left > 0 || drops > 0) {
        // Standard error, not the log: at JVM exit java.util.logging's own shutdown hook may have closed its handlers.
        System.err.println("llm-otel: record mode: " + drops + " interaction(s) dropped (queue full) and " + left
            + " not written within " + timeoutMillis + " ms of shutdown, to " + path);
      }
      return left;
    }
  }

  /** The key a recording is found by: a hash of the request body as JSON, its formatting aside. */
  static String requestKey(String body) {
    if (body == null) return null;
    try {
      Object parsed = Json.parse(body);
      String canonical = parsed == null ? body : Json.write(parsed);
      StringBuilder hex = new StringBuilder();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 8; i++) hex.append(String.format("%02x", digest[i]));
      return hex.toString();
    } catch (Exception e) {
      return null;
    }
  }
}
