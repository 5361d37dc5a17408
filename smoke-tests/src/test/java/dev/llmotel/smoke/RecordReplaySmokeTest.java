package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Record and replay under the real agent, for the OpenAI SDK (an agent's tool round trip, a stream,
 * embeddings, the Responses API, a prompt full of secrets), the Anthropic SDK (tool use, a stream, an
 * async call), a plain JDK HttpClient app (OpenAI, Anthropic and Gemini formats, JSON and streams) and
 * an Apache HttpClient 5 app (the same, and Spring AI over that client) and the AWS SDK's Bedrock client
 * (sync and async, Converse and InvokeModel, JSON and event streams), and Google GenAI 1.x (over Apache
 * HttpClient 4). Each app runs once against the fake server in
 * record mode, then once in replay mode from that file: no request reaches the server, the app gets
 * the same answers, the traces have the same shape, and the file holds no secret. The transcript
 * tool prints the file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordReplaySmokeTest {
  static final List<String> OPENAI = List.of("tools", "sync", "stream", "embeddings", "responses", "secret-headers");
  static final List<String> JAVA_HTTP = List.of("chat", "chat-stream", "anthropic", "gemini-stream", "embeddings");
  static final List<String> ANTHROPIC = List.of("tool-use", "chat-stream", "chat-async");
  static final List<String> APACHE_HTTP = List.of("chat", "chat-handler", "chat-stream", "anthropic", "gemini-stream",
      "sdk-chat");
  final Path dir = Paths.get(System.getProperty("smoke.outputDir"));
  final Path openAiFile = dir.resolve("recording-openai.jsonl");
  final Path javaHttpFile = dir.resolve("recording-java-http.jsonl");
  final Path anthropicFile = dir.resolve("recording-anthropic.jsonl");
  final Path apacheHttpFile = dir.resolve("recording-apache-http.jsonl");
  static final List<String> BEDROCK = List.of("converse", "converse-async", "converse-stream", "tool-use", "invoke",
      "invoke-embed", "invoke-stream");
  final Path bedrockFile = dir.resolve("recording-bedrock.jsonl");
  static final List<String> GOOGLE = List.of("chat", "chat-async", "chat-stream", "tool-use", "vertex-chat");
  final Path googleFile = dir.resolve("recording-google-genai-1.jsonl");
  SmokeRun googleRecord;
  SmokeRun googleReplay;
  SmokeRun bedrockRecord;
  SmokeRun bedrockReplay;
  SmokeRun openAiRecord;
  SmokeRun openAiReplay;
  SmokeRun javaHttpRecord;
  SmokeRun javaHttpReplay;
  SmokeRun anthropicRecord;
  SmokeRun anthropicReplay;
  SmokeRun apacheHttpRecord;
  SmokeRun apacheHttpReplay;

  @BeforeAll
  void recordThenReplay() throws Exception {
    Files.createDirectories(dir);
    Files.deleteIfExists(openAiFile);
    Files.deleteIfExists(javaHttpFile);
    Files.deleteIfExists(anthropicFile);
    Files.deleteIfExists(apacheHttpFile);
    Files.deleteIfExists(bedrockFile);
    Files.deleteIfExists(googleFile);
    // Each library's record run, then its replay of that recording; two libraries at a time.
    SmokeRun.launchTogether(
        () -> {
          openAiRecord = new SmokeRun().launch("record-openai", "newest", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.record.file", openAiFile.toString()), OPENAI);
          List<String> replayed = new ArrayList<>(OPENAI);
          replayed.add("async"); // never recorded
          openAiReplay = new SmokeRun().launch("replay-openai", "newest", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.replay.file", openAiFile.toString()), replayed);
        },
        () -> {
          javaHttpRecord = new SmokeRun().launchApp("record-java-http", "java-http-client-app",
              "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.record.file", javaHttpFile.toString()), JAVA_HTTP);
          javaHttpReplay = new SmokeRun().launchApp("replay-java-http", "java-http-client-app",
              "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.replay.file", javaHttpFile.toString()), JAVA_HTTP);
        },
        () -> {
          anthropicRecord = new SmokeRun().launchApp("record-anthropic", "anthropic-app-newest",
              "dev.llmotel.smoke.anthropic.AnthropicSmokeApp", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.record.file", anthropicFile.toString()), ANTHROPIC);
          anthropicReplay = new SmokeRun().launchApp("replay-anthropic", "anthropic-app-newest",
              "dev.llmotel.smoke.anthropic.AnthropicSmokeApp", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.replay.file", anthropicFile.toString()), ANTHROPIC);
        },
        () -> {
          apacheHttpRecord = new SmokeRun().launchApp("record-apache-http", "apache-httpclient-5-app-newest",
              "dev.llmotel.smoke.apachehttp.ApacheHttpClientSmokeApp", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.record.file", apacheHttpFile.toString()), APACHE_HTTP);
          apacheHttpReplay = new SmokeRun().launchApp("replay-apache-http", "apache-httpclient-5-app-newest",
              "dev.llmotel.smoke.apachehttp.ApacheHttpClientSmokeApp", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.replay.file", apacheHttpFile.toString()), APACHE_HTTP);
        },
        () -> {
          bedrockRecord = new SmokeRun().launchApp("record-bedrock", "bedrock-app-newest",
              "dev.llmotel.smoke.bedrock.BedrockSmokeApp", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.record.file", bedrockFile.toString()), BEDROCK);
          bedrockReplay = new SmokeRun().launchApp("replay-bedrock", "bedrock-app-newest",
              "dev.llmotel.smoke.bedrock.BedrockSmokeApp", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.replay.file", bedrockFile.toString()), BEDROCK);
        },
        () -> {
          googleRecord = new SmokeRun().launchApp("record-google-genai-1", "google-genai-app-oldest",
              "dev.llmotel.smoke.googlegenai.GoogleGenAiSmokeApp", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.record.file", googleFile.toString()), GOOGLE);
          googleReplay = new SmokeRun().launchApp("replay-google-genai-1", "google-genai-app-oldest",
              "dev.llmotel.smoke.googlegenai.GoogleGenAiSmokeApp", System.getProperty("java.home"),
              Map.of("otel.instrumentation.llm-otel.replay.file", googleFile.toString()), GOOGLE);
        });
  }

  @AfterAll
  void stop() {
    for (SmokeRun r : new SmokeRun[] {openAiRecord, openAiReplay, javaHttpRecord, javaHttpReplay, anthropicRecord,
        anthropicReplay, apacheHttpRecord, apacheHttpReplay, bedrockRecord, bedrockReplay, googleRecord, googleReplay}) {
      if (r != null) r.close();
    }
  }

  /** The shape of a scenario's trace: each span's name, kind and parent's name, in start order. */
  static List<String> shape(SmokeRun run, String scenario) {
    ReceivedSpan root = run.scenario(scenario);
    List<ReceivedSpan> spans = run.receiver.trace(root.traceId());
    return spans.stream()
        .filter(s -> !s.scopeName().startsWith("io.opentelemetry.okhttp") && !s.scopeName().startsWith("io.opentelemetry.java-http")
            && !s.scopeName().startsWith("io.opentelemetry.apache-httpclient")
            && !s.scopeName().startsWith("io.opentelemetry.netty") && !s.scopeName().startsWith("io.opentelemetry.aws-sdk"))
        .sorted((a, b) -> Long.compare(a.startEpochNanos(), b.startEpochNanos()))
        .map(s -> s.name() + " " + s.kind() + " under " + spans.stream().filter(p -> p.spanId().equals(s.parentSpanId()))
            .map(ReceivedSpan::name).findFirst().orElse("-"))
        .collect(Collectors.toList());
  }

  @Test
  void theOpenAiSdkAgentRunReplaysOfflineWithTheSameAnswersAndTraceShape() {
    assertEquals(0, openAiReplay.llm.requests().size(), "replay sent nothing to the server");
    for (String scenario : OPENAI) {
      if (scenario.equals("secret-headers")) continue; // its answer echoes the secrets: replayed redacted
      assertEquals(openAiRecord.result(scenario), openAiReplay.result(scenario), scenario);
      assertEquals(shape(openAiRecord, scenario), shape(openAiReplay, scenario), scenario);
      for (ReceivedSpan span : openAiReplay.llmSpans(scenario)) {
        assertEquals(Boolean.TRUE, span.attributes().get("llm_otel.replayed"), scenario + ": " + span.attributes());
      }
    }
    // The tool round trip: two model calls around the tool, the second answered from its own recording.
    assertEquals(2, openAiReplay.llmSpans("tools").size());
    // A request without a recording fails to connect: the SDK's own I/O error, after its retries (the
    // app's future.get() wraps it).
    assertEquals("error java.util.concurrent.ExecutionException", openAiReplay.result("async"));
    assertEquals("com.openai.errors.OpenAIIoException", openAiReplay.onlyLlmSpan("async").attr("error.type"));
  }

  @Test
  void theAnthropicSdkReplaysItsToolUseStreamAndAsyncCallsOffline() {
    assertReplayedAsRecorded(anthropicRecord, anthropicReplay, ANTHROPIC);
  }

  /** Nothing reached the server; each scenario's answer, trace shape and per-call usage are the recorded ones. */
  static void assertReplayedAsRecorded(SmokeRun record, SmokeRun replay, List<String> scenarios) {
    assertEquals(0, replay.llm.requests().size(), "replay sent nothing to the server");
    for (String scenario : scenarios) {
      assertEquals(record.result(scenario), replay.result(scenario), scenario);
      assertEquals(shape(record, scenario), shape(replay, scenario), scenario);
      List<ReceivedSpan> recorded = record.llmSpans(scenario);
      List<ReceivedSpan> replayed = replay.llmSpans(scenario);
      assertEquals(recorded.size(), replayed.size(), scenario);
      for (int i = 0; i < replayed.size(); i++) {
        assertEquals(Boolean.TRUE, replayed.get(i).attributes().get("llm_otel.replayed"), scenario);
        assertEquals(recorded.get(i).longAttr("gen_ai.usage.output_tokens"),
            replayed.get(i).longAttr("gen_ai.usage.output_tokens"), scenario + " call " + i);
      }
    }
  }

  @Test
  void aPlainJdkHttpClientAppReplaysTheSameBytes() {
    assertEquals(0, javaHttpReplay.llm.requests().size());
    for (String scenario : JAVA_HTTP) {
      // Status, byte count and SHA-256 of what the app read: the recorded bytes, again.
      assertEquals(javaHttpRecord.result(scenario), javaHttpReplay.result(scenario), scenario);
      assertEquals(shape(javaHttpRecord, scenario), shape(javaHttpReplay, scenario), scenario);
      ReceivedSpan span = javaHttpReplay.onlyLlmSpan(scenario);
      assertEquals(javaHttpRecord.onlyLlmSpan(scenario).longAttr("gen_ai.usage.input_tokens"),
          span.longAttr("gen_ai.usage.input_tokens"), scenario);
    }
  }

  @Test
  void anApacheHttpClient5AppAndSpringAiOverItReplayTheSameAnswers() {
    assertReplayedAsRecorded(apacheHttpRecord, apacheHttpReplay, APACHE_HTTP);
  }

  @Test
  void bedrockCallsReplayOfflineThroughTheAwsSdkIncludingItsEventStreams() throws Exception {
    assertReplayedAsRecorded(bedrockRecord, bedrockReplay, BEDROCK);
    // The event stream is on file as readable, redacted messages, not as binary frames.
    String converseStream = Files.readAllLines(bedrockFile, StandardCharsets.UTF_8).stream()
        .filter(l -> l.contains("\"path\":\"/model/") && l.contains("/converse-stream\"")).findFirst()
        .orElseThrow(() -> new AssertionError("the converse stream is recorded"));
    assertTrue(converseStream.contains("\":event-type\":\"contentBlockDelta\""), converseStream);
    assertTrue(converseStream.contains("\"usage\":{\"input_tokens\":"), converseStream);
    assertFalse(Files.readString(bedrockFile).contains("AKIASMOKETEST"), "no AWS credential (the signed auth header) in the file");
  }

  @Test
  void googleGenAi1xReplaysOfflineThroughApacheHttpClient4() {
    assertReplayedAsRecorded(googleRecord, googleReplay, GOOGLE);
  }

  @Test
  void theRecordingIsOneRedactedLinePerInteractionWithUsageCostAndTraceIds() throws Exception {
    String text = new String(Files.readAllBytes(openAiFile), StandardCharsets.UTF_8);
    assertFalse(text.contains(AbstractOpenAiSmokeTest.API_KEY), "no API key in the recording");
    assertFalse(text.contains("jane.doe@example.com"), "no e-mail address");
    assertFalse(text.contains("4111 1111 1111 1111"), "no card number");
    assertFalse(text.toLowerCase().contains("bearer"), "no auth header");
    assertTrue(text.contains("[REDACTED]"), "the secrets were replaced");
    List<String> lines = Files.readAllLines(openAiFile, StandardCharsets.UTF_8);
    assertEquals(7, lines.size(), "one line per model call (tools: two): " + lines.size());
    ReceivedSpan sync = openAiRecord.onlyLlmSpan("sync");
    String syncLine = lines.stream().filter(l -> l.contains("\"span_id\":\"" + sync.spanId() + "\"")).findFirst()
        .orElseThrow(() -> new AssertionError("the sync call's span id is in the file"));
    assertTrue(syncLine.contains("\"trace_id\":\"" + sync.traceId() + "\""), syncLine);
    assertTrue(syncLine.contains("\"usage\":{\"input_tokens\":" + sync.longAttr("gen_ai.usage.input_tokens")), syncLine);
    assertTrue(syncLine.contains("\"cost_usd\":"), syncLine);
    String streamLine = lines.stream().filter(l -> l.contains("\"chunks\":[")).findFirst()
        .orElseThrow(() -> new AssertionError("a stream is recorded as chunks"));
    assertTrue(streamLine.contains("\"ms\":"), "each chunk with its time: " + streamLine);
  }

  @Test
  void theTranscriptToolPrintsTheRecordingPerTrace() throws Exception {
    AgentApp tool = AgentApp.execute("transcript", List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("smoke.extensionJar"), "dev.llmotel.core.tools.Transcript",
        openAiFile.toString()), 30);
    System.out.println(tool.output);
    assertEquals(0, tool.exitCode, tool.output);
    String transcript = tool.output;
    ReceivedSpan tools = openAiRecord.llmSpans("tools").get(0);
    assertTrue(transcript.contains("trace " + tools.traceId() + "  2 call(s)"), transcript);
    assertTrue(transcript.contains("assistant asks for tool(s) [get_weather]"), transcript);
    assertTrue(transcript.contains("chat gpt-4o-mini -> gpt-4o-mini-2024-07-18"), transcript);
    assertTrue(transcript.contains("tokens in "), transcript);
    assertTrue(transcript.contains("stream: "), transcript);
  }
}
