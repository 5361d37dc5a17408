package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.LlmCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The raw-HTTP layer's parts without a client: endpoints, SSE framing, wire formats, a truncated body's usage. */
class RawHttpWireTest {
  @Test
  void endpointsAreRecognisedByPathAndTheProviderByHost() {
    LlmEndpoints endpoints = new LlmEndpoints(true, LlmEndpoints.parse(
        "llm.corp:8443/api/generate=corp-llm:openai-chat, broken-entry, x/y=p:unknown-format"));
    assertEquals("openai", endpoints.match("api.openai.com", 443, "/v1/chat/completions").provider);
    assertEquals("openai", endpoints.match("10.0.0.5", 8000, "/v1/chat/completions").provider, "vLLM and friends");
    LlmEndpoint azure = endpoints.match("acme.openai.azure.com", 443, "/openai/deployments/gpt4o-prod/chat/completions");
    assertEquals("azure.ai.openai", azure.provider);
    assertEquals("gpt4o-prod", azure.pathModel);
    assertEquals("anthropic", endpoints.match("api.anthropic.com", 443, "/v1/messages").provider);
    LlmEndpoint gemini = endpoints.match("generativelanguage.googleapis.com", 443,
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertEquals("gcp.gemini", gemini.provider);
    assertEquals("gemini-2.5-flash", gemini.pathModel);
    assertEquals("gcp.vertex_ai", endpoints.match("us-central1-aiplatform.googleapis.com", 443,
        "/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash:generateContent").provider);
    assertEquals("corp-llm", endpoints.match("llm.corp", 8443, "/api/generate").provider, "a configured endpoint");
    assertNull(endpoints.match("api.openai.com", 443, "/v1/files"));
    assertEquals("openai-responses", endpoints.match("api.openai.com", 443, "/v1/responses").format.name());
    assertNull(endpoints.match("shop.example", 443, "/api/survey/responses"), "a path that merely ends in responses");
    assertNull(new LlmEndpoints(false, new ArrayList<>()).match("api.openai.com", 443, "/v1/chat/completions"),
        "the switch turns the layer off");
  }

  @Test
  void sseEventsAreFramedWhateverTheSplitAndLineEnds() {
    List<String> events = new ArrayList<>();
    SseParser parser = new SseParser(new SseParser.Listener() {
      @Override public void onEvent(String event, String data) { events.add(event + "|" + data); }
      @Override public void onOversizedEvent() { events.add("oversized"); }
    }, 64);
    byte[] bytes = ("event: a\r\ndata: {\"x\":1}\r\n\r\ndata: line1\ndata: line2\n\n: comment\ndata: "
        + "0123456789012345678901234567890123456789012345678901234567890123456789\n\ndata: [DONE]").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += 3) parser.feed(bytes, i, Math.min(3, bytes.length - i));
    parser.end();
    assertEquals(Arrays.asList("a|{\"x\":1}", "null|line1\nline2", "oversized", "null|[DONE]"), events);
  }

