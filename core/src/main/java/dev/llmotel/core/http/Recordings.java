package dev.llmotel.core.http;

import dev.llmotel.core.ConfigProblems;
import dev.llmotel.core.Json;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.SafeHooks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Record and replay of LLM interactions at the HTTP layer. Record mode appends one JSON line per
 * interaction (request, response or error, stream chunks with their timing, trace and span ids,
 * usage, cost, injected faults), redacted, to a size-capped file that rotates once. Replay mode
 * answers each recognised request from such a file instead of the network: the recording of the
 * same request (same key: a hash of the request body) first, else the next unused recording of the
 * same provider, operation and model, else (by default) a connection that fails.
 */
public final class Recordings {
  public static final String RECORD_FILE = "otel.instrumentation.llm-otel.record.file";
  public static final String RECORD_MAX_BYTES = "otel.instrumentation.llm-otel.record.max-bytes";
  public static final String REPLAY_FILE = "otel.instrumentation.llm-otel.replay.file";
  public static final String REPLAY_ON_MISS = "otel.instrumentation.llm-otel.replay.on-miss";
  /** Most characters of one request or response body kept in a record. */
  static final int MAX_TEXT = 1 << 20;
  private static final Logger logger = Logger.getLogger(Recordings.class.getName());
  private static volatile Recordings instance;

  private final Path recordFile;
  private final long maxBytes;
  private final List<Map<?, ?>> replay;
  private final boolean[] used;
  private final boolean missGoesToNetwork;

  Recordings(Path recordFile, long maxBytes, List<Map<?, ?>> replay, boolean missGoesToNetwork) {
    this.recordFile = recordFile;
    this.maxBytes = maxBytes;
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
      ConfigProblems.report(logger, "llm-otel: RECORD MODE: LLM interactions are written, redacted, to {0} (rotated at "
          + "{1} bytes)", record, String.valueOf(maxBytes));
    }
    return new Recordings(recordPath, maxBytes, replay, network);
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
    return recordFile != null;
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

  /** Appends one record; past the size cap the file is rotated first (one older file, ".1", is kept). */
  synchronized void write(Map<String, Object> record) {
    try {
      byte[] line = (Json.write(record) + "\n").getBytes(StandardCharsets.UTF_8);
      if (Files.exists(recordFile) && Files.size(recordFile) + line.length > maxBytes) {
        Files.move(recordFile, recordFile.resolveSibling(recordFile.getFileName() + ".1"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      try (OutputStream out = Files.newOutputStream(recordFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        out.write(line);
      }
    } catch (Throwable t) {
      SafeHooks.failed("recording an LLM interaction", t);
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
