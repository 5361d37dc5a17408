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
    Recordings r = new Recordings(file, 200, new ArrayList<>(), false);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("text", "0123456789012345678901234567890123456789012345678901234567890123456789");
    for (int i = 0; i < 5; i++) r.write(line);
    assertTrue(Files.size(file) <= 200, "the current file stays under the cap");
    assertTrue(Files.exists(dir.resolve("r.jsonl.1")), "the older lines were rotated");
    // Five lines of about 90 bytes under a 200-byte cap: rotated before the 3rd and the 5th; one older file kept.
    assertEquals(1, Files.readAllLines(file).size());
    assertEquals(2, Files.readAllLines(dir.resolve("r.jsonl.1")).size());
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
}
