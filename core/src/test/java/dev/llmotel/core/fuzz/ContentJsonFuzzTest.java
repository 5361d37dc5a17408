package dev.llmotel.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.llmotel.core.ContentJson;
import dev.llmotel.core.Json;
import dev.llmotel.core.LlmMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Captured content from any text a model or user may produce (odd encodings, lone surrogates,
 * control characters, quotes, secrets cut anywhere): the attribute is always valid JSON, within
 * its budget, and never holds an API key.
 */
class ContentJsonFuzzTest {
  private static final String KEY = "sk-fuzzabcdefghijklmnopqrstu";

  @FuzzTest(maxDuration = "10s")
  void render(FuzzedDataProvider data) {
    int budget = data.consumeInt(0, 300);
    List<LlmMessage> messages = new ArrayList<>();
    int count = data.consumeInt(0, 6);
    for (int i = 0; i < count; i++) {
      LlmMessage m = new LlmMessage(data.consumeBoolean() ? "user" : data.consumeString(8));
      String text = data.consumeString(200);
      if (data.consumeBoolean()) text = text + KEY + data.consumeString(20);
      switch (data.consumeInt(0, 2)) {
        case 0: m.add(LlmMessage.Part.text(text)); break;
        case 1: m.add(LlmMessage.Part.toolCall(data.consumeString(10), data.consumeString(10), text)); break;
        default: m.add(LlmMessage.Part.toolCallResponse(data.consumeString(10), text)); break;
      }
      messages.add(m);
    }
    ContentJson.Rendered r = ContentJson.messages(messages, budget);
    try {
      Json.parse(r.json);
    } catch (IllegalArgumentException e) {
      throw new AssertionError("not valid JSON: " + r.json, e);
    }
    if (r.json.contains(KEY)) throw new AssertionError("an API key was captured: " + r.json);
    // Text is cut to the budget; names, roles and ids are not text and are not budgeted.
    int structure = 120 * (count + 1);
    for (LlmMessage m : messages) {
      structure += m.role().length() * 6;
      for (LlmMessage.Part p : m.parts()) structure += 6 * (length(p.id) + length(p.name));
    }
    if (r.json.length() > budget * 6 + structure) {
      throw new AssertionError("over budget " + budget + ": " + r.json.length() + " chars");
    }
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}
