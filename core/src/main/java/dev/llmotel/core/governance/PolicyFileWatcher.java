package dev.llmotel.core.governance;

import dev.llmotel.core.LlmOtelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the policy file so an operator can change a limit without a restart: a daemon thread
 * looks at the file's modification time and size every few seconds (polling works on every file
 * system, mounted config maps included, where a watch service may never fire), and when they change
 * reads it. A valid new version replaces the settings in force in one step (each call is decided
 * under one version); an invalid one is one log line and the settings in force stay. The thread
 * starts with the first LLM call, so a process that makes none runs none.
 */
final class PolicyFileWatcher implements Runnable {
  private static final Logger logger = Logger.getLogger(PolicyFileWatcher.class.getName());

  private final String path;
  private final PolicyEngine engine;
  private final long intervalMillis;
  private final AtomicBoolean started = new AtomicBoolean();
  private long lastModified;
  private long lastSize;

  PolicyFileWatcher(String path, PolicyEngine engine) {
    this.path = path;
    this.engine = engine;
    this.intervalMillis = LlmOtelConfig.readInt(PolicySettings.PREFIX + "policy-file.poll-ms", 2_000, 100, 3_600_000);
  }

  void start() {
    if (started.get() || !started.compareAndSet(false, true)) return;
    stamp();
    Thread t = new Thread(this, "llm-otel-policy-file");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(intervalMillis);
        checkOnce();
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        logger.log(Level.FINE, "llm-otel: policy file check failed", t);
      }
    }
  }

  /** Looks at the file once; reloads it when it changed. */
  void checkOnce() {
    long[] before = {lastModified, lastSize};
    if (!stamp() || (before[0] == lastModified && before[1] == lastSize)) return;
    String text = GovernanceFiles.readOrNull(path);
    List<String> problems = new ArrayList<>();
    PolicySettings next = text == null ? null : PolicySettings.reload(path, text, problems);
    if (next == null) {
      if (text == null) problems.add("it cannot be read");
      logger.log(firstInJvm("rejected") ? Level.WARNING : Level.FINE, "llm-otel: the changed policy file {0} was "
          + "not applied ({1}); the policies in force stay", new Object[] {path, String.join("; ", problems)});
      return;
    }
    engine.settings(next);
    logger.log(firstInJvm("applied") ? Level.INFO : Level.FINE,
        "llm-otel: policy file {0} changed; the new version is in force", path);
  }

  /**
   * Whether this copy is the first in the JVM to report this version of the file: every class
   * loader's copy of llm-otel reloads it for itself, and the operator should read one line.
   */
  private boolean firstInJvm(String outcome) {
    String key = LOGGED_PROPERTY + path;
    String value = lastModified + ":" + lastSize + ":" + outcome;
    java.util.Properties properties = System.getProperties();
    synchronized (properties) {
      if (value.equals(properties.getProperty(key))) return false;
      properties.setProperty(key, value);
      return true;
    }
  }

  private static final String LOGGED_PROPERTY = "llm-otel.internal.policy-file.reported.";

  /** Records the file's modification time and size; false when it cannot be read. */
  private boolean stamp() {
    try {
      Path p = Paths.get(path);
      lastModified = Files.getLastModifiedTime(p).toMillis();
      lastSize = Files.size(p);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
