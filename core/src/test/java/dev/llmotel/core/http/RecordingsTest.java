package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Record and replay without a client: matching, the file's rotation, what a recording plays back. */
class RecordingsTest {
  private static Map<?, ?> rec(String key, String model, String body) {
    return (Map<?, ?>) Json.parse("{\"request_key\":\"" + key + "\",\"provider\":\"openai\",\"operation\":\"chat\","
        + "\"model\":\"" + model + "\",\"status\":200,\"content_type\":\"application/json\",\"body\":" + Json.write(body) + "}");
  }

  @Test
  void theSameRequestFirstThenTheNextOfTheSameModelThenNothing() {
    List<Map<?, ?>> file = new ArrayList<>(Arrays.asList(rec("k1", "m", "one"), rec("k2", "m", "two"),
        rec("k3", "other", "three")));
    Recordings r = new Recordings(null, 1, file, false);
    assertEquals("two", r.find("k2", "openai", "chat", "m").get("body"), "the same request, wherever it is");
    assertEquals("one", r.find("changed", "openai", "chat", "m").get("body"), "else the next of the same model");
    assertNull(r.find("changed", "openai", "chat", "m"), "each recording answers once");
    assertEquals("three", r.find(null, "openai", "chat", "other").get("body"));
    assertNull(r.find("k3", "openai", "chat", "other"));
  }

  @Test
  void theKeyIgnoresFormatting() {
    assertEquals(Recordings.requestKey("{\"model\": \"m\",\n \"n\": 1}"), Recordings.requestKey("{\"model\":\"m\",\"n\":1}"));
    assertTrue(!Recordings.requestKey("{\"model\":\"m\"}").equals(Recordings.requestKey("{\"model\":\"n\"}")));
  }

  @Test
  void theFileRotatesOnceItsCapIsReached(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.jsonl");
    Recordings r = new Recordings(file, 200, 1000, 1 << 20, io.opentelemetry.api.OpenTelemetry.noop().getMeter("t"),
        new ArrayList<>(), false);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("text", "0123456789012345678901234567890123456789012345678901234567890123456789");
    for (int i = 0; i < 5; i++) r.write(line);
    assertTrue(r.awaitWritten(10_000), "the writer thread wrote them");
    assertTrue(Files.size(file) <= 200, "the current file stays under the cap");
    assertTrue(Files.exists(dir.resolve("r.jsonl.1")), "the older lines were rotated");
    // Five lines of about 90 bytes under a 200-byte cap: rotated before the 3rd and the 5th; one older file kept.
    assertEquals(1, Files.readAllLines(file).size());
    assertEquals(2, Files.readAllLines(dir.resolve("r.jsonl.1")).size());
    r.drainAndClose(5_000);
  }

  @Test
  void aRecordingPlaysBackItsStreamItsErrorOrAFailedConnection() {
    Map<?, ?> stream = (Map<?, ?>) Json.parse("{\"status\":200,\"content_type\":\"text/event-stream\",\"chunks\":["
        + "{\"ms\":1,\"text\":\"data: {}\\n\\n\"},{\"ms\":5,\"text\":\"data: [DONE]\\n\\n\"}]}");
    HttpFault played = InteractionRecord.replay(stream);
    assertEquals("data: {}\n\ndata: [DONE]\n\n", new String(played.response().body, StandardCharsets.UTF_8));
    assertEquals("text/event-stream", played.response().headers.get("content-type"));
    assertNull(played.cut());
    Map<?, ?> broken = (Map<?, ?>) Json.parse("{\"status\":200,\"body\":\"{\\\"id\\\":\",\"error\":\"java.io.EOFException: x\"}");
    assertTrue(InteractionRecord.replay(broken).cut() != null, "a body that broke breaks again");
    assertTrue(InteractionRecord.replay((Map<?, ?>) Json.parse("{\"error\":\"java.net.ConnectException: refused\"}"))
        .failsToConnect());
  }

  @Test
  void anAwsEventStreamIsRecordedAsReadableRedactedMessagesAndPlayedBackAsValidFrames() {
    BedrockWire format = BedrockWire.forPath("/model/m/converse-stream", "chat");
    InteractionRecord record = new InteractionRecord(format, "aws.bedrock", "m", "/model/m/converse-stream", "k", "{}",
        io.opentelemetry.api.trace.SpanContext.getInvalid());
    Map<String, String> responseHeaders = new java.util.HashMap<>();
    responseHeaders.put("content-type", "application/vnd.amazon.eventstream");
    responseHeaders.put("authorization", "AWS4-HMAC-SHA256 Credential=AKIA...");
    responseHeaders.put("X-Amzn-Bedrock-Input-Token-Count", "7");
    record.response(200, responseHeaders::get);
    Map<String, String> delta = new LinkedHashMap<>();
    delta.put(":event-type", "contentBlockDelta");
    delta.put(":message-type", "event");
    Map<String, String> chunk = new LinkedHashMap<>(delta);
    chunk.put(":event-type", "chunk");
    Map<String, String> metadata = new LinkedHashMap<>(delta);
    metadata.put(":event-type", "metadata");
    byte[][] frames = {
        EventStreamFrames.encode(delta, "{\"delta\":{\"text\":\"Hello\"}}".getBytes(StandardCharsets.UTF_8)),
        EventStreamFrames.encode(chunk, ("{\"bytes\":\"" + java.util.Base64.getEncoder().encodeToString(
            "{\"type\":\"content_block_delta\",\"text\":\"mail jane.doe@example.com\"}".getBytes(StandardCharsets.UTF_8))
            + "\"}").getBytes(StandardCharsets.UTF_8)),
        EventStreamFrames.encode(metadata, "{\"usage\":{\"inputTokens\":7,\"outputTokens\":3}}".getBytes(StandardCharsets.UTF_8))};
    for (byte[] f : frames) {
      record.bytes(f, 0, 10); // split mid-message, as reads arrive
      record.bytes(f, 10, f.length - 10);
    }
    record.finish(null, false);
    String line = Json.write(record.fields());
    assertTrue(!line.contains("jane.doe@example.com"), line);
    assertTrue(line.contains("\"bytes_text\":\"{\\\"type\\\":\\\"content_block_delta\\\""), "the wrapped event, readable: " + line);
    assertTrue(line.contains("\"usage\":{\"input_tokens\":7,\"output_tokens\":3}"), line);
    assertTrue(!line.contains("AKIA"), "no header outside the kept ones: " + line);
    HttpFault played = InteractionRecord.replay((Map<?, ?>) Json.parse(line));
    assertEquals("7", played.response().headers.get("X-Amzn-Bedrock-Input-Token-Count"));
    List<EventStreamFrames.Frame> replayed = new ArrayList<>();
    new EventStreamFrames.Decoder(replayed::add).feed(played.response().body, 0, played.response().body.length);
    assertEquals(3, replayed.size());
    assertTrue(Arrays.equals(frames[0], EventStreamFrames.encode(replayed.get(0).headers, replayed.get(0).payload)));
    assertEquals("chunk", replayed.get(1).headers.get(":event-type"));
    Map<?, ?> wrapped = (Map<?, ?>) Json.parse(new String(replayed.get(1).payload, StandardCharsets.UTF_8));
    String inner = new String(java.util.Base64.getDecoder().decode((String) wrapped.get("bytes")), StandardCharsets.UTF_8);
    assertTrue(inner.startsWith("{\"type\":\"content_block_delta\""), inner);
    assertTrue(!inner.contains("jane.doe"), inner);
  }
}
