package dev.llmotel.core.governance;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway real {@code redis-server} on a free loopback port, no persistence, stopped by its own
 * process handle. Tests skip (with the reason) only when no redis-server binary exists at all;
 * {@code .ci/run} installs Debian's package (built with TLS, which {@link #launchTls} needs).
 */
final class RedisServer implements AutoCloseable {
  final int port;
  /** Whether {@link #port} is a TLS port (and the server has no plain one). */
  final boolean tls;
  private final List<String> extraArgs;
  private Process process;

  private RedisServer(int port, String... extraArgs) {
    this(port, false, extraArgs);
  }

  private RedisServer(int port, boolean tls, String... extraArgs) {
    this.port = port;
    this.tls = tls;
    this.extraArgs = Arrays.asList(extraArgs);
  }

  static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) return f.getPath();
    }
    for (String p : new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
      if (new File(p).canExecute()) return p;
    }
    return null;
  }

  static RedisServer launch(String... extraArgs) throws Exception {
    Assumptions.assumeTrue(binary() != null, "redis-server not found on PATH (install Debian's redis-server; "
        + ".ci/run does): skipping the tests against a real Redis");
    RedisServer s = new RedisServer(freePort(), extraArgs);
    s.start();
    return s;
  }

  /**
   * A server that speaks TLS only ({@code --port 0 --tls-port N}) with the PEM certificate and key
   * given (the certificate is also its CA file; clients need not present one).
   */
  static RedisServer launchTls(Path certPem, Path keyPem, String... extraArgs) throws Exception {
    Assumptions.assumeTrue(binary() != null, "redis-server not found on PATH (install Debian's redis-server; "
        + ".ci/run does): skipping the tests against a real Redis");
    List<String> args = new ArrayList<>(Arrays.asList("--tls-cert-file", certPem.toString(), "--tls-key-file",
        keyPem.toString(), "--tls-ca-cert-file", certPem.toString(), "--tls-auth-clients", "no"));
    args.addAll(Arrays.asList(extraArgs));
    RedisServer s = new RedisServer(freePort(), true, args.toArray(new String[0]));
    s.start();
    return s;
  }

  /** A server not started yet, on a given port with the given arguments. */
  static RedisServer on(int port, String... extraArgs) {
    Assumptions.assumeTrue(binary() != null, "redis-server not found on PATH: skipping the tests against a real Redis");
    return new RedisServer(port, extraArgs);
  }

  /** A port nothing listens on (for a store configured before its server exists). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Starts (again) on the same port. */
  synchronized void start() throws Exception {
    List<String> cmd = new ArrayList<>(Arrays.asList(binary()));
    cmd.addAll(tls ? Arrays.asList("--port", "0", "--tls-port", String.valueOf(port))
        : Arrays.asList("--port", String.valueOf(port)));
    cmd.addAll(Arrays.asList("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
        "--loglevel", "warning"));
    cmd.addAll(extraArgs);
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/redis-" + port + ".log"))).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      // Listening is ready enough, for a TLS port too (the handshake comes with the first client).
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) throw new IllegalStateException("redis-server exited: see target/redis-" + port + ".log");
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port);
  }

  synchronized void stop() throws InterruptedException {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    process = null;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
