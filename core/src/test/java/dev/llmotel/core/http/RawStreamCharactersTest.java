package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmOtelConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The plain-HTTP streams count the answer's characters whatever content capture says (a stream that
 * reports no usage is estimated from them): with capture off the content deltas are not parsed
 * (wants), and the count read from their raw data must equal the text's length, escapes and all.
 */
class RawStreamCharactersTest {
  /** Escapes of every kind, non-ASCII text sent raw, and a name quoted inside the text. */
  private static final String[] PIECES = {"Hello", ", \"world\"\n", "caf\u00e9 \u00fcber \ud83d\ude00 ",
      "back\\slash\t/", "{\"content\":\"x\",\"text\":\"y\",\"delta\":\"z\",\"partial_json\":\"w\"}", ""};
  private static final String ARGUMENTS = "{\"city\":\"Z\u00fcrich\",\"unit\":\"c\"}";

  private static int textLength() {
    int n = 0;
    for (String p : PIECES) n += p.length();
    return n;
  }

  /** A JSON string as a provider may send it: non-ASCII escaped (ensure_ascii) or raw. */
  private static String quoted(String s, boolean escapeNonAscii) {
    String json = Json.write(s);
    if (!escapeNonAscii) return json;
    StringBuilder sb = new StringBuilder();
    for (char c : json.toCharArray()) {
      if (c < 0x80) sb.append(c);
      else sb.append(String.format("\\u%04x", (int) c));
    }
    return sb.toString();
  }

  private static final class Event {
    final String name;
    final String data;

    Event(String name, String data) {
      this.name = name;
      this.data = data;
    }
  }

  /**
   * Runs the events as the raw-HTTP layer does (parsed only when wanted) and as a replay does
   * (every event parsed, the path capture on takes), and returns both calls' character counts.
   */
  private static long[] count(WireFormat format, List<Event> events) {
    LlmCall skipping = new LlmCall("p", "chat");
    LlmCall parsing = new LlmCall("p", "chat");
    WireFormat.StreamEvents wanted = format.stream(skipping);
    WireFormat.StreamEvents every = format.stream(parsing);
    int skipped = 0;
    for (Event e : events) {
      boolean wants = wanted.wants(e.name, e.data);
      if (!wants) skipped++;
      wanted.onEvent(e.name, wants ? JsonMaps.parseObject(e.data) : null, e.data);
      every.onEvent(e.name, JsonMaps.parseObject(e.data), e.data);
    }
    wanted.finish();
    every.finish();
    if (format != GeminiWire.INSTANCE) assertFalse(skipped == 0, "content deltas are still skipped unparsed");
    return new long[] {skipping.response().outputCharacters(), parsing.response().outputCharacters()};
  }

  @Test
  void captureIsOffInTheseTests() {
    assertFalse(LlmOtelConfig.get().captureContent());
  }

