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
    assertEquals("{\"city\":\"fake\",\"days\":1,\"unit\":\"celsius\"}", args);
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
    assertEquals("{\"city\":\"fake\",\"days\":1,\"unit\":\"celsius\"}", args.toString());
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
    assertEquals("{\"city\":\"fake\",\"days\":1,\"unit\":\"celsius\"}", call.path("arguments").asText());
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
}
