package dev.llmotel.testkit.fakellm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FakeLlmServerTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static FakeLlmServer server;
  private static HttpClient client;

  @BeforeAll
  static void startServer() {
    server = FakeLlmServer.start(0);
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  // ---------------------------------------------------------------------------------------------
  // helpers
  // ---------------------------------------------------------------------------------------------

  private static HttpRequest request(FakeLlmServer s, String path, Object body, String... headers) {
    String json;
    try {
      json = body instanceof String ? (String) body : MAPPER.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1" + path))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer sk-test-secret")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  private static HttpResponse<String> post(String path, Object body, String... headers)
      throws IOException, InterruptedException {
    return client.send(request(server, path, body, headers), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return MAPPER.readTree(r.body());
  }

  private static ObjectNode chatRequest(String model, String... roleContent) {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("model", model);
    ArrayNode messages = req.putArray("messages");
    for (int i = 0; i < roleContent.length; i += 2) {
      messages.addObject().put("role", roleContent[i]).put("content", roleContent[i + 1]);
    }
    return req;
  }

  private static ObjectNode weatherTool() {
    ObjectNode tool = MAPPER.createObjectNode();
    tool.put("type", "function");
    ObjectNode fn = tool.putObject("function");
    fn.put("name", "get_weather");
    fn.put("description", "Current weather");
    ObjectNode params = fn.putObject("parameters");
    params.put("type", "object");
    ObjectNode props = params.putObject("properties");
    props.putObject("city").put("type", "string");
    props.putObject("days").put("type", "integer");
    ObjectNode unit = props.putObject("unit");
    unit.put("type", "string");
    unit.putArray("enum").add("celsius").add("fahrenheit");
    props.putObject("verbose").put("type", "boolean");
    params.putArray("required").add("city").add("days").add("unit");
    return tool;
  }

  /** The JSON payloads of the {@code data:} lines of an SSE body, {@code [DONE]} kept as text. */
  private static List<String> sseData(String body) {
    List<String> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      for (String line : block.split("\n")) {
        if (line.startsWith("data: ")) {
          out.add(line.substring("data: ".length()));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // chat completions
  // ---------------------------------------------------------------------------------------------

  @Test
  void toolArgumentsTakeWhatTheQuestionIsAbout() {
    assertEquals("Paris", OpenAiWire.subjectOf("What is the weather in Paris?"));
    assertEquals("London", OpenAiWire.subjectOf("Should I take an umbrella in London today?"));
    assertEquals(null, OpenAiWire.subjectOf("Hello there"));
    assertEquals(null, OpenAiWire.subjectOf(null));
    JsonNode schema = MAPPER.createObjectNode().put("type", "object");
    ObjectNode props = ((ObjectNode) schema).putObject("properties");
    props.putObject("city").put("type", "string");
    props.putObject("note").put("type", "string");
    ((ObjectNode) schema).putArray("required").add("city").add("note");
    assertEquals("{\"city\":\"Berlin\",\"note\":\"fake\"}", OpenAiWire.toolArguments(schema, "Rain in Berlin?"));
    assertEquals("{\"city\":\"fake\",\"note\":\"fake\"}", OpenAiWire.toolArguments(schema, "how is it"));
  }

  @Test
  void chatCompletionJson() throws Exception {
    ObjectNode req =
        chatRequest(
            "gpt-4o-mini", "system", "You are helpful.", "user", "What is the capital of France?");
    HttpResponse<String> r = post("/chat/completions", req);

    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(null));
    assertEquals("req_1", r.headers().firstValue("x-request-id").orElse(null));
    assertTrue(r.headers().firstValue("openai-processing-ms").isPresent());

    JsonNode c = json(r);
    assertEquals("chatcmpl-fake-1", c.path("id").asText());
    assertEquals("chat.completion", c.path("object").asText());
    assertEquals(1735689600L, c.path("created").asLong());
    assertEquals("gpt-4o-mini-2024-07-18", c.path("model").asText());
    assertEquals("fp_fake", c.path("system_fingerprint").asText());
    assertEquals("default", c.path("service_tier").asText());
    JsonNode choice = c.path("choices").get(0);
    assertEquals(0, choice.path("index").asInt());
    assertTrue(choice.has("logprobs") && choice.get("logprobs").isNull());
    assertEquals("stop", choice.path("finish_reason").asText());
    JsonNode msg = choice.path("message");
    assertEquals("assistant", msg.path("role").asText());
    assertEquals("Fake answer to: What is the capital of France?", msg.path("content").asText());
    assertTrue(msg.get("refusal").isNull());
    assertTrue(msg.get("annotations").isArray() && msg.get("annotations").size() == 0);

    // (4 + 3) + (4 + 6) = 17; answer has 9 words.
    assertEquals(17, FakeLlmServer.promptTokens(req.get("messages")));
    JsonNode u = c.path("usage");
    assertEquals(17, u.path("prompt_tokens").asInt());
    assertEquals(9, u.path("completion_tokens").asInt());
    assertEquals(26, u.path("total_tokens").asInt());
    assertEquals(0, u.path("prompt_tokens_details").path("cached_tokens").asInt());
    assertEquals(0, u.path("completion_tokens_details").path("reasoning_tokens").asInt());
    assertTrue(u.path("completion_tokens_details").has("rejected_prediction_tokens"));

    List<RecordedRequest> recorded = server.requests();
    assertEquals(1, recorded.size());
    RecordedRequest rec = recorded.get(0);
    assertEquals("POST", rec.method());
    assertEquals("/v1/chat/completions", rec.path());
    assertEquals("Bearer sk-test-secret", rec.header("AUTHORIZATION"));
    assertEquals("gpt-4o-mini", rec.json().path("model").asText());
    assertFalse(rec.toString().contains("sk-test-secret"));
    assertEquals(null, rec.scenario());
  }

  @Test
  void unknownModelIsEchoedAndArrayContentCounts() throws Exception {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("model", "my-local-model");
    ObjectNode user = req.putArray("messages").addObject();
    user.put("role", "user");
    ArrayNode parts = user.putArray("content");
    parts.addObject().put("type", "text").put("text", "Hello there");
    parts.addObject().put("type", "image_url").putObject("image_url").put("url", "data:x");
    JsonNode c = json(post("/chat/completions", req));
    assertEquals("my-local-model", c.path("model").asText());
    assertEquals("Fake answer to: Hello there", c.at("/choices/0/message/content").asText());
    assertEquals(6, c.at("/usage/prompt_tokens").asInt());
  }

  @Test
  void streamWithoutUsage() throws Exception {
    ObjectNode req = chatRequest("gpt-4o", "user", "Say hi please");
    req.put("stream", true);
    HttpResponse<String> r = post("/chat/completions", req);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));

    List<String> data = sseData(r.body());
    assertEquals("[DONE]", data.get(data.size() - 1));
    assertTrue(r.body().endsWith("data: [DONE]\n\n"));
    String answer = "Fake answer to: Say hi please";
    int words = FakeLlmServer.words(answer);
    // role chunk + one chunk per word + finish chunk + [DONE]
    assertEquals(1 + words + 1 + 1, data.size());

    StringBuilder text = new StringBuilder();
    for (int i = 0; i < data.size() - 1; i++) {
      JsonNode chunk = MAPPER.readTree(data.get(i));
      assertEquals("chatcmpl-fake-1", chunk.path("id").asText());
      assertEquals("chat.completion.chunk", chunk.path("object").asText());
      assertEquals("gpt-4o-2024-08-06", chunk.path("model").asText());
      assertFalse(chunk.has("usage"), "no usage field unless include_usage");
      JsonNode choice = chunk.path("choices").get(0);
      if (i == 0) {
        assertEquals("assistant", choice.at("/delta/role").asText());
        assertEquals("", choice.at("/delta/content").asText());
      }
      if (i == 2) {
        assertEquals(" answer", choice.at("/delta/content").asText());
      }
      text.append(choice.path("delta").path("content").asText(""));
      if (i < data.size() - 2) {
        assertTrue(choice.get("finish_reason").isNull());
      } else {
        assertEquals("stop", choice.path("finish_reason").asText());
        assertEquals(0, choice.path("delta").size());
      }
    }
    assertEquals(answer, text.toString());
  }

  @Test
  void streamWithUsage() throws Exception {
    ObjectNode req = chatRequest("gpt-4o-mini", "user", "Say hi please");
    req.put("stream", true);
    req.putObject("stream_options").put("include_usage", true);
    List<String> data = sseData(post("/chat/completions", req).body());
    assertEquals("[DONE]", data.get(data.size() - 1));
    JsonNode last = MAPPER.readTree(data.get(data.size() - 2));
    assertEquals(0, last.path("choices").size());
    assertEquals(4 + 3, last.at("/usage/prompt_tokens").asInt());
    assertEquals(6, last.at("/usage/completion_tokens").asInt());
    assertEquals(13, last.at("/usage/total_tokens").asInt());
    for (int i = 0; i < data.size() - 2; i++) {
      JsonNode chunk = MAPPER.readTree(data.get(i));
      assertTrue(chunk.has("usage") && chunk.get("usage").isNull(), "usage:null on chunk " + i);
    }
  }

  @Test
  void chunksBehaviourSplitsIntoExactlyNContentChunks() throws Exception {
    server.script("bench", Behaviour.chunks(25));
    ObjectNode req = chatRequest("gpt-4o-mini", "user", "Go");
    req.put("stream", true);
    req.putObject("stream_options").put("include_usage", true);
    List<String> data = sseData(post("/chat/completions", req, "x-fake-scenario", "bench").body());
    int content = 0;
    for (String d : data) {
      if (!d.equals("[DONE]")) {
        JsonNode delta = MAPPER.readTree(d).at("/choices/0/delta");
        if (delta.has("content") && !delta.get("content").asText().isEmpty()) {
          content++;
        }
      }
    }
    assertEquals(25, content);
    assertEquals(25, MAPPER.readTree(data.get(data.size() - 2)).at("/usage/completion_tokens").asInt());
  }

  @Test
  void toolCallThenToolResultRoundTrip() throws Exception {
    ObjectNode req = chatRequest("gpt-4.1-mini", "user", "Weather in Paris?");
    req.putArray("tools").add(weatherTool());
    JsonNode c = json(post("/chat/completions", req));
    assertEquals("gpt-4.1-mini-2025-04-14", c.path("model").asText());
    JsonNode choice = c.path("choices").get(0);
    assertEquals("tool_calls", choice.path("finish_reason").asText());
    JsonNode msg = choice.path("message");
    assertTrue(msg.get("content").isNull());
    assertTrue(msg.get("refusal").isNull());
    JsonNode call = msg.path("tool_calls").get(0);
    assertEquals("call_fake_1", call.path("id").asText());
    assertEquals("function", call.path("type").asText());
    assertEquals("get_weather", call.at("/function/name").asText());
    String args = call.at("/function/arguments").asText();
    assertEquals("{\"city\":\"Paris\",\"days\":1,\"unit\":\"celsius\"}", args);
    assertEquals(2, c.at("/usage/completion_tokens").asInt());

    // Second turn: the assistant's tool call and the tool result.
    ArrayNode messages = (ArrayNode) req.get("messages");
    ObjectNode assistant = messages.addObject();
    assistant.put("role", "assistant");
    assistant.putNull("content");
    assistant.putArray("tool_calls").add(call);
    messages
        .addObject()
        .put("role", "tool")
        .put("tool_call_id", call.path("id").asText())
        .put("content", "Sunny, 22C");
    JsonNode c2 = json(post("/chat/completions", req));
    JsonNode choice2 = c2.path("choices").get(0);
    assertEquals("stop", choice2.path("finish_reason").asText());
    assertEquals(
        "Fake answer using tool result: Sunny, 22C", choice2.at("/message/content").asText());
    assertFalse(choice2.path("message").has("tool_calls"));
    // (4+3) + (4+0) + (4+2)
    assertEquals(17, c2.at("/usage/prompt_tokens").asInt());
  }

  @Test
  void streamedToolCall() throws Exception {
    ObjectNode req = chatRequest("gpt-4o-mini", "user", "Weather in Paris?");
    req.putArray("tools").add(weatherTool());
    req.put("stream", true);
    List<String> data = sseData(post("/chat/completions", req).body());
    assertEquals("[DONE]", data.get(data.size() - 1));
    JsonNode first = MAPPER.readTree(data.get(0)).at("/choices/0/delta/tool_calls/0");
    assertEquals(0, first.path("index").asInt());
    assertEquals("call_fake_1", first.path("id").asText());
    assertEquals("function", first.path("type").asText());
    assertEquals("get_weather", first.at("/function/name").asText());
    StringBuilder args = new StringBuilder();
    for (int i = 1; i < data.size() - 2; i++) {
      JsonNode tc = MAPPER.readTree(data.get(i)).at("/choices/0/delta/tool_calls/0");
      assertEquals(0, tc.path("index").asInt());
      assertFalse(tc.has("id"));
      args.append(tc.at("/function/arguments").asText());
    }
    assertEquals("{\"city\":\"Paris\",\"days\":1,\"unit\":\"celsius\"}", args.toString());
    assertEquals(
        "tool_calls",
        MAPPER.readTree(data.get(data.size() - 2)).at("/choices/0/finish_reason").asText());
  }

  // ---------------------------------------------------------------------------------------------
  // embeddings
  // ---------------------------------------------------------------------------------------------

  @Test
  void embeddingsFloatAndBase64() throws Exception {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("model", "text-embedding-3-small");
    req.putArray("input").add("hello world").add("foo");
    JsonNode floats = json(post("/embeddings", req));
    assertEquals("list", floats.path("object").asText());
    assertEquals("text-embedding-3-small", floats.path("model").asText());
    assertEquals(3, floats.at("/usage/prompt_tokens").asInt());
    assertEquals(3, floats.at("/usage/total_tokens").asInt());
    assertEquals(2, floats.path("data").size());
    for (int i = 0; i < 2; i++) {
      JsonNode e = floats.path("data").get(i);
      assertEquals("embedding", e.path("object").asText());
      assertEquals(i, e.path("index").asInt());
      assertEquals(8, e.path("embedding").size());
      double norm = 0;
      for (JsonNode v : e.path("embedding")) {
        norm += v.asDouble() * v.asDouble();
      }
      assertEquals(1.0, norm, 1e-5);
    }

    req.put("encoding_format", "base64");
    JsonNode b64 = json(post("/embeddings", req));
    for (int i = 0; i < 2; i++) {
      byte[] bytes = Base64.getDecoder().decode(b64.path("data").get(i).path("embedding").asText());
      assertEquals(8 * 4, bytes.length);
      ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      JsonNode expected = floats.path("data").get(i).path("embedding");
      for (int d = 0; d < 8; d++) {
        assertEquals((float) expected.get(d).asDouble(), buf.getFloat(), 0f);
      }
    }

    ObjectNode single = MAPPER.createObjectNode();
    single.put("model", "text-embedding-3-small");
    single.put("input", "foo");
    single.put("dimensions", 3);
    JsonNode one = json(post("/embeddings", single));
    assertEquals(1, one.path("data").size());
    assertEquals(3, one.at("/data/0/embedding").size());
    assertEquals(1, one.at("/usage/prompt_tokens").asInt());
  }

  // ---------------------------------------------------------------------------------------------
  // Responses API
  // ---------------------------------------------------------------------------------------------

  @Test
  void responsesJson() throws Exception {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("model", "gpt-4o-mini");
    req.put("instructions", "Be brief.");
    req.put("input", "Tell me a joke");
    JsonNode r = json(post("/responses", req));
    assertEquals("resp_fake_1", r.path("id").asText());
    assertEquals("response", r.path("object").asText());
    assertEquals(1735689600L, r.path("created_at").asLong());
    assertEquals("completed", r.path("status").asText());
    assertEquals("gpt-4o-mini-2024-07-18", r.path("model").asText());
    assertEquals("Be brief.", r.path("instructions").asText());
    assertTrue(r.get("error").isNull());
    assertTrue(r.get("incomplete_details").isNull());
    assertTrue(r.get("metadata").isObject());
    assertTrue(r.get("parallel_tool_calls").asBoolean());
    assertEquals("auto", r.path("tool_choice").asText());
    assertTrue(r.get("tools").isArray());
    assertTrue(r.has("temperature") && r.has("top_p"));
    JsonNode item = r.path("output").get(0);
    assertEquals("message", item.path("type").asText());
    assertEquals("msg_fake_1", item.path("id").asText());
    assertEquals("completed", item.path("status").asText());
    assertEquals("assistant", item.path("role").asText());
    assertEquals("output_text", item.at("/content/0/type").asText());
    assertEquals("Fake answer to: Tell me a joke", item.at("/content/0/text").asText());
    assertTrue(item.at("/content/0/annotations").isArray());
    JsonNode u = r.path("usage");
    // (4 + 2) instructions + (4 + 4) input
    assertEquals(14, FakeLlmServer.inputTokens(req));
    assertEquals(14, u.path("input_tokens").asInt());
    assertEquals(7, u.path("output_tokens").asInt());
    assertEquals(21, u.path("total_tokens").asInt());
    assertEquals(0, u.at("/input_tokens_details/cached_tokens").asInt());
    assertEquals(0, u.at("/output_tokens_details/reasoning_tokens").asInt());
  }

  @Test
  void responsesFunctionCallRoundTrip() throws Exception {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("model", "gpt-4.1");
    ArrayNode input = req.putArray("input");
    input.addObject().put("role", "user").put("content", "Weather in Paris?");
    ObjectNode tool = req.putArray("tools").addObject();
    tool.put("type", "function");
    tool.put("name", "get_weather");
    tool.set("parameters", weatherTool().at("/function/parameters"));
    JsonNode r = json(post("/responses", req));
    JsonNode call = r.path("output").get(0);
    assertEquals("function_call", call.path("type").asText());
    assertEquals("fc_fake_1", call.path("id").asText());
    assertEquals("call_fake_1", call.path("call_id").asText());
    assertEquals("get_weather", call.path("name").asText());
    assertEquals("completed", call.path("status").asText());
    assertEquals("{\"city\":\"Paris\",\"days\":1,\"unit\":\"celsius\"}", call.path("arguments").asText());
    assertEquals("get_weather", r.at("/tools/0/name").asText());
    assertTrue(r.at("/tools/0/strict").asBoolean());

    input.add(call);
    input
        .addObject()
        .put("type", "function_call_output")
        .put("call_id", "call_fake_1")
        .put("output", "Sunny, 22C");
    JsonNode r2 = json(post("/responses", req));
    assertEquals("message", r2.at("/output/0/type").asText());
    assertEquals(
        "Fake answer using tool result: Sunny, 22C", r2.at("/output/0/content/0/text").asText());
  }

  @Test
  void responsesStream() throws Exception {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("model", "gpt-4o-mini");
    req.put("input", "Tell me a joke");
    req.put("stream", true);
    HttpResponse<String> r = post("/responses", req);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<String> types = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    JsonNode completed = null;
    int expectedSeq = 0;
    for (String block : r.body().split("\n\n")) {
      String[] lines = block.split("\n");
      assertEquals(2, lines.length, block);
      assertTrue(lines[0].startsWith("event: "));
      assertTrue(lines[1].startsWith("data: "));
      String type = lines[0].substring("event: ".length());
      JsonNode data = MAPPER.readTree(lines[1].substring("data: ".length()));
      assertEquals(type, data.path("type").asText());
      assertEquals(expectedSeq++, data.path("sequence_number").asInt());
      types.add(type);
      if (type.equals("response.output_text.delta")) {
        assertEquals("msg_fake_1", data.path("item_id").asText());
        assertEquals(0, data.path("output_index").asInt());
        assertEquals(0, data.path("content_index").asInt());
        text.append(data.path("delta").asText());
      }
      if (type.equals("response.completed")) {
        completed = data.path("response");
      }
    }
    assertFalse(r.body().contains("[DONE]"));
    assertEquals("response.created", types.get(0));
    assertEquals("response.in_progress", types.get(1));
    assertEquals("response.output_item.added", types.get(2));
    assertEquals("response.content_part.added", types.get(3));
    assertEquals("response.output_text.done", types.get(types.size() - 4));
    assertEquals("response.content_part.done", types.get(types.size() - 3));
    assertEquals("response.output_item.done", types.get(types.size() - 2));
    assertEquals("response.completed", types.get(types.size() - 1));
    assertEquals(7, types.stream().filter(t -> t.equals("response.output_text.delta")).count());
    assertEquals("Fake answer to: Tell me a joke", text.toString());
    assertNotNull(completed);
    assertEquals("completed", completed.path("status").asText());
    assertEquals(8, completed.at("/usage/input_tokens").asInt());
    assertEquals(7, completed.at("/usage/output_tokens").asInt());
    assertEquals("Fake answer to: Tell me a joke", completed.at("/output/0/content/0/text").asText());
  }

  // ---------------------------------------------------------------------------------------------
  // behaviours
  // ---------------------------------------------------------------------------------------------

  @Test
  void rateLimitWithRetryAfter() throws Exception {
    server.script("rl", Behaviour.error(429, "2"));
    HttpResponse<String> r =
        post("/chat/completions", chatRequest("gpt-4o-mini", "user", "hi"), "x-fake-scenario", "rl");
    assertEquals(429, r.statusCode());
    assertEquals("2", r.headers().firstValue("retry-after").orElse(null));
    assertEquals("req_1", r.headers().firstValue("x-request-id").orElse(null));
    JsonNode err = json(r).path("error");
    assertEquals("rate_limit_exceeded", err.path("code").asText());
    assertEquals("requests", err.path("type").asText());
    assertTrue(err.get("param").isNull());
    assertTrue(err.path("message").asText().startsWith("Rate limit reached for gpt-4o-mini"));
  }

  @Test
  void errorBodiesPerStatus() throws Exception {
    server.script(
        "e", Behaviour.error(500), Behaviour.error(503), Behaviour.error(401), Behaviour.error(400));
    ObjectNode req = chatRequest("gpt-4o-mini", "user", "hi");
    HttpResponse<String> r500 = post("/chat/completions", req, "x-fake-scenario", "e");
    assertEquals(500, r500.statusCode());
    assertEquals("server_error", json(r500).at("/error/type").asText());
    assertFalse(r500.headers().firstValue("retry-after").isPresent());
    HttpResponse<String> r503 = post("/chat/completions", req, "x-fake-scenario", "e");
    assertEquals(503, r503.statusCode());
    assertEquals(
        "The engine is currently overloaded, please try again later.",
        json(r503).at("/error/message").asText());
    HttpResponse<String> r401 = post("/chat/completions", req, "x-fake-scenario", "e");
    assertEquals(401, r401.statusCode());
    assertEquals("invalid_api_key", json(r401).at("/error/code").asText());
    HttpResponse<String> r400 = post("/chat/completions", req, "x-fake-scenario", "e");
    assertEquals(400, r400.statusCode());
    assertEquals("invalid_request_error", json(r400).at("/error/type").asText());
  }

  @Test
  void unknownPathIs404WithOpenAiError() throws Exception {
    HttpResponse<String> r = post("/nope", "{}");
    assertEquals(404, r.statusCode());
    assertEquals("Invalid URL (POST /v1/nope)", json(r).at("/error/message").asText());
    assertEquals("invalid_request_error", json(r).at("/error/type").asText());
    assertTrue(r.headers().firstValue("x-request-id").isPresent());
  }

  @Test
  void invalidJsonBodyIs400() throws Exception {
    HttpResponse<String> r = post("/chat/completions", "{not json");
    assertEquals(400, r.statusCode());
    assertEquals("invalid_request_error", json(r).at("/error/type").asText());
  }

  @Test
  void heldAnswersWaitForTheTestsReleaseThenAnswerNormally() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    server.script("held", Behaviour.heldUntil(release), Behaviour.heldUntil(release));
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(client.sendAsync(request(server, "/chat/completions", chatRequest("gpt-4o-mini", "user", "hi"),
          "x-fake-scenario", "held"), HttpResponse.BodyHandlers.ofString()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (server.requests("held").size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(2, server.requests("held").size(), "both requests arrived");
    Thread.sleep(300);
    assertFalse(held.get(0).isDone() || held.get(1).isDone(), "no answer before the release");
    release.countDown();
    for (CompletableFuture<HttpResponse<String>> f : held) {
      HttpResponse<String> r = f.get(3, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode());
      assertEquals("Fake answer to: hi", json(r).at("/choices/0/message/content").asText());
    }
  }

  @Test
  void hangIsReleasedByClose() throws Exception {
    FakeLlmServer own = FakeLlmServer.start(0);
    try {
      own.script("h", Behaviour.hang());
      CompletableFuture<HttpResponse<String>> hanging =
          client.sendAsync(
              request(own, "/chat/completions", chatRequest("gpt-4o-mini", "user", "hi"),
                  "x-fake-scenario", "h"),
              HttpResponse.BodyHandlers.ofString());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (own.requests("h").isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1, own.requests("h").size(), "hanging request recorded");
      // Other requests are still served while one hangs.
      HttpResponse<String> other =
          client.send(
              request(own, "/chat/completions", chatRequest("gpt-4o-mini", "user", "hi")),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, other.statusCode());
      Thread.sleep(100);
      assertFalse(hanging.isDone(), "still hanging");

      long t0 = System.nanoTime();
      own.close();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> hanging.get(3, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
    } finally {
      own.close();
    }
  }

  @Test
  void hangIsReleasedByReset() throws Exception {
    server.script("h2", Behaviour.hang());
    CompletableFuture<HttpResponse<String>> hanging =
        client.sendAsync(
            request(server, "/chat/completions", chatRequest("gpt-4o-mini", "user", "hi"),
                "x-fake-scenario", "h2"),
            HttpResponse.BodyHandlers.ofString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (server.requests("h2").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    server.reset();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> hanging.get(3, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
  }

  @Test
  void responsesStreamCut() throws Exception {
    server.script("rcut", Behaviour.streamCut(1));
    ObjectNode req = MAPPER.createObjectNode();
    req.put("model", "gpt-4o-mini");
    req.put("input", "Tell me a joke");
    req.put("stream", true);
    HttpResponse<InputStream> r =
        client.send(
            request(server, "/responses", req, "x-fake-scenario", "rcut"),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    List<String> events = new ArrayList<>();
    assertThrows(
        IOException.class,
        () -> {
          try (BufferedReader reader =
              new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
              if (line.startsWith("event: ")) {
                events.add(line);
              }
            }
          }
        });
    assertEquals(List.of("event: response.created"), events);
  }

  @Test
  void delayDelaysTheNormalAnswer() throws Exception {
    server.script("d", Behaviour.delay(300));
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        post("/chat/completions", chatRequest("gpt-4o-mini", "user", "hi"), "x-fake-scenario", "d");
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300));
    assertEquals(200, r.statusCode());
    assertEquals("chat.completion", json(r).path("object").asText());
  }

  @Test
  void malformedAndWrongShape() throws Exception {
    server.script("m", Behaviour.malformed(), Behaviour.wrongShape());
    ObjectNode req = chatRequest("gpt-4o-mini", "user", "hi");
    HttpResponse<String> bad = post("/chat/completions", req, "x-fake-scenario", "m");
    assertEquals(200, bad.statusCode());
    assertEquals("application/json", bad.headers().firstValue("content-type").orElse(null));
    assertThrows(IOException.class, () -> MAPPER.readTree(bad.body()));
    HttpResponse<String> wrong = post("/chat/completions", req, "x-fake-scenario", "m");
    assertEquals(200, wrong.statusCode());
    JsonNode w = json(wrong);
    assertTrue(w.path("unexpected").asBoolean());
    assertFalse(w.has("choices"));
  }

  @Test
  void invalidUtf8KeepsTheJsonStructureButNotTheEncoding() throws Exception {
    server.script("u", Behaviour.invalidUtf8());
    HttpResponse<byte[]> r = client.send(
        request(server, "/chat/completions", chatRequest("gpt-4o-mini", "user", "hi"), "x-fake-scenario", "u"),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    byte[] body = r.body();
    java.nio.charset.CharsetDecoder strict = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
    assertThrows(java.nio.charset.CharacterCodingException.class,
        () -> strict.decode(java.nio.ByteBuffer.wrap(body)));
    // Decoded leniently, as most clients do, it is still a chat completion.
    JsonNode lenient = MAPPER.readTree(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("chat.completion", lenient.path("object").asText());
    assertTrue(lenient.path("choices").get(0).path("message").path("content").asText().contains("\uFFFD"));
  }

  @Test
  void streamCutDropsTheConnectionAfterNChunks() throws Exception {
    server.script("cut", Behaviour.streamCut(2), Behaviour.streamCut(2));
    ObjectNode req = chatRequest("gpt-4o-mini", "user", "Tell me a long story");
    req.put("stream", true);
    HttpResponse<InputStream> r =
        client.send(
            request(server, "/chat/completions", req, "x-fake-scenario", "cut"),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    List<String> dataLines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data: ")) {
          dataLines.add(line);
        }
      }
      fail("stream should end with an I/O error, got a clean end after " + dataLines);
    } catch (IOException expected) {
      // premature end of the chunked body
    }
    assertEquals(2, dataLines.size());
    assertFalse(dataLines.contains("data: [DONE]"));

    // Non-stream requests get a malformed body instead.
    req.put("stream", false);
    HttpResponse<String> nonStream = post("/chat/completions", req, "x-fake-scenario", "cut");
    assertEquals(200, nonStream.statusCode());
    assertThrows(IOException.class, () -> MAPPER.readTree(nonStream.body()));
  }

  @Test
  void resetConnectionSendsNothing() throws Exception {
    server.script("rst", Behaviour.resetConnection());
    assertThrows(
        IOException.class,
        () ->
            post(
                "/chat/completions",
                chatRequest("gpt-4o-mini", "user", "hi"),
                "x-fake-scenario",
                "rst"));
    assertEquals(1, server.requests("rst").size());
    // The server keeps serving.
    assertEquals(200, post("/chat/completions", chatRequest("gpt-4o-mini", "user", "hi")).statusCode());
  }

  @Test
  void scenarioStepsAreConsumedInOrderThenFallBackToOk() throws Exception {
    server.script("s", Behaviour.error(500), Behaviour.error(429, "1"), Behaviour.ok());
    ObjectNode req = chatRequest("gpt-4o-mini", "user", "hi");
    assertEquals(200, post("/chat/completions", req).statusCode(), "no header: normal");
    assertEquals(
        200, post("/chat/completions", req, "x-fake-scenario", "other").statusCode(), "unknown");
    assertEquals(500, post("/chat/completions", req, "x-fake-scenario", "s").statusCode());
    assertEquals(429, post("/chat/completions", req, "x-fake-scenario", "s").statusCode());
    assertEquals(200, post("/chat/completions", req, "x-fake-scenario", "s").statusCode());
    assertEquals(200, post("/chat/completions", req, "x-fake-scenario", "s").statusCode(), "used up");

    assertEquals(6, server.requests().size());
    assertEquals(4, server.requests("s").size());
    assertEquals("s", server.requests("s").get(0).scenario());
    assertEquals(1, server.requests("other").size());

    server.reset();
    assertTrue(server.requests().isEmpty());
    server.script("s", Behaviour.error(500));
    server.reset();
    assertEquals(200, post("/chat/completions", req, "x-fake-scenario", "s").statusCode());
  }

  @Test
  void behaviourIsImmutableValue() {
    assertEquals(Behaviour.error(429, "1"), Behaviour.error(429, "1"));
    assertEquals("error(429, \"1\")", Behaviour.error(429, "1").toString());
    assertEquals("streamCut(3)", Behaviour.streamCut(3).toString());
    assertThrows(IllegalArgumentException.class, () -> Behaviour.error(200));
    assertThrows(IllegalArgumentException.class, () -> Behaviour.chunks(0));
  }

  // ---------------------------------------------------------------------------------------------
  // Gemini API and Vertex AI (google-genai)
  // ---------------------------------------------------------------------------------------------

  private static final String GEMINI = "/v1beta/models/gemini-2.0-flash";
  private static final String VERTEX =
      "/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.0-flash";

  private static HttpRequest rawRequest(String pathAndQuery, Object body, String... headers) {
    String json;
    try {
      json = body instanceof String ? (String) body : MAPPER.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
            .timeout(Duration.ofSeconds(5))
            .header("x-goog-api-key", "test-secret-key")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  private static HttpResponse<String> postPath(String pathAndQuery, Object body, String... headers)
      throws IOException, InterruptedException {
    return client.send(rawRequest(pathAndQuery, body, headers), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<byte[]> postPathBytes(String pathAndQuery, Object body, String... headers)
      throws IOException, InterruptedException {
    return client.send(rawRequest(pathAndQuery, body, headers), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A generateContent body: an optional system instruction and (role, text) contents. */
  private static ObjectNode geminiRequest(String system, String... roleText) {
    ObjectNode req = MAPPER.createObjectNode();
    if (system != null) {
      req.putObject("systemInstruction").putArray("parts").addObject().put("text", system);
    }
    ArrayNode contents = req.putArray("contents");
    for (int i = 0; i < roleText.length; i += 2) {
      ObjectNode c = contents.addObject();
      c.put("role", roleText[i]);
      c.putArray("parts").addObject().put("text", roleText[i + 1]);
    }
    return req;
  }

  /** The weather function as the SDK sends a declaration: OpenAPI-style upper-case types. */
  private static ObjectNode geminiWeatherTool() {
    ObjectNode tool = MAPPER.createObjectNode();
    ObjectNode fn = tool.putArray("functionDeclarations").addObject();
    fn.put("name", "get_weather");
    fn.put("description", "Current weather");
    ObjectNode params = fn.putObject("parameters");
    params.put("type", "OBJECT");
    ObjectNode props = params.putObject("properties");
    props.putObject("city").put("type", "STRING");
    props.putObject("days").put("type", "INTEGER");
    ObjectNode unit = props.putObject("unit");
    unit.put("type", "STRING");
    unit.putArray("enum").add("celsius").add("fahrenheit");
    params.putArray("required").add("city").add("days").add("unit");
    return tool;
  }

  /** The JSON chunks of a Gemini SSE body ({@code data: <json>\r\n\r\n} each). */
  private static List<JsonNode> geminiChunks(String body) throws IOException {
    assertTrue(body.endsWith("\r\n\r\n"), "events end with CRLF CRLF");
    List<JsonNode> out = new ArrayList<>();
    for (String event : body.split("\r\n\r\n")) {
      assertTrue(event.startsWith("data: "), event);
      out.add(MAPPER.readTree(event.substring("data: ".length())));
    }
    return out;
  }

  @Test
  void geminiGenerateContentText() throws Exception {
    ObjectNode req = geminiRequest("You are helpful.", "user", "What is the capital of France?");
    req.putObject("generationConfig").put("temperature", 0.2).put("maxOutputTokens", 100);
    assertFalse(req.has("model"), "the model is in the path only");
    HttpResponse<String> r = postPath(GEMINI + ":generateContent", req);

    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(null));
    JsonNode g = json(r);
    JsonNode candidate = g.path("candidates").get(0);
    assertEquals("model", candidate.at("/content/role").asText());
    assertEquals(1, candidate.at("/content/parts").size());
    assertEquals("Fake answer to: What is the capital of France?", candidate.at("/content/parts/0/text").asText());
    assertEquals("STOP", candidate.path("finishReason").asText());
    assertEquals(0, candidate.path("index").asInt());
    assertEquals("gemini-2.0-flash-001", g.path("modelVersion").asText());
    assertEquals("gresp_fake_1", g.path("responseId").asText());
    assertFalse(g.has("createTime"), "createTime is Vertex only");

    // (4 + 3) system + (4 + 6) user = 17; the answer has 9 words.
    JsonNode u = g.path("usageMetadata");
    assertEquals(17, u.path("promptTokenCount").asInt());
    assertEquals(9, u.path("candidatesTokenCount").asInt());
    assertEquals(26, u.path("totalTokenCount").asInt());
    assertFalse(u.has("cachedContentTokenCount"));
    assertFalse(u.has("thoughtsTokenCount"));
    assertEquals(17, GeminiWire.promptTokens(req));
    assertEquals(9, GeminiWire.candidatesTokens(req));
    assertEquals(26, GeminiWire.totalTokens(req));
    assertEquals(0, GeminiWire.thoughtsTokens(req));
    assertEquals(0, GeminiWire.cachedContentTokens(req));
    assertEquals("Fake answer to: What is the capital of France?", GeminiWire.answerText(req));

    RecordedRequest rec = server.requests().get(0);
    assertEquals("/v1beta/models/gemini-2.0-flash:generateContent", rec.path());
    assertEquals("test-secret-key", rec.header("x-goog-api-key"));
  }

  @Test
  void geminiFunctionCallThenFunctionResponse() throws Exception {
    ObjectNode req = geminiRequest(null, "user", "Weather in Paris?");
    req.putArray("tools").add(geminiWeatherTool());
    JsonNode g = json(postPath(GEMINI + ":generateContent", req));
    JsonNode part = g.at("/candidates/0/content/parts/0");
    assertEquals("get_weather", part.at("/functionCall/name").asText());
    assertEquals("{\"city\":\"Paris\",\"days\":1,\"unit\":\"celsius\"}",
        MAPPER.writeValueAsString(part.at("/functionCall/args")));
    assertFalse(part.has("text"));
    assertEquals("STOP", g.at("/candidates/0/finishReason").asText());
    assertEquals(7, g.at("/usageMetadata/promptTokenCount").asInt());
    // words of the args JSON (1) + 1
    assertEquals(2, g.at("/usageMetadata/candidatesTokenCount").asInt());
    assertEquals(2, GeminiWire.candidatesTokens(req));
    assertEquals(null, GeminiWire.answerText(req));

    // Second turn: the model's call and the function response.
    ArrayNode contents = (ArrayNode) req.get("contents");
    ObjectNode model = contents.addObject();
    model.put("role", "model");
    model.putArray("parts").add(part);
    ObjectNode fr = contents.addObject();
    fr.put("role", "user");
    ObjectNode response = fr.putArray("parts").addObject().putObject("functionResponse");
    response.put("name", "get_weather");
    response.putObject("response").put("output", "Sunny, 22C");
    JsonNode g2 = json(postPath(GEMINI + ":generateContent", req));
    assertEquals("Fake answer using tool result: Sunny, 22C", g2.at("/candidates/0/content/parts/0/text").asText());
    // (4 + 3) + (4 + 0) + (4 + 2)
    assertEquals(17, g2.at("/usageMetadata/promptTokenCount").asInt());
    assertEquals(17, GeminiWire.promptTokens(req));

    // functionCallingConfig NONE: no call even with tools.
    ObjectNode none = geminiRequest(null, "user", "Weather in Paris?");
    none.putArray("tools").add(geminiWeatherTool());
    none.putObject("toolConfig").putObject("functionCallingConfig").put("mode", "NONE");
    JsonNode g3 = json(postPath(GEMINI + ":generateContent", none));
    assertEquals("Fake answer to: Weather in Paris?", g3.at("/candidates/0/content/parts/0/text").asText());
  }

  @Test
  void geminiThinkingCachedContentAndMaxTokens() throws Exception {
    ObjectNode req = geminiRequest(null, "user", "Explain it please");
    req.put("cachedContent", "cachedContents/abc123");
    req.putObject("generationConfig").putObject("thinkingConfig")
        .put("thinkingBudget", 5).put("includeThoughts", true);
    JsonNode g = json(postPath(GEMINI + ":generateContent", req));
    JsonNode u = g.path("usageMetadata");
    // (4 + 3) + 64 cached; thoughts = min(2 x 7, budget 5)
    assertEquals(71, u.path("promptTokenCount").asInt());
    assertEquals(GeminiWire.CACHED_CONTENT_TOKENS, u.path("cachedContentTokenCount").asInt());
    assertEquals(5, u.path("thoughtsTokenCount").asInt());
    assertEquals(6, u.path("candidatesTokenCount").asInt());
    assertEquals(71 + 6 + 5, u.path("totalTokenCount").asInt());
    assertEquals(71 + 6 + 5, GeminiWire.totalTokens(req));
    assertEquals(5, GeminiWire.thoughtsTokens(req));
    JsonNode parts = g.at("/candidates/0/content/parts");
    assertEquals(2, parts.size());
    assertTrue(parts.get(0).path("thought").asBoolean());
    assertEquals("Thinking about: Explain it please", parts.get(0).path("text").asText());
    assertEquals("Fake answer to: Explain it please", parts.get(1).path("text").asText());
    assertFalse(parts.get(1).has("thought"));

    // Dynamic budget (-1): 2 x prompt; budget 0: thinking off.
    ((ObjectNode) req.at("/generationConfig/thinkingConfig")).put("thinkingBudget", -1).remove("includeThoughts");
    assertEquals(14, GeminiWire.thoughtsTokens(req));
    JsonNode dynamic = json(postPath(GEMINI + ":generateContent", req));
    assertEquals(14, dynamic.at("/usageMetadata/thoughtsTokenCount").asInt());
    assertEquals(1, dynamic.at("/candidates/0/content/parts").size());
    ((ObjectNode) req.at("/generationConfig/thinkingConfig")).put("thinkingBudget", 0);
    assertFalse(json(postPath(GEMINI + ":generateContent", req)).at("/usageMetadata").has("thoughtsTokenCount"));

    ObjectNode capped = geminiRequest(null, "user", "Tell me a long story");
    capped.putObject("generationConfig").put("maxOutputTokens", 3);
    JsonNode c = json(postPath(GEMINI + ":generateContent", capped));
    assertEquals("Fake answer to:", c.at("/candidates/0/content/parts/0/text").asText());
    assertEquals("MAX_TOKENS", c.at("/candidates/0/finishReason").asText());
    assertEquals(3, c.at("/usageMetadata/candidatesTokenCount").asInt());
  }

  @Test
  void geminiStreamSendsWordChunksWithUsageOnEachAndFinalOnTheLast() throws Exception {
    ObjectNode req = geminiRequest(null, "user", "Say hi please");
    HttpResponse<String> r = postPath(GEMINI + ":streamGenerateContent?alt=sse", req);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertEquals("alt=sse", server.requests().get(0).query());

    List<JsonNode> chunks = geminiChunks(r.body());
    String answer = "Fake answer to: Say hi please";
    assertEquals(FakeLlmServer.words(answer), chunks.size());
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < chunks.size(); i++) {
      JsonNode c = chunks.get(i);
      assertEquals("gemini-2.0-flash-001", c.path("modelVersion").asText());
      assertEquals("gresp_fake_1", c.path("responseId").asText());
      text.append(c.at("/candidates/0/content/parts/0/text").asText());
      JsonNode u = c.path("usageMetadata");
      assertEquals(7, u.path("promptTokenCount").asInt(), "prompt on every chunk");
      assertEquals(i + 1, u.path("candidatesTokenCount").asInt(), "cumulative candidates");
      assertEquals(7 + i + 1, u.path("totalTokenCount").asInt());
      boolean last = i == chunks.size() - 1;
      assertEquals(last, c.at("/candidates/0").has("finishReason"), "finishReason on the last chunk only");
    }
    assertEquals(answer, text.toString());
    assertEquals(" answer", chunks.get(1).at("/candidates/0/content/parts/0/text").asText());
    assertEquals("STOP", chunks.get(chunks.size() - 1).at("/candidates/0/finishReason").asText());
    assertEquals(GeminiWire.totalTokens(req),
        chunks.get(chunks.size() - 1).at("/usageMetadata/totalTokenCount").asInt());

    // A function call comes whole, in one chunk.
    ObjectNode tools = geminiRequest(null, "user", "Weather in Paris?");
    tools.putArray("tools").add(geminiWeatherTool());
    List<JsonNode> call = geminiChunks(postPath(GEMINI + ":streamGenerateContent?alt=sse", tools).body());
    assertEquals(1, call.size());
    assertEquals("get_weather", call.get(0).at("/candidates/0/content/parts/0/functionCall/name").asText());
    assertEquals(2, call.get(0).at("/usageMetadata/candidatesTokenCount").asInt());

    // chunks(n) reshapes the text to n chunks.
    server.script("gchunks", Behaviour.chunks(12));
    List<JsonNode> twelve = geminiChunks(
        postPath(GEMINI + ":streamGenerateContent?alt=sse", req, "x-fake-scenario", "gchunks").body());
    assertEquals(12, twelve.size());
    assertEquals(12, twelve.get(11).at("/usageMetadata/candidatesTokenCount").asInt());
  }

  @Test
  void geminiStreamCutDropsTheConnectionAfterNChunks() throws Exception {
    server.script("gcut", Behaviour.streamCut(2));
    HttpResponse<InputStream> r = client.send(
        rawRequest(GEMINI + ":streamGenerateContent?alt=sse", geminiRequest(null, "user", "Tell me a long story"),
            "x-fake-scenario", "gcut"),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    List<String> data = new ArrayList<>();
    assertThrows(IOException.class, () -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith("data: ")) data.add(line);
        }
      }
    });
    assertEquals(2, data.size());
  }

  @Test
  void geminiEmbeddings() throws Exception {
    ObjectNode one = MAPPER.createObjectNode();
    one.putObject("content").putArray("parts").addObject().put("text", "hello world");
    one.put("outputDimensionality", 3);
    JsonNode e = json(postPath("/v1beta/models/text-embedding-004:embedContent", one));
    JsonNode values = e.at("/embedding/values");
    assertEquals(3, values.size());
    double norm = 0;
    for (JsonNode v : values) norm += v.asDouble() * v.asDouble();
    assertEquals(1.0, norm, 1e-5);
    assertFalse(e.has("usageMetadata"), "the Gemini API sends only the embedding");

    // What the SDK sends for the Gemini API: batchEmbedContents, config copied into each request.
    ObjectNode batch = MAPPER.createObjectNode();
    ArrayNode requests = batch.putArray("requests");
    for (String text : new String[] {"hello world", "foo"}) {
      ObjectNode r = requests.addObject();
      r.put("model", "models/text-embedding-004");
      r.putObject("content").putArray("parts").addObject().put("text", text);
    }
    ((ObjectNode) requests.get(0)).put("outputDimensionality", 3);
    JsonNode b = json(postPath("/v1beta/models/text-embedding-004:batchEmbedContents", batch));
    assertEquals(2, b.path("embeddings").size());
    assertEquals(values, b.at("/embeddings/0/values"), "same text, same vector");
    assertEquals(GeminiWire.DEFAULT_EMBEDDING_DIMENSIONS, b.at("/embeddings/1/values").size());

    HttpResponse<String> empty = postPath("/v1beta/models/text-embedding-004:batchEmbedContents", "{}");
    assertEquals(400, empty.statusCode());
    assertEquals("INVALID_ARGUMENT", json(empty).at("/error/status").asText());
  }

  @Test
  void vertexGenerateContentPredictAndEmbedContent() throws Exception {
    ObjectNode req = geminiRequest(null, "user", "Say hi please");
    JsonNode g = json(postPath(VERTEX + ":generateContent", req));
    assertEquals("Fake answer to: Say hi please", g.at("/candidates/0/content/parts/0/text").asText());
    assertEquals("2025-01-01T00:00:00Z", g.path("createTime").asText());
    assertEquals("gemini-2.0-flash-001", g.path("modelVersion").asText());
    assertEquals(7, g.at("/usageMetadata/promptTokenCount").asInt());

    // v1beta1, express mode (no project) and an encoded ':' route the same way.
    assertEquals(200, postPath("/v1beta1/publishers/google/models/gemini-1.5-pro-002:generateContent", req).statusCode());
    JsonNode encoded = json(postPath("/v1beta/models/gemini-1.5-pro-002%3AgenerateContent", req));
    assertEquals("gemini-1.5-pro-002", encoded.path("modelVersion").asText());

    List<JsonNode> chunks = geminiChunks(postPath(VERTEX + ":streamGenerateContent?alt=sse", req).body());
    assertEquals(6, chunks.size());
    assertEquals("2025-01-01T00:00:00Z", chunks.get(0).path("createTime").asText());

    // Vertex text embeddings (text-embedding-005 and older): :predict with string instances.
    ObjectNode predict = MAPPER.createObjectNode();
    predict.putArray("instances").add(MAPPER.createObjectNode().put("content", "hello world"))
        .add(MAPPER.createObjectNode().put("content", "foo"));
    predict.putObject("parameters").put("outputDimensionality", 4);
    JsonNode p = json(postPath(
        "/v1/projects/my-project/locations/us-central1/publishers/google/models/text-embedding-005:predict", predict));
    assertEquals(2, p.path("predictions").size());
    assertEquals(4, p.at("/predictions/0/embeddings/values").size());
    assertEquals(2, p.at("/predictions/0/embeddings/statistics/token_count").asInt());
    assertFalse(p.at("/predictions/0/embeddings/statistics/truncated").asBoolean(true));
    assertEquals(1, p.at("/predictions/1/embeddings/statistics/token_count").asInt());
    assertEquals(10 + 3, p.at("/metadata/billableCharacterCount").asInt());

    // gemini-embedding-001 on Vertex (SDK 2.x): :embedContent, with usage.
    ObjectNode embed = MAPPER.createObjectNode();
    embed.putObject("content").putArray("parts").addObject().put("text", "hello big world");
    embed.putObject("embedContentConfig").put("outputDimensionality", 5);
    JsonNode v = json(postPath(
        "/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-embedding-001:embedContent",
        embed));
    assertEquals(5, v.at("/embedding/values").size());
    assertEquals(3, v.at("/usageMetadata/promptTokenCount").asInt());
    assertEquals(3, GeminiWire.embeddingTokens("hello big world"));
  }

  @Test
  void geminiErrorsAndFaults() throws Exception {
    server.script("gerr", Behaviour.error(429, "3"), Behaviour.error(503), Behaviour.error(404),
        Behaviour.malformed(), Behaviour.wrongShape());
    ObjectNode req = geminiRequest(null, "user", "hi");
    HttpResponse<String> r429 = postPath(GEMINI + ":generateContent", req, "x-fake-scenario", "gerr");
    assertEquals(429, r429.statusCode());
    assertEquals("3", r429.headers().firstValue("retry-after").orElse(null));
    JsonNode err = json(r429).path("error");
    assertEquals(429, err.path("code").asInt());
    assertEquals("RESOURCE_EXHAUSTED", err.path("status").asText());
    assertFalse(err.path("message").asText().isEmpty());
    assertEquals("type.googleapis.com/google.rpc.RetryInfo", err.at("/details/0/@type").asText());
    assertEquals("3s", err.at("/details/0/retryDelay").asText());

    HttpResponse<String> r503 = postPath(GEMINI + ":streamGenerateContent?alt=sse", req, "x-fake-scenario", "gerr");
    assertEquals(503, r503.statusCode());
    assertEquals("UNAVAILABLE", json(r503).at("/error/status").asText());
    assertFalse(json(r503).path("error").has("details"));
    HttpResponse<String> r404 = postPath(VERTEX + ":generateContent", req, "x-fake-scenario", "gerr");
    assertEquals("NOT_FOUND", json(r404).at("/error/status").asText());

    HttpResponse<String> bad = postPath(GEMINI + ":generateContent", req, "x-fake-scenario", "gerr");
    assertEquals(200, bad.statusCode());
    assertThrows(IOException.class, () -> MAPPER.readTree(bad.body()));
    JsonNode wrong = json(postPath(GEMINI + ":generateContent", req, "x-fake-scenario", "gerr"));
    assertFalse(wrong.has("candidates"));

    assertEquals("INVALID_ARGUMENT", GeminiWire.statusName(400));
    assertEquals("UNAUTHENTICATED", GeminiWire.statusName(401));
    assertEquals("PERMISSION_DENIED", GeminiWire.statusName(403));
    assertEquals("INTERNAL", GeminiWire.statusName(500));
    assertEquals("DEADLINE_EXCEEDED", GeminiWire.statusName(504));

    HttpResponse<String> noContents = postPath(GEMINI + ":generateContent", "{}");
    assertEquals(400, noContents.statusCode());
    assertEquals("INVALID_ARGUMENT", json(noContents).at("/error/status").asText());
    HttpResponse<String> notJson = postPath(GEMINI + ":generateContent", "{nope");
    assertEquals(400, notJson.statusCode());
    assertEquals(400, json(notJson).at("/error/code").asInt());
  }

  @Test
  void geminiInvalidUtf8CorruptsTheFirstText() throws Exception {
    server.script("gu", Behaviour.invalidUtf8(), Behaviour.invalidUtf8());
    ObjectNode req = geminiRequest(null, "user", "hi");
    for (String method : new String[] {":generateContent", ":streamGenerateContent?alt=sse"}) {
      byte[] body = postPathBytes(GEMINI + method, req, "x-fake-scenario", "gu").body();
      assertThrows(java.nio.charset.CharacterCodingException.class,
          () -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)), method);
      String lenient = new String(body, StandardCharsets.UTF_8);
      String firstJson = lenient.startsWith("data: ") ? lenient.substring(6, lenient.indexOf("\r\n")) : lenient;
      assertTrue(MAPPER.readTree(firstJson).at("/candidates/0/content/parts/0/text").asText().startsWith("\uFFFD"),
          method);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // AWS Bedrock Runtime (bedrockruntime)
  // ---------------------------------------------------------------------------------------------

  private static final String HAIKU = "/model/anthropic.claude-3-haiku-20240307-v1%3A0";

  /** A Converse body: an optional system prompt and (role, text) messages. */
  private static ObjectNode converseRequest(String system, String... roleText) {
    ObjectNode req = MAPPER.createObjectNode();
    ArrayNode messages = req.putArray("messages");
    for (int i = 0; i < roleText.length; i += 2) {
      ObjectNode m = messages.addObject();
      m.put("role", roleText[i]);
      m.putArray("content").addObject().put("text", roleText[i + 1]);
    }
    if (system != null) {
      req.putArray("system").addObject().put("text", system);
    }
    req.putObject("inferenceConfig").put("maxTokens", 256).put("temperature", 0.5);
    return req;
  }

  private static ObjectNode bedrockWeatherTool() {
    ObjectNode tool = MAPPER.createObjectNode();
    ObjectNode spec = tool.putObject("toolSpec");
    spec.put("name", "get_weather");
    spec.put("description", "Current weather");
    spec.putObject("inputSchema").set("json", weatherTool().at("/function/parameters"));
    return tool;
  }

  /** Decodes an event-stream body with the AWS SDK's own decoder (checks both CRCs). */
  private static List<software.amazon.awssdk.eventstream.Message> decodeFrames(byte[] body) {
    software.amazon.awssdk.eventstream.MessageDecoder decoder = new software.amazon.awssdk.eventstream.MessageDecoder();
    decoder.feed(body);
    return decoder.getDecodedMessages();
  }

  private static String header(software.amazon.awssdk.eventstream.Message m, String name) {
    return m.getHeaders().get(name).getString();
  }

  private static JsonNode payload(software.amazon.awssdk.eventstream.Message m) throws IOException {
    return MAPPER.readTree(m.getPayload());
  }

  @Test
  void bedrockConverseText() throws Exception {
    ObjectNode req = converseRequest("You are helpful.", "user", "What is the capital of France?");
    HttpResponse<String> r = postPath(HAIKU + "/converse", req);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(null));
    assertEquals(BedrockWire.requestId(1), r.headers().firstValue("x-amzn-RequestId").orElse(null));
    assertEquals("00000000-0000-4000-8000-000000000001", BedrockWire.requestId(1));

    JsonNode c = json(r);
    assertEquals("assistant", c.at("/output/message/role").asText());
    assertEquals("Fake answer to: What is the capital of France?", c.at("/output/message/content/0/text").asText());
    assertEquals("end_turn", c.path("stopReason").asText());
    // (4 + 6) user + (4 + 3) system = 17; the answer has 9 words.
    JsonNode u = c.path("usage");
    assertEquals(17, u.path("inputTokens").asInt());
    assertEquals(9, u.path("outputTokens").asInt());
    assertEquals(26, u.path("totalTokens").asInt());
    assertFalse(u.has("cacheReadInputTokens"), "cache fields only with a cache point");
    assertEquals(BedrockWire.LATENCY_MS, c.at("/metrics/latencyMs").asLong());
    assertEquals(17, BedrockWire.promptTokens(req));
    assertEquals(9, BedrockWire.outputTokens(req));
    assertEquals("Fake answer to: What is the capital of France?", BedrockWire.answerText(req));

    RecordedRequest rec = server.requests().get(0);
    assertEquals("/model/anthropic.claude-3-haiku-20240307-v1:0/converse", rec.path(), "decoded model id");

    req.with("inferenceConfig").put("maxTokens", 3);
    JsonNode capped = json(postPath(HAIKU + "/converse", req));
    assertEquals("Fake answer to:", capped.at("/output/message/content/0/text").asText());
    assertEquals("max_tokens", capped.path("stopReason").asText());
    assertEquals(3, capped.at("/usage/outputTokens").asInt());
  }

  @Test
  void bedrockConverseToolUseThenToolResult() throws Exception {
    ObjectNode req = converseRequest(null, "user", "Weather in Paris?");
    req.putObject("toolConfig").putArray("tools").add(bedrockWeatherTool());
    JsonNode c = json(postPath(HAIKU + "/converse", req));
    assertEquals("tool_use", c.path("stopReason").asText());
    JsonNode toolUse = c.at("/output/message/content/0/toolUse");
    assertEquals("tooluse_fake_1", toolUse.path("toolUseId").asText());
    assertEquals("get_weather", toolUse.path("name").asText());
    assertEquals("{\"city\":\"Paris\",\"days\":1,\"unit\":\"celsius\"}", MAPPER.writeValueAsString(toolUse.path("input")));
    assertEquals(7, c.at("/usage/inputTokens").asInt());
    assertEquals(2, c.at("/usage/outputTokens").asInt());
    assertEquals(2, BedrockWire.outputTokens(req));

    ArrayNode messages = (ArrayNode) req.get("messages");
    ObjectNode assistant = messages.addObject();
    assistant.put("role", "assistant");
    assistant.putArray("content").addObject().set("toolUse", toolUse);
    ObjectNode result = messages.addObject();
    result.put("role", "user");
    ObjectNode tr = result.putArray("content").addObject().putObject("toolResult");
    tr.put("toolUseId", "tooluse_fake_1");
    tr.putArray("content").addObject().put("text", "Sunny, 22C");
    tr.put("status", "success");
    JsonNode c2 = json(postPath(HAIKU + "/converse", req));
    assertEquals("end_turn", c2.path("stopReason").asText());
    assertEquals("Fake answer using tool result: Sunny, 22C", c2.at("/output/message/content/0/text").asText());
    // (4 + 3) + (4 + 0) + (4 + 2)
    assertEquals(17, c2.at("/usage/inputTokens").asInt());
  }

  @Test
  void bedrockConversePromptCacheWritesThenReads() throws Exception {
    ObjectNode req = converseRequest(null, "user", "Summarise the rules");
    ArrayNode system = req.putArray("system");
    system.addObject().put("text", "Rule book for the bedrock cache test: five words here.");
    system.addObject().putObject("cachePoint").put("type", "default");
    int prompt = BedrockWire.promptTokens(req);
    int cacheable = BedrockWire.cacheableTokens(req);
    assertEquals(10, cacheable);
    assertEquals((4 + 3) + (4 + 10), prompt);

    JsonNode first = json(postPath(HAIKU + "/converse", req)).path("usage");
    assertEquals(prompt - cacheable, first.path("inputTokens").asInt());
    assertEquals(cacheable, first.path("cacheWriteInputTokens").asInt());
    assertEquals(0, first.path("cacheReadInputTokens").asInt());
    int output = first.path("outputTokens").asInt();
    assertEquals(prompt - cacheable + output + cacheable, first.path("totalTokens").asInt());

    JsonNode second = json(postPath(HAIKU + "/converse", req)).path("usage");
    assertEquals(prompt - cacheable, second.path("inputTokens").asInt());
    assertEquals(0, second.path("cacheWriteInputTokens").asInt());
    assertEquals(cacheable, second.path("cacheReadInputTokens").asInt());
  }

  @Test
  void bedrockConverseStreamDecodesWithTheAwsDecoder() throws Exception {
    ObjectNode req = converseRequest(null, "user", "Say hi please");
    HttpResponse<byte[]> r = postPathBytes(HAIKU + "/converse-stream", req);
    assertEquals(200, r.statusCode());
    assertEquals("application/vnd.amazon.eventstream", r.headers().firstValue("content-type").orElse(null));
    assertEquals(BedrockWire.requestId(1), r.headers().firstValue("x-amzn-RequestId").orElse(null));

    List<software.amazon.awssdk.eventstream.Message> frames = decodeFrames(r.body());
    List<String> types = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (software.amazon.awssdk.eventstream.Message m : frames) {
      assertEquals("event", header(m, ":message-type"));
      assertEquals("application/json", header(m, ":content-type"));
      String type = header(m, ":event-type");
      types.add(type);
      if (type.equals("contentBlockDelta")) {
        assertEquals(0, payload(m).path("contentBlockIndex").asInt());
        text.append(payload(m).at("/delta/text").asText());
      }
    }
    String answer = "Fake answer to: Say hi please";
    List<String> expected = new ArrayList<>();
    expected.add("messageStart");
    for (int i = 0; i < FakeLlmServer.words(answer); i++) expected.add("contentBlockDelta");
    expected.add("contentBlockStop");
    expected.add("messageStop");
    expected.add("metadata");
    assertEquals(expected, types);
    assertEquals(answer, text.toString());
    assertEquals("assistant", payload(frames.get(0)).path("role").asText());
    assertEquals("end_turn", payload(frames.get(frames.size() - 2)).path("stopReason").asText());
    JsonNode metadata = payload(frames.get(frames.size() - 1));
    assertEquals(7, metadata.at("/usage/inputTokens").asInt());
    assertEquals(6, metadata.at("/usage/outputTokens").asInt());
    assertEquals(13, metadata.at("/usage/totalTokens").asInt());
    assertEquals(BedrockWire.LATENCY_MS, metadata.at("/metrics/latencyMs").asLong());
  }

  @Test
  void bedrockConverseStreamToolUse() throws Exception {
    ObjectNode req = converseRequest(null, "user", "Weather in Paris?");
    req.putObject("toolConfig").putArray("tools").add(bedrockWeatherTool());
    List<software.amazon.awssdk.eventstream.Message> frames =
        decodeFrames(postPathBytes(HAIKU + "/converse-stream", req).body());
    assertEquals("messageStart", header(frames.get(0), ":event-type"));
    assertEquals("contentBlockStart", header(frames.get(1), ":event-type"));
    JsonNode start = payload(frames.get(1)).at("/start/toolUse");
    assertEquals("tooluse_fake_1", start.path("toolUseId").asText());
    assertEquals("get_weather", start.path("name").asText());
    StringBuilder input = new StringBuilder();
    int i = 2;
    for (; header(frames.get(i), ":event-type").equals("contentBlockDelta"); i++) {
      input.append(payload(frames.get(i)).at("/delta/toolUse/input").asText());
    }
    assertEquals("{\"city\":\"Paris\",\"days\":1,\"unit\":\"celsius\"}", input.toString());
    assertEquals("contentBlockStop", header(frames.get(i), ":event-type"));
    assertEquals("tool_use", payload(frames.get(i + 1)).path("stopReason").asText());
    assertEquals(2, payload(frames.get(i + 2)).at("/usage/outputTokens").asInt());
    assertEquals(i + 3, frames.size());
  }

  @Test
  void bedrockConverseStreamCutAfterNFrames() throws Exception {
    server.script("bcut", Behaviour.streamCut(2));
    HttpResponse<InputStream> r = client.send(
        rawRequest(HAIKU + "/converse-stream", converseRequest(null, "user", "Tell me a long story"),
            "x-fake-scenario", "bcut"),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    assertThrows(IOException.class, () -> {
      try (InputStream in = r.body()) {
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) got.write(buf, 0, n);
      }
    });
    List<software.amazon.awssdk.eventstream.Message> frames = decodeFrames(got.toByteArray());
    assertEquals(2, frames.size());
    assertEquals("messageStart", header(frames.get(0), ":event-type"));
    assertEquals("contentBlockDelta", header(frames.get(1), ":event-type"));
  }

  @Test
  void bedrockFrameLayout() {
    byte[] payload = "{\"role\":\"assistant\"}".getBytes(StandardCharsets.UTF_8);
    byte[] frame = BedrockWire.frame("messageStart", payload);
    ByteBuffer buf = ByteBuffer.wrap(frame);
    assertEquals(frame.length, buf.getInt(0), "total length");
    int headersLength = buf.getInt(4);
    assertEquals(frame.length - 16 - payload.length, headersLength);
    // The first header: name length 11, ":event-type", type 7 (string), value length 12, "messageStart".
    assertEquals(11, frame[12]);
    assertEquals(":event-type", new String(frame, 13, 11, StandardCharsets.UTF_8));
    assertEquals(7, frame[24]);
    assertEquals(12, buf.getShort(25));
    software.amazon.awssdk.eventstream.Message m = software.amazon.awssdk.eventstream.Message.decode(buf);
    assertEquals("messageStart", m.getHeaders().get(":event-type").getString());
    assertEquals("{\"role\":\"assistant\"}", new String(m.getPayload(), StandardCharsets.UTF_8));
    // A flipped payload bit fails the message CRC.
    frame[frame.length - 6] ^= 1;
    assertThrows(RuntimeException.class, () -> decodeFrames(frame));
  }

  @Test
  void bedrockInvokeAnthropic() throws Exception {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("anthropic_version", "bedrock-2023-05-31");
    req.put("max_tokens", 256);
    req.putArray("messages").addObject().put("role", "user").put("content", "What is the capital of France?");
    HttpResponse<String> r = postPath(HAIKU + "/invoke", req);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode m = json(r);
    assertEquals("message", m.path("type").asText());
    assertEquals("claude-3-haiku-20240307", m.path("model").asText());
    assertEquals("Fake answer to: What is the capital of France?", m.at("/content/0/text").asText());
    assertEquals("end_turn", m.path("stop_reason").asText());
    assertEquals(10, m.at("/usage/input_tokens").asInt());
    assertEquals(9, m.at("/usage/output_tokens").asInt());
    assertEquals("10", r.headers().firstValue("X-Amzn-Bedrock-Input-Token-Count").orElse(null));
    assertEquals("9", r.headers().firstValue("X-Amzn-Bedrock-Output-Token-Count").orElse(null));
    assertTrue(r.headers().firstValue("x-amzn-RequestId").isPresent());

    assertEquals("claude-3-5-sonnet-20241022", BedrockWire.anthropicModel("us.anthropic.claude-3-5-sonnet-20241022-v2:0"));
    assertEquals("claude-sonnet-4-20250514", BedrockWire.anthropicModel(
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0"));
    // An inference-profile ARN: '/' and ':' encoded in one path segment.
    HttpResponse<String> arn = postPath("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile"
        + "%2Fus.anthropic.claude-3-haiku-20240307-v1%3A0/invoke", req);
    assertEquals(200, arn.statusCode(), arn.body());
    assertEquals("claude-3-haiku-20240307", json(arn).path("model").asText());
  }

  @Test
  void bedrockInvokeWithResponseStreamAnthropic() throws Exception {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("anthropic_version", "bedrock-2023-05-31");
    req.put("max_tokens", 256);
    req.putArray("messages").addObject().put("role", "user").put("content", "Say hi please");
    HttpResponse<byte[]> r = postPathBytes(HAIKU + "/invoke-with-response-stream", req);
    assertEquals(200, r.statusCode());
    assertEquals("application/vnd.amazon.eventstream", r.headers().firstValue("content-type").orElse(null));
    List<String> types = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    JsonNode last = null;
    for (software.amazon.awssdk.eventstream.Message m : decodeFrames(r.body())) {
      assertEquals("chunk", header(m, ":event-type"));
      JsonNode event = MAPPER.readTree(Base64.getDecoder().decode(payload(m).path("bytes").asText()));
      types.add(event.path("type").asText());
      if (event.path("type").asText().equals("content_block_delta")) {
        text.append(event.at("/delta/text").asText());
      }
      last = event;
    }
    assertEquals("message_start", types.get(0));
    assertEquals("message_stop", types.get(types.size() - 1));
    assertEquals("Fake answer to: Say hi please", text.toString());
    JsonNode metrics = last.path("amazon-bedrock-invocationMetrics");
    assertEquals(7, metrics.path("inputTokenCount").asInt());
    assertEquals(6, metrics.path("outputTokenCount").asInt());
  }

  @Test
  void bedrockInvokeTitanEmbeddings() throws Exception {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("inputText", "hello big world");
    req.put("dimensions", 4);
    HttpResponse<String> r = postPath("/model/amazon.titan-embed-text-v2%3A0/invoke", req);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode e = json(r);
    assertEquals(4, e.path("embedding").size());
    double norm = 0;
    for (JsonNode v : e.path("embedding")) norm += v.asDouble() * v.asDouble();
    assertEquals(1.0, norm, 1e-5);
    assertEquals(3, e.path("inputTextTokenCount").asInt());
    assertEquals(3, BedrockWire.titanTokens("hello big world"));

    req.remove("dimensions");
    assertEquals(8, json(postPath("/model/amazon.titan-embed-text-v1/invoke", req)).path("embedding").size());
  }

  @Test
  void bedrockErrorsCarryTheErrorTypeHeader() throws Exception {
    server.script("berr", Behaviour.error(429, "2"), Behaviour.error(400), Behaviour.error(408),
        Behaviour.error(503), Behaviour.error(403));
    ObjectNode req = converseRequest(null, "user", "hi");
    HttpResponse<String> r429 = postPath(HAIKU + "/converse", req, "x-fake-scenario", "berr");
    assertEquals(429, r429.statusCode());
    assertEquals("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
        r429.headers().firstValue("x-amzn-ErrorType").orElse(null));
    assertEquals("2", r429.headers().firstValue("retry-after").orElse(null));
    assertEquals(BedrockWire.requestId(1), r429.headers().firstValue("x-amzn-RequestId").orElse(null));
    assertEquals("Too many requests, please wait before trying again.", json(r429).path("message").asText());
    assertEquals(1, json(r429).size(), "only a message");

    String[] types = {"ValidationException", "ModelTimeoutException", "ServiceUnavailableException",
        "AccessDeniedException"};
    int[] statuses = {400, 408, 503, 403};
    for (int i = 0; i < types.length; i++) {
      HttpResponse<String> r = postPath(HAIKU + (i % 2 == 0 ? "/converse" : "/converse-stream"), req,
          "x-fake-scenario", "berr");
      assertEquals(statuses[i], r.statusCode());
      assertEquals(types[i] + ":http://internal.amazon.com/coral/com.amazon.bedrock/",
          r.headers().firstValue("x-amzn-ErrorType").orElse(null));
      assertFalse(r.headers().firstValue("retry-after").isPresent());
      assertFalse(json(r).path("message").asText().isEmpty());
    }
    assertEquals("ResourceNotFoundException", BedrockWire.errorType(404));
    assertEquals("InternalServerException", BedrockWire.errorType(500));

    // Requests the fake cannot answer get a ValidationException, as Bedrock sends.
    HttpResponse<String> llama = postPath("/model/meta.llama3-8b-instruct-v1%3A0/invoke", "{\"prompt\":\"hi\"}");
    assertEquals(400, llama.statusCode());
    assertEquals("ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
        llama.headers().firstValue("x-amzn-ErrorType").orElse(null));
    HttpResponse<String> empty = postPath(HAIKU + "/converse", "{\"messages\":[]}");
    assertEquals(400, empty.statusCode());
    assertTrue(empty.headers().firstValue("x-amzn-ErrorType").orElse("").startsWith("ValidationException:"));
  }

  @Test
  void bedrockInvalidUtf8KeepsFramesValid() throws Exception {
    server.script("bu", Behaviour.invalidUtf8());
    byte[] body = postPathBytes(HAIKU + "/converse-stream", converseRequest(null, "user", "hi"),
        "x-fake-scenario", "bu").body();
    List<software.amazon.awssdk.eventstream.Message> frames = decodeFrames(body);
    assertEquals("contentBlockDelta", header(frames.get(1), ":event-type"));
    byte[] corrupted = frames.get(1).getPayload();
    assertThrows(java.nio.charset.CharacterCodingException.class,
        () -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(corrupted)));
    assertTrue(MAPPER.readTree(new String(corrupted, StandardCharsets.UTF_8)).at("/delta/text").asText()
        .startsWith("\uFFFD"));
    // Only the first text is corrupted.
    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(frames.get(2).getPayload()));
  }

  // ---------------------------------------------------------------------------------------------
  // Structured answers and the answers output validation escalates (issue 21)
  // ---------------------------------------------------------------------------------------------

  private static final String WEATHER_QUESTION = "What is the weather in Paris?";

  /** A schema using what the generator fills: the subject, bounds, enum, nested array items, $ref, nullable. */
  private static ObjectNode forecastSchema() throws IOException {
    return (ObjectNode) MAPPER.readTree("{\"type\": \"object\", \"properties\": {"
        + "\"city\": {\"type\": \"string\"},"
        + "\"temperature\": {\"type\": \"number\", \"minimum\": -50, \"maximum\": 60},"
        + "\"days\": {\"type\": \"integer\", \"minimum\": 3},"
        + "\"unit\": {\"type\": \"string\", \"enum\": [\"celsius\", \"fahrenheit\"]},"
        + "\"sunny\": {\"type\": \"boolean\"},"
        + "\"forecast\": {\"type\": \"array\", \"minItems\": 2, \"items\": {\"type\": \"object\","
        + "  \"properties\": {\"day\": {\"type\": \"string\", \"format\": \"date\"},"
        + "    \"high\": {\"type\": \"integer\", \"exclusiveMinimum\": 10}},"
        + "  \"required\": [\"day\", \"high\"], \"additionalProperties\": false}},"
        + "\"source\": {\"$ref\": \"#/$defs/source\"},"
        + "\"note\": {\"type\": [\"string\", \"null\"]},"
        + "\"optional\": {\"type\": \"string\"}},"
        + "\"required\": [\"city\", \"temperature\", \"days\", \"unit\", \"sunny\", \"forecast\", \"source\","
        + "  \"note\"],"
        + "\"additionalProperties\": false,"
        + "\"$defs\": {\"source\": {\"type\": \"object\", \"properties\": {"
        + "  \"name\": {\"type\": \"string\", \"minLength\": 6}, \"kind\": {\"const\": \"station\"}},"
        + "  \"required\": [\"name\", \"kind\"], \"additionalProperties\": false}}}");
  }

  /** What a model honouring {@link #forecastSchema()} answers to {@link #WEATHER_QUESTION}. */
  private static final String FORECAST = "{\"city\": \"Paris\", \"temperature\": 1, \"days\": 3, \"unit\":"
      + " \"celsius\", \"sunny\": true, \"forecast\": [{\"day\": \"2025-01-01\", \"high\": 11}, {\"day\":"
      + " \"2025-01-01\", \"high\": 11}], \"source\": {\"name\": \"fakeee\", \"kind\": \"station\"}, \"note\":"
      + " \"fake\"}";

  private static final String ANY_JSON_ANSWER = "{\"answer\": \"Fake answer to: " + WEATHER_QUESTION + "\"}";

  /** Checks {@code answer} against {@code schema} with the validator llm-otel itself uses. */
  private static void assertFits(JsonNode schema, String answer) {
    dev.harrel.jsonschema.Validator.Result result = new dev.harrel.jsonschema.ValidatorFactory()
        .withJsonNodeFactory(new dev.harrel.jsonschema.providers.JacksonNode.Factory(MAPPER))
        .validate(schema.toString(), answer);
    List<String> errors = new ArrayList<>();
    for (dev.harrel.jsonschema.Error e : result.getErrors()) {
      errors.add(e.getInstanceLocation() + ": " + e.getError());
    }
    assertTrue(result.isValid(), answer + " fits the schema: " + errors);
  }

  /** Gemini's OpenAPI subset as JSON Schema: lower-case types, {@code nullable} dropped, int64 bounds numbers. */
  private static JsonNode openApiToJsonSchema(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    lowerTypes(copy);
    return copy;
  }

  private static void lowerTypes(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      if (o.path("type").isTextual()) {
        o.put("type", o.path("type").asText().toLowerCase(java.util.Locale.ROOT));
      }
      o.remove("nullable");
      for (String bound : new String[] {"minItems", "maxItems", "minLength", "maxLength"}) {
        if (o.path(bound).isTextual()) o.put(bound, Integer.parseInt(o.path(bound).asText()));
      }
      o.forEach(FakeLlmServerTest::lowerTypes);
    } else if (node.isArray()) {
      node.forEach(FakeLlmServerTest::lowerTypes);
    }
  }

  /** The JSON data of every event of an SSE body (OpenAI, Anthropic), without {@code [DONE]}. */
  private static List<JsonNode> sseJson(String body) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String d : sseData(body)) {
      if (!d.equals("[DONE]")) out.add(MAPPER.readTree(d));
    }
    return out;
  }

  /** The events of a stream whose {@code type} is {@code type}. */
  private static List<JsonNode> ofType(List<JsonNode> events, String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.path("type").asText().equals(type)) out.add(e);
    }
    return out;
  }

  /** The text at {@code pointer} of each event, joined. */
  private static String joined(List<JsonNode> events, String pointer) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode e : events) sb.append(e.at(pointer).asText(""));
    return sb.toString();
  }

  private static ObjectNode chatJsonSchemaRequest(JsonNode schema) {
    ObjectNode req = chatRequest("gpt-4o-mini", "user", WEATHER_QUESTION);
    ObjectNode format = req.putObject("response_format");
    format.put("type", "json_schema");
    format.putObject("json_schema").put("name", "forecast").put("strict", true).set("schema", schema);
    return req;
  }

  private static ObjectNode responsesRequest(String input) {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("model", "gpt-4o-mini");
    req.put("input", input);
    return req;
  }

  private static ObjectNode anthropicRequest(String question) {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("model", "claude-sonnet-4-5");
    req.put("max_tokens", 1024);
    req.putArray("messages").addObject().put("role", "user").put("content", question);
    return req;
  }

  private static ObjectNode anthropicWeatherTool() {
    ObjectNode tool = MAPPER.createObjectNode();
    tool.put("name", "get_weather");
    tool.put("description", "Current weather");
    tool.set("input_schema", weatherTool().at("/function/parameters"));
    return tool;
  }

  private static ObjectNode responsesWeatherTool() {
    ObjectNode tool = MAPPER.createObjectNode();
    tool.put("type", "function");
    tool.put("name", "get_weather");
    tool.set("parameters", weatherTool().at("/function/parameters"));
    return tool;
  }

  /** The event-stream frames of a Bedrock answer: (event type, payload). */
  private static List<JsonNode> converseStream(ObjectNode req, String... headers) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    HttpResponse<byte[]> r = postPathBytes(HAIKU + "/converse-stream", req, headers);
    assertEquals(200, r.statusCode());
    for (software.amazon.awssdk.eventstream.Message m : decodeFrames(r.body())) {
      ObjectNode event = MAPPER.createObjectNode();
      event.put("type", header(m, ":event-type"));
      event.set("payload", payload(m));
      out.add(event);
    }
    return out;
  }

  @Test
  void schemaValuesSatisfyTheirSchema() throws Exception {
    ObjectNode schema = forecastSchema();
    assertEquals(FORECAST, OpenAiWire.spacedJson(OpenAiWire.schemaValue(schema, WEATHER_QUESTION)));
    assertFits(schema, FORECAST);
    assertFits(schema, OpenAiWire.spacedJson(OpenAiWire.schemaValue(schema, "how is it")));

    // Gemini's OpenAPI subset: upper-case types, nullable, int64 bounds written as strings.
    JsonNode gemini = MAPPER.readTree("{\"type\": \"OBJECT\", \"properties\": {"
        + "\"name\": {\"type\": \"STRING\", \"nullable\": true},"
        + "\"count\": {\"type\": \"INTEGER\", \"minimum\": 2},"
        + "\"tags\": {\"type\": \"ARRAY\", \"items\": {\"type\": \"STRING\", \"maxLength\": 2}, \"minItems\": \"2\"}},"
        + "\"required\": [\"name\", \"count\", \"tags\"], \"propertyOrdering\": [\"name\", \"count\", \"tags\"]}");
    String value = OpenAiWire.spacedJson(OpenAiWire.schemaValue(gemini, WEATHER_QUESTION));
    assertEquals("{\"name\": \"Paris\", \"count\": 2, \"tags\": [\"fa\", \"fa\"]}", value);
    assertFits(openApiToJsonSchema(gemini), value);

    // Alternatives, combinations, exclusive bounds, steps, tuples and a schema that is only a type.
    JsonNode more = MAPPER.readTree("{\"type\": \"object\", \"properties\": {"
        + "\"maybe\": {\"anyOf\": [{\"type\": \"null\"}, {\"type\": \"integer\", \"exclusiveMinimum\": 5}]},"
        + "\"either\": {\"oneOf\": [{\"type\": \"number\", \"maximum\": 0.5}, {\"type\": \"string\"}]},"
        + "\"both\": {\"allOf\": [{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"boolean\"}},"
        + "  \"required\": [\"a\"]}, {\"properties\": {\"b\": {\"type\": \"null\"}}, \"required\": [\"b\"]}]},"
        + "\"step\": {\"type\": \"integer\", \"multipleOf\": 5},"
        + "\"pair\": {\"type\": \"array\", \"prefixItems\": [{\"type\": \"string\"}, {\"type\": \"integer\"}],"
        + "  \"minItems\": 2, \"items\": false},"
        + "\"when\": {\"type\": \"string\", \"format\": \"date-time\"},"
        + "\"anything\": {}},"
        + "\"required\": [\"maybe\", \"either\", \"both\", \"step\", \"pair\", \"when\", \"anything\"]}");
    value = OpenAiWire.spacedJson(OpenAiWire.schemaValue(more, null));
    assertEquals("{\"maybe\": 6, \"either\": 0.5, \"both\": {\"a\": true, \"b\": null}, \"step\": 5, \"pair\":"
        + " [\"fake\", 1], \"when\": \"2025-01-01T00:00:00Z\", \"anything\": {}}", value);
    assertFits(more, value);

    // Tool arguments fill nested required properties the same way, and stay compact.
    ObjectNode params = (ObjectNode) weatherTool().at("/function/parameters");
    ((ObjectNode) params.get("properties")).set("stops", MAPPER.readTree(
        "{\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {\"at\": {\"type\": \"string\"}},"
            + " \"required\": [\"at\"]}}"));
    ((ArrayNode) params.get("required")).add("stops");
    assertEquals("{\"city\":\"Paris\",\"days\":1,\"unit\":\"celsius\",\"stops\":[{\"at\":\"fake\"}]}",
        OpenAiWire.toolArguments(params, WEATHER_QUESTION));
  }

  @Test
  void chatStructuredAnswersFitTheirSchemaJsonAndStreamed() throws Exception {
    ObjectNode schema = forecastSchema();
    ObjectNode req = chatJsonSchemaRequest(schema);
    JsonNode c = json(post("/chat/completions", req));
    String content = c.at("/choices/0/message/content").asText();
    assertEquals(FORECAST, content);
    assertFits(schema, content);
    assertEquals("stop", c.at("/choices/0/finish_reason").asText());
    int words = FakeLlmServer.words(FORECAST);
    assertEquals(words, c.at("/usage/completion_tokens").asInt(), "tokens are the JSON's words");
    assertEquals(words, ServedUsage.of(server.requests().get(0)).output());

    // Streamed: the same JSON, one word per chunk like any text.
    req.put("stream", true);
    List<JsonNode> chunks = sseJson(post("/chat/completions", req).body());
    assertEquals(1 + words + 1, chunks.size(), "role chunk, one chunk per word, finish chunk");
    assertEquals(FORECAST, joined(chunks, "/choices/0/delta/content"));
    assertEquals("{\"city\":", chunks.get(1).at("/choices/0/delta/content").asText());

    // json_object: any JSON object, the normal text as its answer.
    ObjectNode object = chatRequest("gpt-4o-mini", "user", WEATHER_QUESTION);
    object.putObject("response_format").put("type", "json_object");
    JsonNode o = json(post("/chat/completions", object));
    assertEquals(ANY_JSON_ANSWER, o.at("/choices/0/message/content").asText());
    assertEquals(FakeLlmServer.words(ANY_JSON_ANSWER), o.at("/usage/completion_tokens").asInt());

    // The answer after a tool result is structured too; a tool call is not.
    req.remove("stream");
    req.putArray("tools").add(weatherTool());
    JsonNode call = json(post("/chat/completions", req));
    assertEquals("tool_calls", call.at("/choices/0/finish_reason").asText());
    ((ArrayNode) req.get("messages")).addObject().put("role", "tool").put("tool_call_id", "call_fake_4")
        .put("content", "Sunny, 22C");
    assertEquals(FORECAST, json(post("/chat/completions", req)).at("/choices/0/message/content").asText());

    // response_format text: the normal answer.
    ObjectNode text = chatRequest("gpt-4o-mini", "user", WEATHER_QUESTION);
    text.putObject("response_format").put("type", "text");
    assertEquals("Fake answer to: " + WEATHER_QUESTION,
        json(post("/chat/completions", text)).at("/choices/0/message/content").asText());
  }

  @Test
  void responsesStructuredAnswersFitTheirSchemaJsonAndStreamed() throws Exception {
    ObjectNode schema = forecastSchema();
    ObjectNode req = responsesRequest(WEATHER_QUESTION);
    req.putObject("text").putObject("format").put("type", "json_schema").put("name", "forecast")
        .put("strict", true).set("schema", schema);
    JsonNode r = json(post("/responses", req));
    String text = r.at("/output/0/content/0/text").asText();
    assertEquals(FORECAST, text);
    assertFits(schema, text);
    assertEquals("json_schema", r.at("/text/format/type").asText(), "the format is echoed");
    assertEquals(FakeLlmServer.words(FORECAST), r.at("/usage/output_tokens").asInt());

    req.put("stream", true);
    List<JsonNode> events = sseJson(post("/responses", req).body());
    List<JsonNode> deltas = ofType(events, "response.output_text.delta");
    assertEquals(FakeLlmServer.words(FORECAST), deltas.size());
    assertEquals(FORECAST, joined(deltas, "/delta"));
    assertEquals(FORECAST, ofType(events, "response.output_text.done").get(0).path("text").asText());

    ObjectNode object = responsesRequest(WEATHER_QUESTION);
    object.putObject("text").putObject("format").put("type", "json_object");
    assertEquals(ANY_JSON_ANSWER, json(post("/responses", object)).at("/output/0/content/0/text").asText());
  }

  @Test
  void anthropicStructuredAnswersFitTheirSchemaJsonAndStreamed() throws Exception {
    ObjectNode schema = forecastSchema();
    ObjectNode req = anthropicRequest(WEATHER_QUESTION);
    req.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", schema);
    JsonNode m = json(post("/messages", req));
    assertEquals(FORECAST, m.at("/content/0/text").asText());
    assertFits(schema, m.at("/content/0/text").asText());
    assertEquals("end_turn", m.path("stop_reason").asText());
    assertEquals(FakeLlmServer.words(FORECAST), m.at("/usage/output_tokens").asInt());
    assertEquals(FakeLlmServer.words(FORECAST), ServedUsage.of(server.requests().get(0)).output());

    req.put("stream", true);
    List<JsonNode> events = sseJson(post("/messages", req).body());
    assertEquals(FORECAST, joined(ofType(events, "content_block_delta"), "/delta/text"));
    assertEquals(FakeLlmServer.words(FORECAST), ofType(events, "content_block_delta").size());

    // The structured-outputs beta's name for it.
    ObjectNode beta = anthropicRequest(WEATHER_QUESTION);
    beta.putObject("output_format").put("type", "json_schema").set("schema", schema);
    assertEquals(FORECAST, json(post("/messages", beta)).at("/content/0/text").asText());

    // Anthropic on Bedrock InvokeModel answers the same.
    beta.put("anthropic_version", "bedrock-2023-05-31");
    beta.remove("model");
    assertEquals(FORECAST, json(postPath(HAIKU + "/invoke", beta)).at("/content/0/text").asText());
  }

  @Test
  void geminiStructuredAnswersFitTheirSchemaJsonAndStreamed() throws Exception {
    ObjectNode schema = forecastSchema();
    ObjectNode req = geminiRequest(null, "user", WEATHER_QUESTION);
    req.putObject("generationConfig").put("responseMimeType", "application/json").set("responseJsonSchema", schema);
    JsonNode g = json(postPath(GEMINI + ":generateContent", req));
    String text = g.at("/candidates/0/content/parts/0/text").asText();
    assertEquals(FORECAST, text);
    assertFits(schema, text);
    assertEquals("STOP", g.at("/candidates/0/finishReason").asText());
    assertEquals(FakeLlmServer.words(FORECAST), g.at("/usageMetadata/candidatesTokenCount").asInt());
    assertEquals(FakeLlmServer.words(FORECAST), GeminiWire.candidatesTokens(req));

    List<JsonNode> chunks = geminiChunks(postPath(GEMINI + ":streamGenerateContent?alt=sse", req).body());
    assertEquals(FakeLlmServer.words(FORECAST), chunks.size());
    assertEquals(FORECAST, joined(chunks, "/candidates/0/content/parts/0/text"));

    // responseSchema: Gemini's OpenAPI subset, as the google-genai SDK sends a Schema.
    JsonNode openApi = MAPPER.readTree("{\"type\": \"OBJECT\", \"properties\": {"
        + "\"city\": {\"type\": \"STRING\"}, \"rain\": {\"type\": \"BOOLEAN\", \"nullable\": true},"
        + "\"hours\": {\"type\": \"ARRAY\", \"items\": {\"type\": \"INTEGER\", \"minimum\": 6}}},"
        + "\"required\": [\"city\", \"rain\", \"hours\"]}");
    ObjectNode vertex = geminiRequest(null, "user", WEATHER_QUESTION);
    vertex.putObject("generationConfig").put("responseMimeType", "application/json").set("responseSchema", openApi);
    String answer = json(postPath(VERTEX + ":generateContent", vertex)).at("/candidates/0/content/parts/0/text")
        .asText();
    assertEquals("{\"city\": \"Paris\", \"rain\": true, \"hours\": [6]}", answer);
    assertFits(openApiToJsonSchema(openApi), answer);

    // Only the JSON MIME type: any JSON.
    ObjectNode mime = geminiRequest(null, "user", WEATHER_QUESTION);
    mime.putObject("generationConfig").put("responseMimeType", "application/json");
    assertEquals(ANY_JSON_ANSWER,
        json(postPath(GEMINI + ":generateContent", mime)).at("/candidates/0/content/parts/0/text").asText());
  }

  @Test
  void answerTextIsSentExactlyWithTheNormalEnding() throws Exception {
    String wrong = "{\"town\": \"Paris\", \"extra\": 1}";
    int words = FakeLlmServer.words(wrong);

    // OpenAI chat, even for a structured request that offers tools.
    ObjectNode chat = chatJsonSchemaRequest(forecastSchema());
    chat.putArray("tools").add(weatherTool());
    server.script("text", Behaviour.answerText(wrong), Behaviour.answerText("Not JSON at all."));
    JsonNode c = json(post("/chat/completions", chat, "x-fake-scenario", "text"));
    assertEquals(wrong, c.at("/choices/0/message/content").asText());
    assertFalse(c.at("/choices/0/message").has("tool_calls"));
    assertEquals("stop", c.at("/choices/0/finish_reason").asText());
    assertEquals(words, c.at("/usage/completion_tokens").asInt());
    assertEquals(words, ServedUsage.of(server.requests().get(0), Behaviour.answerText(wrong)).output());
    chat.put("stream", true);
    List<JsonNode> chunks = sseJson(post("/chat/completions", chat, "x-fake-scenario", "text").body());
    assertEquals("Not JSON at all.", joined(chunks, "/choices/0/delta/content"));
    assertEquals("stop", chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText());

    // Responses
    server.script("text", Behaviour.answerText(wrong), Behaviour.answerText(wrong));
    ObjectNode responses = responsesRequest(WEATHER_QUESTION);
    JsonNode r = json(post("/responses", responses, "x-fake-scenario", "text"));
    assertEquals(wrong, r.at("/output/0/content/0/text").asText());
    assertEquals("completed", r.path("status").asText());
    assertEquals(words, r.at("/usage/output_tokens").asInt());
    responses.put("stream", true);
    List<JsonNode> events = sseJson(post("/responses", responses, "x-fake-scenario", "text").body());
    assertEquals(wrong, joined(ofType(events, "response.output_text.delta"), "/delta"));
    assertEquals("response.completed", events.get(events.size() - 1).path("type").asText());

    // Anthropic
    server.script("text", Behaviour.answerText(wrong), Behaviour.answerText(wrong));
    ObjectNode anthropic = anthropicRequest(WEATHER_QUESTION);
    anthropic.putArray("tools").add(anthropicWeatherTool());
    JsonNode m = json(post("/messages", anthropic, "x-fake-scenario", "text"));
    assertEquals(1, m.path("content").size());
    assertEquals("text", m.at("/content/0/type").asText());
    assertEquals(wrong, m.at("/content/0/text").asText());
    assertEquals("end_turn", m.path("stop_reason").asText());
    assertEquals(words, m.at("/usage/output_tokens").asInt());
    anthropic.put("stream", true);
    events = sseJson(post("/messages", anthropic, "x-fake-scenario", "text").body());
    assertEquals(wrong, joined(ofType(events, "content_block_delta"), "/delta/text"));
    assertEquals("end_turn", ofType(events, "message_delta").get(0).at("/delta/stop_reason").asText());

    // Gemini: exactly the text, even past maxOutputTokens.
    server.script("text", Behaviour.answerText(wrong), Behaviour.answerText(wrong));
    ObjectNode gemini = geminiRequest(null, "user", WEATHER_QUESTION);
    gemini.putObject("generationConfig").put("maxOutputTokens", 2);
    JsonNode g = json(postPath(GEMINI + ":generateContent", gemini, "x-fake-scenario", "text"));
    assertEquals(wrong, g.at("/candidates/0/content/parts/0/text").asText());
    assertEquals("STOP", g.at("/candidates/0/finishReason").asText());
    assertEquals(words, g.at("/usageMetadata/candidatesTokenCount").asInt());
    List<JsonNode> gchunks = geminiChunks(
        postPath(GEMINI + ":streamGenerateContent?alt=sse", gemini, "x-fake-scenario", "text").body());
    assertEquals(wrong, joined(gchunks, "/candidates/0/content/parts/0/text"));
    assertEquals("STOP", gchunks.get(gchunks.size() - 1).at("/candidates/0/finishReason").asText());

    // Bedrock Converse
    server.script("text", Behaviour.answerText(wrong), Behaviour.answerText(wrong));
    ObjectNode converse = converseRequest(null, "user", WEATHER_QUESTION);
    converse.putObject("toolConfig").putArray("tools").add(bedrockWeatherTool());
    JsonNode b = json(postPath(HAIKU + "/converse", converse, "x-fake-scenario", "text"));
    assertEquals(wrong, b.at("/output/message/content/0/text").asText());
    assertEquals("end_turn", b.path("stopReason").asText());
    assertEquals(words, b.at("/usage/outputTokens").asInt());
    List<JsonNode> frames = converseStream(converse, "x-fake-scenario", "text");
    assertEquals(wrong, joined(ofType(frames, "contentBlockDelta"), "/payload/delta/text"));
    assertEquals("end_turn", ofType(frames, "messageStop").get(0).at("/payload/stopReason").asText());
  }

  @Test
  void toolArgumentsAreSentAsScripted() throws Exception {
    String args = "{\"city\": 42}";
    String notJson = "{\"city\": \"Par";

    // OpenAI carries arguments as text: anything goes, JSON or not.
    ObjectNode chat = chatRequest("gpt-4o-mini", "user", WEATHER_QUESTION);
    chat.putArray("tools").add(weatherTool());
    server.script("args", Behaviour.toolArguments(args), Behaviour.toolArguments(notJson));
    JsonNode c = json(post("/chat/completions", chat, "x-fake-scenario", "args"));
    assertEquals(args, c.at("/choices/0/message/tool_calls/0/function/arguments").asText());
    assertEquals("tool_calls", c.at("/choices/0/finish_reason").asText());
    assertEquals(FakeLlmServer.words(args) + 1, c.at("/usage/completion_tokens").asInt());
    chat.put("stream", true);
    List<JsonNode> chunks = sseJson(post("/chat/completions", chat, "x-fake-scenario", "args").body());
    assertEquals(notJson, joined(chunks, "/choices/0/delta/tool_calls/0/function/arguments"));

    ObjectNode responses = responsesRequest(WEATHER_QUESTION);
    responses.putArray("tools").add(responsesWeatherTool());
    server.script("args", Behaviour.toolArguments(notJson), Behaviour.toolArguments(args));
    assertEquals(notJson, json(post("/responses", responses, "x-fake-scenario", "args")).at("/output/0/arguments")
        .asText());
    responses.put("stream", true);
    List<JsonNode> events = sseJson(post("/responses", responses, "x-fake-scenario", "args").body());
    assertEquals(args, joined(ofType(events, "response.function_call_arguments.delta"), "/delta"));
    assertEquals(args, ofType(events, "response.function_call_arguments.done").get(0).path("arguments").asText());

    // Anthropic, Gemini and Bedrock carry the parsed value.
    ObjectNode anthropic = anthropicRequest(WEATHER_QUESTION);
    anthropic.putArray("tools").add(anthropicWeatherTool());
    server.script("args", Behaviour.toolArguments(args), Behaviour.toolArguments(args),
        Behaviour.toolArguments(notJson));
    JsonNode m = json(post("/messages", anthropic, "x-fake-scenario", "args"));
    assertEquals("tool_use", m.path("stop_reason").asText());
    assertEquals(MAPPER.readTree(args), m.at("/content/0/input"));
    anthropic.put("stream", true);
    events = sseJson(post("/messages", anthropic, "x-fake-scenario", "args").body());
    assertEquals(args, joined(ofType(events, "content_block_delta"), "/delta/partial_json"));
    HttpResponse<String> bad = post("/messages", anthropic, "x-fake-scenario", "args");
    assertEquals(400, bad.statusCode());
    assertEquals("invalid_request_error", json(bad).at("/error/type").asText());
    assertTrue(json(bad).at("/error/message").asText().contains("toolArguments("), bad.body());

    ObjectNode gemini = geminiRequest(null, "user", WEATHER_QUESTION);
    gemini.putArray("tools").add(geminiWeatherTool());
    server.script("args", Behaviour.toolArguments(args), Behaviour.toolArguments(args),
        Behaviour.toolArguments(notJson));
    JsonNode g = json(postPath(GEMINI + ":generateContent", gemini, "x-fake-scenario", "args"));
    assertEquals(MAPPER.readTree(args), g.at("/candidates/0/content/parts/0/functionCall/args"));
    List<JsonNode> gchunks = geminiChunks(
        postPath(GEMINI + ":streamGenerateContent?alt=sse", gemini, "x-fake-scenario", "args").body());
    assertEquals(MAPPER.readTree(args), gchunks.get(0).at("/candidates/0/content/parts/0/functionCall/args"));
    HttpResponse<String> gbad = postPath(GEMINI + ":generateContent", gemini, "x-fake-scenario", "args");
    assertEquals(400, gbad.statusCode());
    assertEquals("INVALID_ARGUMENT", json(gbad).at("/error/status").asText());

    ObjectNode converse = converseRequest(null, "user", WEATHER_QUESTION);
    converse.putObject("toolConfig").putArray("tools").add(bedrockWeatherTool());
    server.script("args", Behaviour.toolArguments(args), Behaviour.toolArguments(args),
        Behaviour.toolArguments(notJson));
    JsonNode b = json(postPath(HAIKU + "/converse", converse, "x-fake-scenario", "args"));
    assertEquals(MAPPER.readTree(args), b.at("/output/message/content/0/toolUse/input"));
    assertEquals(FakeLlmServer.words(args) + 1, b.at("/usage/outputTokens").asInt());
    List<JsonNode> frames = converseStream(converse, "x-fake-scenario", "args");
    assertEquals(args, joined(ofType(frames, "contentBlockDelta"), "/payload/delta/toolUse/input"));
    HttpResponse<String> bbad = postPath(HAIKU + "/converse", converse, "x-fake-scenario", "args");
    assertEquals(400, bbad.statusCode());
    assertTrue(bbad.headers().firstValue("x-amzn-ErrorType").orElse("").startsWith("ValidationException"));

    // A request without tools gets its normal text answer.
    server.script("args", Behaviour.toolArguments(args));
    assertEquals("Fake answer to: " + WEATHER_QUESTION, json(post("/chat/completions",
        chatRequest("gpt-4o-mini", "user", WEATHER_QUESTION), "x-fake-scenario", "args"))
        .at("/choices/0/message/content").asText());
  }

  @Test
  void cutAtTokenLimitEndsHalfwayWithTheProvidersReason() throws Exception {
    String cut = FORECAST.substring(0, FORECAST.length() / 2).stripTrailing();
    assertEquals(cut, OpenAiWire.cutInHalf(FORECAST));
    assertTrue(cut.length() > 10 && OpenAiWire.parseJson(cut) == null, "cut JSON no longer parses: " + cut);
    int words = FakeLlmServer.words(cut);
    Behaviour limit = Behaviour.cutAtTokenLimit();

    ObjectNode chat = chatJsonSchemaRequest(forecastSchema());
    server.script("cut", limit, limit);
    JsonNode c = json(post("/chat/completions", chat, "x-fake-scenario", "cut"));
    assertEquals(cut, c.at("/choices/0/message/content").asText());
    assertEquals("length", c.at("/choices/0/finish_reason").asText());
    assertEquals(words, c.at("/usage/completion_tokens").asInt());
    assertEquals(words, ServedUsage.of(server.requests().get(0), limit).output());
    chat.put("stream", true);
    chat.putObject("stream_options").put("include_usage", true);
    List<JsonNode> chunks = sseJson(post("/chat/completions", chat, "x-fake-scenario", "cut").body());
    assertEquals(cut, joined(chunks, "/choices/0/delta/content"));
    assertEquals("length", chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText());
    assertEquals(words, chunks.get(chunks.size() - 1).at("/usage/completion_tokens").asInt());

    // A tool call's arguments are cut, where they are text.
    ObjectNode call = chatRequest("gpt-4o-mini", "user", WEATHER_QUESTION);
    call.putArray("tools").add(weatherTool());
    server.script("cut", limit);
    JsonNode cc = json(post("/chat/completions", call, "x-fake-scenario", "cut"));
    assertEquals("{\"city\":\"Paris\",\"days", cc.at("/choices/0/message/tool_calls/0/function/arguments").asText());
    assertEquals("length", cc.at("/choices/0/finish_reason").asText());

    ObjectNode responses = responsesRequest(WEATHER_QUESTION);
    responses.putObject("text").putObject("format").put("type", "json_schema").put("name", "forecast")
        .set("schema", forecastSchema());
    server.script("cut", limit, limit);
    JsonNode r = json(post("/responses", responses, "x-fake-scenario", "cut"));
    assertEquals("incomplete", r.path("status").asText());
    assertEquals("max_output_tokens", r.at("/incomplete_details/reason").asText());
    assertEquals("incomplete", r.at("/output/0/status").asText());
    assertEquals(cut, r.at("/output/0/content/0/text").asText());
    assertEquals(words, r.at("/usage/output_tokens").asInt());
    responses.put("stream", true);
    List<JsonNode> events = sseJson(post("/responses", responses, "x-fake-scenario", "cut").body());
    assertEquals(cut, joined(ofType(events, "response.output_text.delta"), "/delta"));
    JsonNode last = events.get(events.size() - 1);
    assertEquals("response.incomplete", last.path("type").asText());
    assertEquals("incomplete", last.at("/response/status").asText());
    assertEquals("max_output_tokens", last.at("/response/incomplete_details/reason").asText());
    assertTrue(ofType(events, "response.created").get(0).at("/response/incomplete_details").isNull());

    ObjectNode anthropic = anthropicRequest(WEATHER_QUESTION);
    anthropic.putObject("output_config").putObject("format").put("type", "json_schema")
        .set("schema", forecastSchema());
    server.script("cut", limit, limit);
    JsonNode m = json(post("/messages", anthropic, "x-fake-scenario", "cut"));
    assertEquals(cut, m.at("/content/0/text").asText());
    assertEquals("max_tokens", m.path("stop_reason").asText());
    assertEquals(words, m.at("/usage/output_tokens").asInt());
    anthropic.put("stream", true);
    events = sseJson(post("/messages", anthropic, "x-fake-scenario", "cut").body());
    assertEquals(cut, joined(ofType(events, "content_block_delta"), "/delta/text"));
    JsonNode messageDelta = ofType(events, "message_delta").get(0);
    assertEquals("max_tokens", messageDelta.at("/delta/stop_reason").asText());
    assertEquals(words, messageDelta.at("/usage/output_tokens").asInt());

    ObjectNode gemini = geminiRequest(null, "user", WEATHER_QUESTION);
    gemini.putObject("generationConfig").put("responseMimeType", "application/json")
        .set("responseJsonSchema", forecastSchema());
    server.script("cut", limit, limit);
    JsonNode g = json(postPath(GEMINI + ":generateContent", gemini, "x-fake-scenario", "cut"));
    assertEquals(cut, g.at("/candidates/0/content/parts/0/text").asText());
    assertEquals("MAX_TOKENS", g.at("/candidates/0/finishReason").asText());
    assertEquals(words, g.at("/usageMetadata/candidatesTokenCount").asInt());
    List<JsonNode> gchunks = geminiChunks(
        postPath(GEMINI + ":streamGenerateContent?alt=sse", gemini, "x-fake-scenario", "cut").body());
    assertEquals(cut, joined(gchunks, "/candidates/0/content/parts/0/text"));
    assertEquals("MAX_TOKENS", gchunks.get(gchunks.size() - 1).at("/candidates/0/finishReason").asText());

    // Bedrock: the normal text, cut (no structure to declare).
    String answer = "Fake answer to: " + WEATHER_QUESTION;
    String half = OpenAiWire.cutInHalf(answer);
    assertEquals("Fake answer to: What i", half, "cut mid-word, as tokens are");
    ObjectNode converse = converseRequest(null, "user", WEATHER_QUESTION);
    server.script("cut", limit, limit);
    JsonNode b = json(postPath(HAIKU + "/converse", converse, "x-fake-scenario", "cut"));
    assertEquals(half, b.at("/output/message/content/0/text").asText());
    assertEquals("max_tokens", b.path("stopReason").asText());
    assertEquals(5, b.at("/usage/outputTokens").asInt());
    List<JsonNode> frames = converseStream(converse, "x-fake-scenario", "cut");
    assertEquals(half, joined(ofType(frames, "contentBlockDelta"), "/payload/delta/text"));
    assertEquals("max_tokens", ofType(frames, "messageStop").get(0).at("/payload/stopReason").asText());
    assertEquals(5, ofType(frames, "metadata").get(0).at("/payload/usage/outputTokens").asInt());
  }

  @Test
  void refusalInEachProvidersShape() throws Exception {
    String refusal = "I'm sorry, I can't help with that.";
    Behaviour no = Behaviour.refusal();

    // OpenAI chat: content null, the refusal beside it; streamed as delta.refusal.
    ObjectNode chat = chatJsonSchemaRequest(forecastSchema());
    server.script("no", no, no);
    JsonNode c = json(post("/chat/completions", chat, "x-fake-scenario", "no"));
    JsonNode message = c.at("/choices/0/message");
    assertTrue(message.get("content").isNull());
    assertEquals(refusal, message.path("refusal").asText());
    assertEquals("stop", c.at("/choices/0/finish_reason").asText());
    assertEquals(7, c.at("/usage/completion_tokens").asInt());
    assertEquals(7, ServedUsage.of(server.requests().get(0), no).output());
    chat.put("stream", true);
    List<JsonNode> chunks = sseJson(post("/chat/completions", chat, "x-fake-scenario", "no").body());
    assertTrue(chunks.get(0).at("/choices/0/delta/content").isNull());
    assertEquals("", chunks.get(0).at("/choices/0/delta/refusal").asText());
    assertEquals(1 + 7 + 1, chunks.size());
    assertEquals(refusal, joined(chunks, "/choices/0/delta/refusal"));
    assertEquals("", joined(chunks, "/choices/0/delta/content"));
    assertEquals("stop", chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText());

    // Responses: a refusal part in the message.
    ObjectNode responses = responsesRequest(WEATHER_QUESTION);
    server.script("no", no, no);
    JsonNode r = json(post("/responses", responses, "x-fake-scenario", "no"));
    assertEquals("completed", r.path("status").asText());
    assertEquals("message", r.at("/output/0/type").asText());
    assertEquals(1, r.at("/output/0/content").size());
    assertEquals("refusal", r.at("/output/0/content/0/type").asText());
    assertEquals(refusal, r.at("/output/0/content/0/refusal").asText());
    assertEquals(7, r.at("/usage/output_tokens").asInt());
    responses.put("stream", true);
    List<JsonNode> events = sseJson(post("/responses", responses, "x-fake-scenario", "no").body());
    assertEquals("refusal", ofType(events, "response.content_part.added").get(0).at("/part/type").asText());
    assertEquals(refusal, joined(ofType(events, "response.refusal.delta"), "/delta"));
    assertEquals(refusal, ofType(events, "response.refusal.done").get(0).path("refusal").asText());
    assertEquals(refusal, ofType(events, "response.content_part.done").get(0).at("/part/refusal").asText());
    assertTrue(ofType(events, "response.output_text.delta").isEmpty());
    JsonNode completed = ofType(events, "response.completed").get(0).path("response");
    assertEquals(refusal, completed.at("/output/0/content/0/refusal").asText());

    // Anthropic: stop_reason refusal.
    ObjectNode anthropic = anthropicRequest(WEATHER_QUESTION);
    server.script("no", no, no);
    JsonNode m = json(post("/messages", anthropic, "x-fake-scenario", "no"));
    assertEquals("refusal", m.path("stop_reason").asText());
    assertEquals(refusal, m.at("/content/0/text").asText());
    assertEquals(7, m.at("/usage/output_tokens").asInt());
    anthropic.put("stream", true);
    events = sseJson(post("/messages", anthropic, "x-fake-scenario", "no").body());
    assertEquals("refusal", ofType(events, "message_delta").get(0).at("/delta/stop_reason").asText());

    // Gemini: SAFETY, no content.
    ObjectNode gemini = geminiRequest(null, "user", WEATHER_QUESTION);
    server.script("no", no, no);
    JsonNode g = json(postPath(GEMINI + ":generateContent", gemini, "x-fake-scenario", "no"));
    JsonNode candidate = g.at("/candidates/0");
    assertEquals("SAFETY", candidate.path("finishReason").asText());
    assertFalse(candidate.has("content"), candidate.toString());
    assertEquals("HARM_CATEGORY_DANGEROUS_CONTENT", candidate.at("/safetyRatings/1/category").asText());
    assertTrue(candidate.at("/safetyRatings/1/blocked").asBoolean());
    assertFalse(g.path("usageMetadata").has("candidatesTokenCount"));
    assertEquals(GeminiWire.promptTokens(gemini), g.at("/usageMetadata/totalTokenCount").asInt());
    List<JsonNode> gchunks = geminiChunks(
        postPath(GEMINI + ":streamGenerateContent?alt=sse", gemini, "x-fake-scenario", "no").body());
    assertEquals(1, gchunks.size());
    assertEquals("SAFETY", gchunks.get(0).at("/candidates/0/finishReason").asText());
    assertFalse(gchunks.get(0).at("/candidates/0").has("content"));

    // Bedrock Converse: content_filtered, empty content.
    ObjectNode converse = converseRequest(null, "user", WEATHER_QUESTION);
    server.script("no", no, no);
    JsonNode b = json(postPath(HAIKU + "/converse", converse, "x-fake-scenario", "no"));
    assertEquals("content_filtered", b.path("stopReason").asText());
    assertEquals(0, b.at("/output/message/content").size());
    assertTrue(b.at("/output/message/content").isArray());
    assertEquals(0, b.at("/usage/outputTokens").asInt());
    assertEquals(0, ServedUsage.of(server.requests().get(server.requests().size() - 1), no).output());
    List<JsonNode> frames = converseStream(converse, "x-fake-scenario", "no");
    List<String> types = new ArrayList<>();
    for (JsonNode f : frames) types.add(f.path("type").asText());
    assertEquals(List.of("messageStart", "messageStop", "metadata"), types);
    assertEquals("content_filtered", frames.get(1).at("/payload/stopReason").asText());
  }

  @Test
  void logprobsWhenAskedForAndUnsure() throws Exception {
    ObjectNode chat = chatRequest("gpt-4o-mini", "user", "Say hi please");
    JsonNode plain = json(post("/chat/completions", chat));
    assertTrue(plain.at("/choices/0/logprobs").isNull(), "none unless asked for");

    chat.put("logprobs", true);
    JsonNode c = json(post("/chat/completions", chat));
    JsonNode content = c.at("/choices/0/logprobs/content");
    String answer = "Fake answer to: Say hi please";
    assertEquals(FakeLlmServer.words(answer), content.size());
    assertTrue(c.at("/choices/0/logprobs/refusal").isNull());
    StringBuilder tokens = new StringBuilder();
    for (JsonNode t : content) {
      tokens.append(t.path("token").asText());
      assertEquals(-0.05, t.path("logprob").asDouble());
      assertEquals(t.path("token").asText().length(), t.path("bytes").size());
      assertEquals(0, t.path("top_logprobs").size());
    }
    assertEquals(answer, tokens.toString());
    assertEquals(" answer", content.get(1).path("token").asText());
    assertEquals(32, content.get(1).path("bytes").get(0).asInt(), "the space's byte");

    server.script("unsure", Behaviour.unsure(), Behaviour.unsure());
    JsonNode u = json(post("/chat/completions", chat, "x-fake-scenario", "unsure"));
    assertEquals(answer, u.at("/choices/0/message/content").asText(), "otherwise the normal answer");
    for (JsonNode t : u.at("/choices/0/logprobs/content")) {
      assertEquals(-1.5, t.path("logprob").asDouble());
    }
    chat.put("stream", true);
    List<JsonNode> chunks = sseJson(post("/chat/completions", chat, "x-fake-scenario", "unsure").body());
    for (int i = 1; i < chunks.size() - 1; i++) {
      JsonNode choice = chunks.get(i).at("/choices/0");
      assertEquals(1, choice.at("/logprobs/content").size(), "each chunk its own delta's");
      assertEquals(choice.at("/delta/content").asText(), choice.at("/logprobs/content/0/token").asText());
      assertEquals(-1.5, choice.at("/logprobs/content/0/logprob").asDouble());
    }
    assertTrue(chunks.get(0).at("/choices/0/logprobs").isNull());

    // Responses: include message.output_text.logprobs.
    ObjectNode responses = responsesRequest("Say hi please");
    responses.putArray("include").add("message.output_text.logprobs");
    JsonNode r = json(post("/responses", responses));
    JsonNode logprobs = r.at("/output/0/content/0/logprobs");
    assertEquals(FakeLlmServer.words(answer), logprobs.size());
    assertEquals(-0.05, logprobs.get(0).path("logprob").asDouble());
    assertEquals("Fake", logprobs.get(0).path("token").asText());
    server.script("unsure", Behaviour.unsure());
    responses.put("stream", true);
    List<JsonNode> events = sseJson(post("/responses", responses, "x-fake-scenario", "unsure").body());
    for (JsonNode delta : ofType(events, "response.output_text.delta")) {
      assertEquals(delta.path("delta").asText(), delta.at("/logprobs/0/token").asText());
      assertEquals(-1.5, delta.at("/logprobs/0/logprob").asDouble());
    }
    assertEquals(FakeLlmServer.words(answer),
        ofType(events, "response.output_text.done").get(0).path("logprobs").size());
    assertEquals(0, json(post("/responses", responsesRequest("Say hi please")))
        .at("/output/0/content/0/logprobs").size(), "empty unless asked for");
  }

  @Test
  void scriptedAnswersBehaviourValues() {
    assertEquals(Behaviour.answerText("x"), Behaviour.answerText("x"));
    assertFalse(Behaviour.answerText("x").equals(Behaviour.toolArguments("x")));
    assertEquals("answerText(\"{\\\"a\\\": 1}\")", Behaviour.answerText("{\"a\": 1}").toString());
    assertEquals("toolArguments(\"{}\")", Behaviour.toolArguments("{}").toString());
    assertEquals("cutAtTokenLimit()", Behaviour.cutAtTokenLimit().toString());
    assertEquals("refusal()", Behaviour.refusal().toString());
    assertEquals("unsure()", Behaviour.unsure().toString());
    assertThrows(IllegalArgumentException.class, () -> Behaviour.answerText(null));
    assertThrows(IllegalArgumentException.class, () -> Behaviour.toolArguments(null));
  }
}
