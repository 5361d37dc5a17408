package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class ContentJsonTest {

  @Test
  void writesTheSemconvMessageSchema() {
    LlmMessage user = new LlmMessage("user").add(LlmMessage.Part.text("Hi \"there\"\n"));
    LlmMessage assistant = new LlmMessage("assistant").finishReason("tool_calls")
        .add(LlmMessage.Part.toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));
    LlmMessage tool = new LlmMessage("tool").add(LlmMessage.Part.toolCallResponse("call_1", "18C"));
    ContentJson.Rendered r = ContentJson.messages(Arrays.asList(user, assistant, tool), 1000);
    assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi \\\"there\\\"\\n\"}]},"
        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"get_weather\","
        + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}],\"finish_reason\":\"tool_calls\"},"
        + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\",\"response\":\"18C\"}]}]",
        r.json);
    assertFalse(r.truncated);
  }

  @Test
  void cutsTextToTheBudgetAndStaysValidJson() {
    StringBuilder huge = new StringBuilder();
    for (int i = 0; i < 100_000; i++) huge.append("word ");
    LlmMessage a = new LlmMessage("user").add(LlmMessage.Part.text(huge.toString()));
    LlmMessage b = new LlmMessage("user").add(LlmMessage.Part.text("second"));
    ContentJson.Rendered r = ContentJson.messages(Arrays.asList(a, b), 100);
    assertTrue(r.truncated);
    assertTrue(r.json.length() < 300, r.json);
    assertTrue(r.json.contains(ContentJson.TRUNCATED_MARKER));
    assertFalse(r.json.contains("second"), "the budget is spent, later messages are left out: " + r.json);
  }

  @Test
  void neverSplitsASurrogatePairOrEmitsALoneSurrogate() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars
    // The cap counts the JSON frame: room for the frame and two characters of text, "a" and half the emoji.
    int frame = "[{\"type\":\"text\",\"content\":\"".length();
    ContentJson.Rendered r = ContentJson.parts(Collections.singletonList(LlmMessage.Part.text("a" + emoji + "b")),
        frame + 1);
    assertEquals("[{\"type\":\"text\",\"content\":\"a" + ContentJson.TRUNCATED_MARKER + "\"}]", r.json);
    ContentJson.Rendered lone = ContentJson.parts(Collections.singletonList(LlmMessage.Part.text("x\uD83Dy")), 100);
    assertEquals("[{\"type\":\"text\",\"content\":\"x\\ufffdy\"}]", lone.json);
  }

  @Test
  void redactsKeysAndBearerTokens() {
    String text = "key sk-proj-abcdefghijklmnop1234 and Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc "
        + "aws AKIAABCDEFGHIJKLMNOP";
    String redacted = ContentJson.redact(text);
    assertFalse(redacted.contains("sk-proj-abcdefghijklmnop1234"), redacted);
    assertFalse(redacted.contains("eyJhbGciOiJIUzI1NiJ9"), redacted);
    assertFalse(redacted.contains("AKIAABCDEFGHIJKLMNOP"), redacted);
    assertEquals("no secrets here", ContentJson.redact("no secrets here"));
  }

  @Test
  void escapesControlCharacters() {
    ContentJson.Rendered r = ContentJson.parts(Collections.singletonList(LlmMessage.Part.text("a\u0001\t\u2028")), 100);
    assertEquals("[{\"type\":\"text\",\"content\":\"a\\u0001\\t\\u2028\"}]", r.json);
  }

  @Test
  void aThousandMessageConversationStopsAtTheBudgetInsteadOfRepeatingTheMarker() {
    java.util.List<LlmMessage> conversation = new java.util.ArrayList<>();
    for (int n = 0; n < 1000; n++) {
      conversation.add(new LlmMessage(n % 2 == 0 ? "user" : "assistant").add(LlmMessage.Part.text("message " + n)));
    }
    ContentJson.Rendered r = ContentJson.messages(conversation, 200);
    assertTrue(r.truncated);
    // About 200 characters of text plus each message's JSON frame (~70 characters), then nothing.
    assertTrue(r.json.length() < 200 + 70 * 25, r.json.length() + " chars");
    assertTrue(r.json.endsWith("]"), r.json);
  }

  @Test
  void aTenMegabytePromptIsCutBeforeItIsScannedAndStillMarkedTruncated() {
    StringBuilder huge = new StringBuilder();
    while (huge.length() < 10 * 1024 * 1024) huge.append("word ");
    huge.append("sk-abcdefghijklmnop1234");
    ContentJson.Rendered r = ContentJson.messages(java.util.Collections.singletonList(
        new LlmMessage("user").add(LlmMessage.Part.text(huge.toString()))), 16 * 1024);
    assertTrue(r.truncated);
    assertTrue(r.json.length() < 16 * 1024 + 100, r.json.length() + " chars");
  }
}
