package dev.llmotel.core.governance;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records the store's loggers write during a test, from any thread. */
final class CapturedLog extends Handler {
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger[] loggers;

  CapturedLog(Class<?>... sources) {
    loggers = new Logger[sources.length];
    for (int i = 0; i < sources.length; i++) loggers[i] = Logger.getLogger(sources[i].getName());
  }

  void attach() {
    for (Logger l : loggers) l.addHandler(this);
  }

  void detach() {
    for (Logger l : loggers) l.removeHandler(this);
  }

  @Override
  public void publish(LogRecord r) {
    records.add(r);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
