package dev.llmotel.testkit.otlp;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A console OTLP/HTTP receiver for the demo: prints each trace as a tree shortly after its root span
 * arrives.
 *
 * <pre>
 * java -cp testkit.jar dev.llmotel.testkit.otlp.OtlpConsole [--port 4318] [--ascii] [--wait-ms 1000]
 * </pre>
 */
public final class OtlpConsole {
  private OtlpConsole() {}

  public static void main(String[] args) throws Exception {
    int port = 4318;
    boolean ascii = false;
    long waitMs = 1000;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      try {
        if (a.equals("--port") && i + 1 < args.length) {
          port = Integer.parseInt(args[++i]);
        } else if (a.startsWith("--port=")) {
          port = Integer.parseInt(a.substring("--port=".length()));
        } else if (a.equals("--wait-ms") && i + 1 < args.length) {
          waitMs = Long.parseLong(args[++i]);
        } else if (a.startsWith("--wait-ms=")) {
          waitMs = Long.parseLong(a.substring("--wait-ms=".length()));
        } else if (a.equals("--ascii")) {
          ascii = true;
        } else {
          usage("unknown argument: " + a);
          return;
        }
      } catch (NumberFormatException e) {
        usage("not a number in: " + a);
        return;
      }
    }

    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8.name());
    TraceTreePrinter printer = new TraceTreePrinter(ascii);
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "otlp-console-printer");
              t.setDaemon(true);
              return t;
            });
    Set<String> scheduled = Collections.newSetFromMap(new ConcurrentHashMap<>());

    OtlpReceiver receiver = OtlpReceiver.start(port);
    long delay = waitMs;
    receiver.onSpan(
        span -> {
          if (span.isRoot() && scheduled.add(span.traceId())) {
            String traceId = span.traceId();
            scheduler.schedule(
                () -> {
                  String tree = printer.render(receiver.trace(traceId));
                  synchronized (out) {
                    out.println(tree);
                  }
                },
                delay,
                TimeUnit.MILLISECONDS);
          }
        });

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  receiver.close();
                  scheduler.shutdownNow();
                  stopped.countDown();
                },
                "otlp-console-shutdown"));
    out.println("OTLP receiver listening on " + receiver.endpoint());
    stopped.await();
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: OtlpConsole [--port N] [--ascii] [--wait-ms MS]");
    System.exit(2);
  }
}
