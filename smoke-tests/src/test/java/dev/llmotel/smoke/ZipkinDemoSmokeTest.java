package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's path to a trace UI without Docker: {@code ./demo.sh --zipkin} starts Zipkin from its
 * Maven Central jar, runs the demo service under the agent exporting to it, and keeps Zipkin up until
 * Enter. This runs that same launcher, then asks Zipkin's own HTTP API for the demo's traces: the
 * agent run, its LLM calls (with usage, cost and the retried 429) and the tool call, nested as in the
 * console view. After Enter, no process the demo started may remain and Zipkin's port must be closed.
 */
class ZipkinDemoSmokeTest {
  @Test
  void theDemosLlmTracesAreInZipkin() throws Exception {
    Path example = Paths.get(System.getProperty("smoke.exampleDir")).toAbsolutePath().normalize();
    String classpath = example.resolve("target/classes") + File.pathSeparator
        + new String(Files.readAllBytes(example.resolve("target/classpath.txt")), StandardCharsets.UTF_8).trim();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "dev.llmotel.examples.agent.DemoLauncher", example.toString(), "--zipkin")
        .redirectErrorStream(true);
    pb.environment().put("ZIPKIN_PORT", String.valueOf(port));
    pb.environment().remove("OPENAI_API_KEY");
    Instant testStart = Instant.now().minusSeconds(1);
    Process demo = pb.start();
    List<ProcessHandle> started = new ArrayList<>();
    List<String> output = new ArrayList<>();
    CompletableFuture<String> uiLine = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (output) {
            output.add(line);
          }
          if (line.startsWith("Zipkin UI: ")) uiLine.complete(line);
        }
      } catch (Exception e) {
        uiLine.completeExceptionally(e);
      }
      uiLine.completeExceptionally(new IllegalStateException("the demo ended without naming Zipkin's UI"));
    });
    reader.start();
    try {
      String ui = uiLine.get(180, TimeUnit.SECONDS);
      assertTrue(ui.contains("http://localhost:" + port + "/zipkin/?serviceName=weather-assistant"), ui);
      demo.descendants().forEach(started::add); // Zipkin's JVM among them
      assertTrue(started.stream().anyMatch(ZipkinDemoSmokeTest::isZipkin), "Zipkin runs as the demo's child");
      synchronized (output) {
        // The tool reads the city the question asked about, and the fake model asks for that city.
        assertTrue(output.contains("A: Fake answer using tool result: "
            + "{\"city\":\"Paris\",\"forecast\":\"light rain\",\"temperature_c\":14}"), String.join("\n", output));
      }

      JsonNode traces = tracesWithAgentRuns(port, 2);
      int retried = 0;
      for (JsonNode trace : traces) {
        JsonNode agentRun = null;
        List<JsonNode> chats = new ArrayList<>();
        List<JsonNode> tools = new ArrayList<>();
        for (JsonNode span : trace) {
          String name = span.path("name").asText();
          if (name.equals("agent-run")) agentRun = span;
          if (name.startsWith("chat ")) chats.add(span);
          if (name.contains("get_weather")) tools.add(span);
        }
        assertNotNull(agentRun, trace.toString());
        assertEquals(2, chats.size(), "a call for the tool, then the answer: " + trace);
        assertEquals(1, tools.size(), trace.toString());
        for (JsonNode chat : chats) {
          assertEquals("chat gpt-4o-mini", chat.path("name").asText());
          assertEquals("CLIENT", chat.path("kind").asText());
          assertEquals(agentRun.path("id").asText(), chat.path("parentId").asText(), "nested under the agent run");
          JsonNode tags = chat.path("tags");
          assertEquals("openai", tags.path("gen_ai.provider.name").asText(), tags.toString());
          assertTrue(Long.parseLong(tags.path("gen_ai.usage.input_tokens").asText()) > 0, tags.toString());
          String cost = tags.path("llm_otel.cost.usd").asText();
          assertTrue(Double.parseDouble(cost) > 0, tags.toString());
          // Rounded to 10 significant digits: no binary noise such as 1.4100000000000002E-5.
          assertTrue(!cost.matches(".*\\d{11,}.*"), cost);
          assertTrue(tags.has("llm_otel.prompt.fingerprint"), tags.toString());
          if (tags.path("llm_otel.retry.count").asText().equals("1")) retried++;
        }
      }
      assertEquals(1, retried, "the demo's scripted 429 is one retried call");
    } finally {
      synchronized (output) {
        System.out.println(String.join("\n", output));
      }
      try (OutputStream stdin = demo.getOutputStream()) {
        stdin.write('\n'); // what a person does: press Enter to stop Zipkin
      } catch (Exception ignored) {
        // the demo already ended
      }
      if (!demo.waitFor(30, TimeUnit.SECONDS)) demo.destroyForcibly();
      // Whatever the outcome, nothing this test started outlives it: the assertions below come first.
      List<ProcessHandle> leftOver = leftOver(started, testStart);
      leftOver.forEach(ProcessHandle::destroyForcibly);
      assertTrue(leftOver.isEmpty(), "processes the demo started still run after it ended: " + describe(leftOver));
    }
    assertEquals(0, demo.exitValue());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      throw new AssertionError("Zipkin's port " + port + " still accepts connections after the demo ended");
    } catch (ConnectException expected) {
      // closed, as it should be
    }
  }

  private static boolean isZipkin(ProcessHandle p) {
    return p.info().commandLine().map(c -> c.contains("zipkin")).orElse(false);
  }

  /**
   * The demo's descendants still alive, and any JVM running Zipkin started since the test began (a
   * child orphaned before it could be listed), after a grace period for them to exit.
   */
  private static List<ProcessHandle> leftOver(List<ProcessHandle> started, Instant testStart) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    List<ProcessHandle> alive;
    do {
      List<ProcessHandle> now = new ArrayList<>();
      alive = now;
      for (ProcessHandle p : started) {
        if (p.isAlive()) now.add(p);
      }
      ProcessHandle.allProcesses()
          .filter(p -> isZipkin(p) && p.info().startInstant().map(t -> !t.isBefore(testStart)).orElse(false))
          .filter(p -> p.pid() != ProcessHandle.current().pid())
          .filter(p -> !now.contains(p))
          .forEach(now::add);
      if (alive.isEmpty()) return alive;
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return alive;
  }

  private static String describe(List<ProcessHandle> processes) {
    StringBuilder b = new StringBuilder();
    for (ProcessHandle p : processes) {
      b.append(p.pid()).append(' ').append(p.info().commandLine().orElse("?")).append("; ");
    }
    return b.toString();
  }

  /** Zipkin's API: the service's traces, once at least this many with an agent run have been indexed. */
  private static JsonNode tracesWithAgentRuns(int port, int atLeast) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
        + "/api/v2/traces?serviceName=weather-assistant&spanName=agent-run&limit=10")).timeout(Duration.ofSeconds(5))
        .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode traces;
    do {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      traces = new ObjectMapper().readTree(response.body());
      if (traces.size() >= atLeast) return traces;
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("Zipkin has " + traces.size() + " traces of the demo: " + traces);
  }
}
