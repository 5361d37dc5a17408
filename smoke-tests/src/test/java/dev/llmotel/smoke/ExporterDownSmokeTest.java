package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.FakeLlmServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The telemetry backend is down or hangs: application calls go on, no application thread ever
 * waits for the exporter, and memory stays bounded although spans with captured content pile up
 * faster than they can leave.
 */
class ExporterDownSmokeTest {
  static final int THREADS = 8;
  static final int CALLS = 500;

  @Test
  void nothingListeningOnTheOtlpPort() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    assertTheAppIsUnaffected("exporter-down", "http://127.0.0.1:" + closedPort);
  }

  @Test
  void aBackendThatAcceptsConnectionsAndNeverAnswers() throws Exception {
    try (BlackHole hole = new BlackHole()) {
      assertTheAppIsUnaffected("exporter-hangs", "http://127.0.0.1:" + hole.port());
      assertTrue(hole.connections() > 0, "the exporter did try the hanging backend");
    }
  }

  private static void assertTheAppIsUnaffected(String name, String endpoint) throws Exception {
    try (FakeLlmServer llm = FakeLlmServer.start(0)) {
      llm.setRecording(false);
      Map<String, String> props = new HashMap<>();
      props.put("-Xmx256m", "");
      props.put("otel.instrumentation.genai.capture-message-content", "true");
      props.put("otel.logs.exporter", "otlp");
      props.put("otel.javaagent.debug", "false");
      // 4,000 calls, each span holding ~34 KB of captured text: more than the heap if kept without bound.
      List<String> args = Arrays.asList(llm.baseUrl() + "/v1", String.valueOf(THREADS), String.valueOf(CALLS), "20000",
          "watch");
      LoadApp load = new LoadApp(AgentApp.run(name, System.getProperty("java.home"),
          AgentApp.appClasspath("openai-app-newest"), LoadApp.MAIN, endpoint, props, args, 600));
      System.out.println("EXPORTER " + name + " " + load);
      assertEquals(0, load.app.exitCode, load.toString());
      assertEquals((long) THREADS * CALLS, load.count("ok"), load.toString());
      assertTrue(load.count("stack_samples") > 100, "the watch sampled the workers: " + load);
      assertEquals(0, load.count("samples_in_exporter"), "an application thread was inside the exporter: " + load);
      // The exporter's timeout is 10 s: a call that had waited for it once would show here.
      assertTrue(load.number("max_ms") < 10_000, load.toString());
      assertTrue(load.count("heap_after_gc_mb") < 160, "heap stays bounded: " + load);
    }
  }

  /** Accepts TCP connections and never reads or answers: a backend that hangs. */
  static final class BlackHole implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new ArrayList<>();
    private final Thread acceptor;

    BlackHole() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            synchronized (held) {
              held.add(s);
            }
          } catch (IOException e) {
            return;
          }
        }
      }, "black-hole");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int connections() {
      synchronized (held) {
        return held.size();
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (held) {
        for (Socket s : held) s.close();
      }
    }
  }
}