  @Test
  void openAiChatCountsContentAndToolArguments() {
    for (boolean ascii : new boolean[] {false, true}) {
      List<Event> events = new ArrayList<>();
      events.add(new Event(null, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
          + "\"logprobs\":null,\"finish_reason\":null}]}"));
      for (String p : PIECES) {
        events.add(new Event(null, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quoted(p, ascii) + "},"
            + "\"logprobs\":{\"content\":[{\"token\":\"t\",\"logprob\":-0.1}]},\"finish_reason\":null}],\"usage\":null}"));
      }
      // A compatible server's spacing, and a reasoning field that is not the answer.
      events.add(new Event(null, "{ \"id\" : \"c1\", \"choices\" : [ { \"index\" : 0, \"delta\" : { "
          + "\"reasoning_content\" : \"thinking\" , \"content\" : " + quoted("ok", ascii) + " } } ] }"));
      events.add(new Event(null, "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
          + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}}]}"));
      for (int i = 0; i < ARGUMENTS.length(); i += 7) {
        String piece = ARGUMENTS.substring(i, Math.min(ARGUMENTS.length(), i + 7));
        events.add(new Event(null, "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
            + "\"function\":{\"arguments\":" + quoted(piece, ascii) + "}}]}}]}"));
      }
      events.add(new Event(null, "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"));
      events.add(new Event(null, "[DONE]"));
      long expected = textLength() + "ok".length() + ARGUMENTS.length();
      long[] counted = count(OpenAiChatWire.INSTANCE, events);
      assertEquals(expected, counted[0], "capture off, content deltas unparsed (ascii=" + ascii + ")");
      assertEquals(expected, counted[1], "every chunk parsed (ascii=" + ascii + ")");
    }
  }

  @Test
  void legacyCompletionsCountTheirText() {
    List<Event> events = new ArrayList<>();
    events.add(new Event(null, "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"gpt-3.5-turbo-instruct\","
        + "\"choices\":[{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}"));
    for (String p : PIECES) {
      events.add(new Event(null, "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"text\":"
          + quoted(p, false) + ",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}"));
    }
    long[] counted = count(OpenAiChatWire.INSTANCE, events);
    assertEquals(textLength(), counted[0]);
    assertEquals(textLength(), counted[1]);
  }

  @Test
  void openAiResponsesCountsTextRefusalAndArgumentDeltas() {
    for (boolean ascii : new boolean[] {false, true}) {
      List<Event> events = new ArrayList<>();
      events.add(new Event("response.created", "{\"type\":\"response.created\",\"sequence_number\":0,"
          + "\"response\":{\"id\":\"resp_1\",\"model\":\"gpt-4o-mini\",\"status\":\"in_progress\",\"output\":[]}}"));
      events.add(new Event("response.output_item.added", "{\"type\":\"response.output_item.added\","
          + "\"item\":{\"type\":\"message\",\"id\":\"msg_1\",\"content\":[]}}"));
      for (String p : PIECES) {
        events.add(new Event("response.output_text.delta", "{\"type\":\"response.output_text.delta\","
            + "\"sequence_number\":3,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":"
            + quoted(p, ascii) + ",\"logprobs\":[],\"obfuscation\":\"q8Rz\"}"));
      }
      // Its done event repeats the whole text: not counted again.
      events.add(new Event("response.output_text.done", "{\"type\":\"response.output_text.done\",\"text\":"
          + quoted(String.join("", PIECES), ascii) + "}"));
      events.add(new Event("response.refusal.delta", "{\"type\":\"response.refusal.delta\",\"delta\":\"No.\"}"));
      events.add(new Event("response.reasoning_summary_text.delta",
          "{\"type\":\"response.reasoning_summary_text.delta\",\"delta\":\"thinking\"}"));
      events.add(new Event("response.function_call_arguments.delta",
          "{\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_1\",\"delta\":"
              + quoted(ARGUMENTS, ascii) + "}"));
      long expected = textLength() + "No.".length() + ARGUMENTS.length();
      long[] counted = count(OpenAiResponsesWire.INSTANCE, events);
      assertEquals(expected, counted[0], "capture off, deltas unparsed (ascii=" + ascii + ")");
      assertEquals(expected, counted[1], "every event parsed (ascii=" + ascii + ")");
    }
  }

  @Test
  void anthropicCountsTextAndToolInputDeltas() {
    for (boolean ascii : new boolean[] {false, true}) {
      List<Event> events = new ArrayList<>();
      events.add(new Event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
          + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\","
          + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}"));
      events.add(new Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"));
      events.add(new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me see\"}}"));
      events.add(new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM\"}}"));
      events.add(new Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
      for (String p : PIECES) {
        events.add(new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":" + quoted(p, ascii) + "}}"));
      }
      events.add(new Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,"
          + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"weather\",\"input\":{}}}"));
      for (int i = 0; i < ARGUMENTS.length(); i += 5) {
        String piece = ARGUMENTS.substring(i, Math.min(ARGUMENTS.length(), i + 5));
        events.add(new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,"
            + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":" + quoted(piece, ascii) + "}}"));
      }
      long expected = textLength() + ARGUMENTS.length();
      long[] counted = count(AnthropicMessagesWire.INSTANCE, events);
      assertEquals(expected, counted[0], "capture off, deltas unparsed (ascii=" + ascii + ")");
      assertEquals(expected, counted[1], "every event parsed (ascii=" + ascii + ")");
    }
  }

  @Test
  void geminiCountsTextPartsAndFunctionCallArguments() {
    List<Event> events = new ArrayList<>();
    events.add(new Event(null, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"pondering\","
        + "\"thought\":true}]},\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}"));
    for (String p : PIECES) {
      events.add(new Event(null, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
          + quoted(p, false) + "}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":8},"
          + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}"));
    }
    Object args = JsonMaps.parseObject(ARGUMENTS);
    events.add(new Event(null, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":"
        + "{\"name\":\"weather\",\"args\":" + ARGUMENTS + "}}]},\"index\":0}]}"));
    long expected = textLength() + Json.write(args).length();
    long[] counted = count(GeminiWire.INSTANCE, events);
    assertEquals(expected, counted[0]);
    assertEquals(expected, counted[1]);
  }

  @Test
  void theRawScanCountsOnlyStringValuesOfTheMember() {
    String content = "\"content\"";
    assertEquals(0, SseParser.stringChars("{\"content\":null}", content));
    assertEquals(0, SseParser.stringChars("{\"content\":[{\"content\":\"\"}]}", content));
    assertEquals(3, SseParser.stringChars("{\"content\":[{\"content\":\"abc\"}]}", content), "any depth counts");
    assertEquals(0, SseParser.stringChars("{\"x\":\"say \\\"content\\\": \\\"no\\\"\"}", content),
        "a name quoted inside a value");
    assertEquals(0, SseParser.stringChars("{\"x\":[\"content\",\"abc\"]}", content), "a value, not a name");
    assertEquals(0, SseParser.stringChars("{\"reasoning_content\":\"abc\"}", content));
    assertEquals(2, SseParser.stringChars("{\"content\":\"\\u00e9\\n\"}", content));
    assertEquals(4, SseParser.stringChars("{\"a\":1,\"content\":\"ab\",\"b\":{\"content\" :\t\"cd\"}}", content));
    assertEquals(3, SseParser.stringChars("{\"content\":\"abc", content), "a cut event counts what it has");
    assertEquals(0, SseParser.stringChars("not json", content));
  }
}