  @Test
  void anOpenAiStreamAddsUpToItsLastUsageAndEndsAtDone() {
    LlmCall call = new LlmCall("openai", "chat");
    WireFormat.StreamEvents events = OpenAiChatWire.INSTANCE.stream(call);
    for (String data : new String[] {
        "{\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}",
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
        "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":4}}}"}) {
      events.onEvent(null, JsonMaps.parseObject(data), data);
    }
    assertEquals(false, events.finished());
    events.onEvent(null, null, "[DONE]");
    assertTrue(events.finished());
    events.finish();
    assertEquals("c1", call.response().responseId());
    assertEquals(Arrays.asList("stop"), call.response().finishReasons());
    assertEquals(9L, call.response().inputTokens());
    assertEquals(4L, call.response().cacheReadInputTokens());
  }

  @Test
  void streamEventsThatSayNothingAreNotParsedAndTheCallComesOutTheSame() {
    String[] chunks = {
        "{\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}],\"usage\":null}",
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}],\"usage\":null}",
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\"}]}}],\"usage\":null}",
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\" : \"tool_calls\"}],\"usage\":null}",
        "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}", "[DONE]"};
    LlmCall all = new LlmCall("openai", "chat");
    LlmCall skipping = new LlmCall("openai", "chat");
    WireFormat.StreamEvents everyEvent = OpenAiChatWire.INSTANCE.stream(all);
    WireFormat.StreamEvents wanted = OpenAiChatWire.INSTANCE.stream(skipping);
    List<Integer> parsed = new ArrayList<>();
    for (int i = 0; i < chunks.length; i++) {
      everyEvent.onEvent(null, JsonMaps.parseObject(chunks[i]), chunks[i]);
      boolean wants = wanted.wants(null, chunks[i]);
      if (wants) parsed.add(i);
      wanted.onEvent(null, wants ? JsonMaps.parseObject(chunks[i]) : null, chunks[i]);
    }
    everyEvent.finish();
    wanted.finish();
    assertEquals(Arrays.asList(0, 2, 3, 4), parsed, "a content delta with null finish reason and usage is skipped");
    assertTrue(wanted.finished());
    assertEquals(all.response().responseId(), skipping.response().responseId());
    assertEquals(all.response().responseModel(), skipping.response().responseModel());
    assertEquals(Arrays.asList("tool_calls"), skipping.response().finishReasons());
    assertEquals(all.response().finishReasons(), skipping.response().finishReasons());
    assertEquals(9L, skipping.response().inputTokens());
    assertEquals(all.response().outputTokens(), skipping.response().outputTokens());
    assertEquals(all.response().toolCallIds(), skipping.response().toolCallIds());
  }

  @Test
  void anInjectedCutLetsThroughExactlyTheBytesBeforeIt() {
    HttpFault.BodyCut events = new HttpFault.BodyCut(-1, 2, false);
    byte[] stream = "data: a\r\n\r\ndata: b\n\ndata: c\n\n".getBytes(StandardCharsets.UTF_8);
    int first = events.allow(stream, 0, 5);
    int rest = events.allow(stream, 5, stream.length - 5);
    assertEquals("data: a\r\n\r\ndata: b\n\n", new String(stream, 0, first + rest, StandardCharsets.UTF_8));
    assertTrue(events.reached());
    assertEquals(0, events.allow(stream, 0, 3));
    assertTrue(events.failure() instanceof java.io.EOFException);
    HttpFault.BodyCut bytes = new HttpFault.BodyCut(10, -1, false);
    assertEquals(6, bytes.allow(stream, 0, 6));
    assertEquals(4, bytes.allow(stream, 6, 20));
    assertTrue(bytes.reached());
  }

  @Test
  void aStreamCutInAnAwsEventStreamCountsWholeMessages() {
    byte[] first = EventStreamFrames.encode(java.util.Collections.singletonMap(":event-type", "messageStart"),
        "{\"role\":\"assistant\"}".getBytes(StandardCharsets.UTF_8));
    byte[] second = EventStreamFrames.encode(java.util.Collections.singletonMap(":event-type", "contentBlockDelta"),
        "{\"delta\":{\"text\":\"Hi\"}}".getBytes(StandardCharsets.UTF_8));
    byte[] stream = new byte[first.length + 2 * second.length];
    System.arraycopy(first, 0, stream, 0, first.length);
    System.arraycopy(second, 0, stream, first.length, second.length);
    System.arraycopy(second, 0, stream, first.length + second.length, second.length);
    HttpFault.BodyCut cut = new HttpFault.BodyCut(-1, 2, true);
    // Fed in odd splits: the cut falls exactly after the second message.
    int passed = 0;
    for (int off = 0; off < stream.length && !cut.reached(); off += 7) {
      passed += cut.allow(stream, off, Math.min(7, stream.length - off));
    }
    assertEquals(first.length + second.length, passed);
    java.util.List<EventStreamFrames.Frame> frames = new java.util.ArrayList<>();
    EventStreamFrames.Decoder decoder = new EventStreamFrames.Decoder(frames::add);
    for (int off = 0; off < stream.length; off += 5) decoder.feed(stream, off, Math.min(5, stream.length - off));
    assertEquals(3, frames.size());
    assertEquals("contentBlockDelta", frames.get(2).headers.get(":event-type"));
    assertEquals("{\"delta\":{\"text\":\"Hi\"}}", new String(frames.get(2).payload, StandardCharsets.UTF_8));
    assertTrue(Arrays.equals(second, EventStreamFrames.encode(frames.get(1).headers, frames.get(1).payload)),
        "re-encoded with the same checksums");
  }

  @Test
  void bedrockFaultsCarryTheErrorTypeTheAwsSdkReads() {
    BedrockWire converse = BedrockWire.forPath("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", "chat");
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    converse.errorHeaders(429, headers);
    assertEquals("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", headers.get("x-amzn-ErrorType"));
    assertEquals("slow down", JsonMaps.parseObject(converse.errorBody(429, "slow down")).get("message"));
    LlmCall call = new LlmCall("aws.bedrock", "chat");
    converse.response(call, JsonMaps.parseObject(converse.toolCallBody("m", "launch_rockets")));
    assertEquals(Arrays.asList("tool_use"), call.response().finishReasons());
    assertEquals(null, BedrockWire.forPath("/model/amazon.titan-embed-text-v2%3A0/invoke", "embeddings")
        .toolCallBody("amazon.titan-embed-text-v2:0", "t"));
  }

  @Test
  void injectedResponsesSpeakEachProvidersErrorFormat() {
    assertEquals("rate_limit_exceeded", JsonMaps.map(JsonMaps.parseObject(
        OpenAiChatWire.INSTANCE.errorBody(429, "slow down")).get("error")).get("type"));
    assertEquals("rate_limit_error", JsonMaps.map(JsonMaps.parseObject(
        AnthropicMessagesWire.INSTANCE.errorBody(429, "slow down")).get("error")).get("type"));
    assertEquals("UNAVAILABLE", JsonMaps.map(JsonMaps.parseObject(
        GeminiWire.INSTANCE.errorBody(503, "down")).get("error")).get("status"));
    LlmCall call = new LlmCall("openai", "chat");
    OpenAiChatWire.INSTANCE.response(call, JsonMaps.parseObject(OpenAiChatWire.INSTANCE.toolCallBody("gpt-4o", "nope")));
    assertEquals(Arrays.asList("tool_calls"), call.response().finishReasons());
    LlmCall anthropic = new LlmCall("anthropic", "chat");
    AnthropicMessagesWire.INSTANCE.response(anthropic,
        JsonMaps.parseObject(AnthropicMessagesWire.INSTANCE.toolCallBody("claude", "nope")));
    assertEquals(Arrays.asList("tool_use"), anthropic.response().finishReasons());
  }

  @Test
  void aResponsesApiStreamEndsAtItsCompletedEventWithTheUsage() {
    LlmCall call = new LlmCall("openai", "chat");
    OpenAiResponsesWire.INSTANCE.request(call, JsonMaps.parseObject(
        "{\"model\":\"gpt-4o-mini\",\"instructions\":\"Be brief\",\"input\":\"Hi\",\"stream\":true}"), null);
    assertEquals("gpt-4o-mini", call.request().requestModel());
    WireFormat.StreamEvents events = OpenAiResponsesWire.INSTANCE.stream(call);
    String[][] stream = {
        {"response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"model\":\"gpt-4o-mini-2024-07-18\"}}"},
        {"response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":\"Hello\"}"},
        {"response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\","
            + "\"output\":[{\"type\":\"function_call\",\"call_id\":\"call_9\"}],\"usage\":{\"input_tokens\":12,"
            + "\"input_tokens_details\":{\"cached_tokens\":4},\"output_tokens\":5,\"output_tokens_details\":{\"reasoning_tokens\":2}}}}"}};
    for (String[] e : stream) events.onEvent(e[0], events.wants(e[0], e[1]) ? JsonMaps.parseObject(e[1]) : null, e[1]);
    assertEquals(false, events.wants("response.output_text.delta", stream[1][1]));
    assertTrue(events.finished());
    assertEquals("resp_1", call.response().responseId());
    assertEquals("gpt-4o-mini-2024-07-18", call.response().responseModel());
    assertEquals(Arrays.asList("tool_calls"), call.response().finishReasons(), "completed with a function call");
    assertEquals(12L, call.response().inputTokens());
    assertEquals(5L, call.response().outputTokens());
    assertEquals(4L, call.response().cacheReadInputTokens());
    assertEquals(2L, call.response().reasoningOutputTokens());
    assertEquals(Arrays.asList("call_9"), call.response().toolCallIds());
  }

  @Test
  void aNonNullMemberIsFoundWithoutParsing() {
    assertTrue(JsonMaps.hasNonNullMember("{\"a\":{\"usage\" :\t{\"x\":1}}}", "usage"));
    assertTrue(JsonMaps.hasNonNullMember("{\"usage\":null,\"b\":{\"usage\":3}}", "usage"), "any occurrence");
    assertEquals(false, JsonMaps.hasNonNullMember("{\"usage\": null}", "usage"));
    assertEquals(false, JsonMaps.hasNonNullMember("{\"text\":\"usage\"}", "usage"), "a value is no member");
    assertEquals(false, JsonMaps.hasNonNullMember("{\"usage\"", "usage"), "cut off");
  }

  @Test
  void anthropicAndGeminiBodiesMapLikeTheirSdks() {
    LlmCall anthropic = new LlmCall("anthropic", "chat");
    AnthropicMessagesWire.INSTANCE.response(anthropic, JsonMaps.parseObject("{\"id\":\"msg_1\",\"model\":\"m\","
        + "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}],\"stop_reason\":\"tool_use\","
        + "\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":7}}"));
    assertEquals(15L, anthropic.response().inputTokens());
    assertEquals(Arrays.asList("toolu_1"), anthropic.response().toolCallIds());
    LlmCall gemini = new LlmCall("gcp.gemini", "generate_content");
    GeminiWire.INSTANCE.request(gemini, JsonMaps.parseObject("{\"contents\":[{\"role\":\"model\",\"parts\":"
        + "[{\"text\":\"earlier\"}]}],\"generationConfig\":{\"maxOutputTokens\":50}}"), "gemini-2.5-flash");
    assertEquals("assistant", gemini.request().inputMessages().get(0).role());
    assertEquals(50L, gemini.request().maxTokens());
    GeminiWire.INSTANCE.response(gemini, JsonMaps.parseObject("{\"candidates\":[{\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":3,\"thoughtsTokenCount\":4}}"));
    assertEquals(7L, gemini.response().outputTokens());
    assertEquals(Arrays.asList("stop"), gemini.response().finishReasons());
  }

  @Test
  void aTruncatedBodysUsageIsFoundInItsTail() {
    byte[] tail = ("...long text\"}}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":6000,"
        + "\"note\":\"}{\"},\"system_fingerprint\":null}").getBytes(StandardCharsets.UTF_8);
    Map<?, ?> found = TailUsage.find(tail);
    LlmCall call = new LlmCall("openai", "chat");
    OpenAiChatWire.INSTANCE.response(call, found);
    assertEquals(12L, call.response().inputTokens());
    assertEquals(6000L, call.response().outputTokens());
    assertNull(TailUsage.find("\"usage\":{\"prompt_tokens\":1".getBytes(StandardCharsets.UTF_8)), "cut before its end");
  }
}
