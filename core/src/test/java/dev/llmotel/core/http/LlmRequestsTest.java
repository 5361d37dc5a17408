package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Certainty before enforcement: a request to an LLM-looking endpoint is an LLM call only when its
 * body is that format's request. Each format with the bodies its API takes, and with look-alikes
 * and hostile bodies, which must be judged "not a request" without an exception.
 */
class LlmRequestsTest {
  private static final LlmEndpoints BUILT_IN = new LlmEndpoints(true, Collections.<LlmEndpoints.Custom>emptyList());

  private static boolean isRequest(String host, String path, String body) {
    return isRequest(BUILT_IN, host, path, body.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isRequest(LlmEndpoints endpoints, String host, String path, byte[] body) {
    LlmEndpoint endpoint = endpoints.match(host, host.equals("llm.corp") ? 8443 : 443, path);
    assertNotNull(endpoint, "the path looks like an LLM endpoint: " + path);
    return LlmRequests.parse(endpoint, body) != null;
  }

  private static final String CHAT = "/v1/chat/completions";
  private static final String MESSAGES = "/v1/messages";
  private static final String GEMINI = "/v1beta/models/gemini-2.5-flash:generateContent";

  @Test
  void chatCompletionsNeedAModelAndAnArrayOfMessages() {
    assertTrue(isRequest("api.openai.com", CHAT, "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertTrue(isRequest("10.0.0.5", CHAT, " \n{\"messages\":[],\"model\":\"llama3\",\"stream\":true}"), "any host, empty messages");
    assertTrue(isRequest("acme.openai.azure.com", "/openai/deployments/gpt4o-prod/chat/completions",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "an Azure deployment names the model in the path");
    assertFalse(isRequest("acme.openai.azure.com", "/openai/deployments/gpt4o-prod/chat/completions",
        "{\"model\":7,\"messages\":[]}"), "a model, where there is one, is a string");
    assertFalse(isRequest("api.openai.com", CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "no model");
    assertFalse(isRequest("api.openai.com", CHAT, "{\"model\":null,\"messages\":[]}"));
    assertFalse(isRequest("api.openai.com", CHAT, "{\"model\":42,\"messages\":[]}"));
    assertFalse(isRequest("api.openai.com", CHAT, "{\"model\":{\"name\":\"gpt\"},\"messages\":[]}"));
    assertFalse(isRequest("api.openai.com", CHAT, "{\"model\":[\"gpt\"],\"messages\":[]}"));
    assertFalse(isRequest("api.openai.com", CHAT, "{\"model\":\"gpt-4o\",\"messages\":\"hi\"}"));
    assertFalse(isRequest("api.openai.com", CHAT, "{\"model\":\"gpt-4o\",\"messages\":[\"hi\"]}"), "messages are objects");
    assertFalse(isRequest("api.openai.com", CHAT, "{\"model\":\"gpt-4o\"}"));
  }

  @Test
  void legacyCompletionsNeedAModelAndAPrompt() {
    assertTrue(isRequest("api.openai.com", "/v1/completions", "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say\"}"));
    assertTrue(isRequest("localhost", "/v1/completions", "{\"model\":\"m\",\"prompt\":[\"a\",\"b\"],\"max_tokens\":5}"));
    assertTrue(isRequest("localhost", "/v1/completions", "{\"model\":\"m\",\"prompt\":[[1,2,3]]}"), "token arrays");
    assertFalse(isRequest("localhost", "/v1/completions", "{\"model\":\"m\",\"prompt\":5}"));
    assertFalse(isRequest("shop.example", "/api/completions", "{\"task\":\"x\"}"), "a task tracker's completions");
    assertFalse(isRequest("shop.example", "/api/completions", "{\"task\":\"x\",\"prompt\":\"done?\"}"), "no model");
  }

  @Test
  void anthropicMessagesNeedAModelMessagesAndMaxTokens() {
    String ok = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertTrue(isRequest("api.anthropic.com", MESSAGES, ok));
    assertTrue(isRequest("proxy.corp", "/anthropic/v1/messages", ok), "behind a proxy prefix");
    assertFalse(isRequest("api.anthropic.com", MESSAGES,
        "{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "no max_tokens");
    assertFalse(isRequest("api.anthropic.com", MESSAGES,
        "{\"model\":\"claude\",\"max_tokens\":\"256\",\"messages\":[]}"), "max_tokens as a string");
    assertFalse(isRequest("api.anthropic.com", MESSAGES, "{\"max_tokens\":256,\"messages\":[]}"), "no model");
    assertFalse(isRequest("chat.example", "/chat-service/v1/messages",
        "{\"to\":\"bob\",\"from\":\"alice\",\"text\":\"lunch?\"}"), "a messaging API");
    assertFalse(isRequest("chat.example", "/chat-service/v1/messages",
        "{\"model\":\"support\",\"messages\":[{\"to\":\"bob\"}]}"), "a messaging API that says model");
  }

  @Test
  void embeddingsNeedAModelAndAnInput() {
    assertTrue(isRequest("api.openai.com", "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"fox\"}"));
    assertTrue(isRequest("api.openai.com", "/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"dimensions\":64}"));
    assertTrue(isRequest("api.openai.com", "/v1/embeddings", "{\"model\":\"e\",\"input\":[[1,2],[3]]}"));
    assertFalse(isRequest("api.openai.com", "/v1/embeddings", "{\"model\":\"e\"}"));
    assertFalse(isRequest("api.openai.com", "/v1/embeddings", "{\"model\":\"e\",\"input\":{\"text\":\"a\"}}"));
    assertFalse(isRequest("search.example", "/search/embeddings", "q=cats&limit=10"), "a form body");
    assertFalse(isRequest("search.example", "/search/embeddings", "{\"query\":\"cats\",\"input\":\"cats\"}"), "no model");
  }

  @Test
  void responsesNeedAModelAndAnInputOrAStoredPrompt() {
    assertTrue(isRequest("api.openai.com", "/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"Say hello\"}"));
    assertTrue(isRequest("api.openai.com", "/v1/responses",
        "{\"model\":\"o3\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}]}"));
    assertTrue(isRequest("api.openai.com", "/v1/responses", "{\"prompt\":{\"id\":\"pmpt_1\",\"version\":\"2\"}}"),
        "a stored prompt names its model");
    assertTrue(isRequest("api.openai.com", "/v1/responses", "{\"model\":\"o3\",\"previous_response_id\":\"resp_1\"}"),
        "a continuation without new input");
    assertTrue(isRequest("api.openai.com", "/v1/responses", "{\"model\":\"o3\",\"conversation\":{\"id\":\"conv_1\"}}"));
    assertFalse(isRequest("api.openai.com", "/v1/responses", "{\"model\":\"o3\",\"previous_response_id\":7}"));
    assertFalse(isRequest("api.openai.com", "/v1/responses", "{\"model\":\"gpt-4o-mini\"}"));
    assertFalse(isRequest("api.openai.com", "/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":5}"));
    assertFalse(isRequest("api.openai.com", "/v1/responses", "{\"prompt\":\"hello\"}"));
    assertFalse(isRequest("api.openai.com", "/v1/responses", "{\"prompt\":{\"id\":\"p\"},\"model\":3}"));
    assertFalse(isRequest("forms.example", "/v1/responses", "{\"survey\":12,\"answers\":[1,2,3]}"));
  }

  @Test
  void geminiNeedsAnArrayOfContents() {
    assertTrue(isRequest("generativelanguage.googleapis.com", GEMINI,
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"));
    assertTrue(isRequest("us-central1-aiplatform.googleapis.com",
        "/v1/projects/p/locations/l/publishers/google/models/gemini-2.0-flash:streamGenerateContent",
        "{\"contents\":[],\"generationConfig\":{}}"));
    assertFalse(isRequest("generativelanguage.googleapis.com", GEMINI, "{\"contents\":\"hi\"}"));
    assertFalse(isRequest("generativelanguage.googleapis.com", GEMINI, "{\"prompt\":{\"text\":\"hi\"}}"));
    assertFalse(isRequest("generativelanguage.googleapis.com", GEMINI, "{\"contents\":[\"hi\"]}"));
  }

  @Test
  void aConfiguredEndpointIsCheckedTheSameWay() {
    LlmEndpoints custom = new LlmEndpoints(true, LlmEndpoints.parse("llm.corp:8443/api/generate=corp-llm:openai-chat,"
        + "llm.corp:8443/api/claude=corp-claude:anthropic-messages"));
    assertTrue(isRequest(custom, "llm.corp", "/api/generate",
        "{\"model\":\"corp-7b\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(isRequest(custom, "llm.corp", "/api/generate", "{\"task\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(isRequest(custom, "llm.corp", "/api/claude",
        "{\"model\":\"c\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8)), "Anthropic's format wants max_tokens");
  }

  @Test
  void hostileBodiesAreNoRequestAndThrowNothing() {
    String[] bodies = {
        "", "   ", "null", "42", "\"model\"", "true",
        "[{\"model\":\"gpt-4o\",\"messages\":[]}]", // a JSON array of what would be a request
        "{\"model\":\"gpt-4o\",\"messages\":[", // cut off
        "{\"model\":\"gpt-4o\",\"messages\":[]} trailing",
        "{\"model\":\"gpt-4o\",\"messages\":[],}",
        "{'model':'gpt-4o','messages':[]}",
        "{\"model\":\"gpt-4o\",\"messages\":[\"\\ud800\\u12\"]}",
        "model=gpt-4o&messages=hi",
        "<xml><model>gpt-4o</model></xml>",
        "\uFEFF{\"model\":\"gpt-4o\",\"messages\":[]}", // a byte order mark: not JSON text
    };
    for (String body : bodies) {
      assertFalse(isRequest("api.openai.com", CHAT, body), body);
    }
    StringBuilder deep = new StringBuilder("{\"model\":\"gpt-4o\",\"messages\":[");
    for (int i = 0; i < 100_000; i++) deep.append('[');
    assertFalse(isRequest("api.openai.com", CHAT, deep.toString()), "nesting beyond any request's");
  }

  @Test
  void bytesThatAreNotUtf8AreNoRequest() {
    byte[] latin1 = "{\"model\":\"caf\u00e9\",\"messages\":[]}".getBytes(StandardCharsets.ISO_8859_1);
    assertFalse(isRequest(BUILT_IN, "api.openai.com", CHAT, latin1), "Latin-1, not UTF-8");
    assertTrue(isRequest(BUILT_IN, "api.openai.com", CHAT,
        "{\"model\":\"caf\u00e9 \uD83D\uDE00\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8)), "the same in UTF-8");
    byte[][] invalid = {
        {(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
        {(byte) 0xe2, (byte) 0x82}, // cut off
        {(byte) 0xe2, (byte) 0x28, (byte) 0xa1}};
    for (byte[] bad : invalid) {
      byte[] body = concat("{\"model\":\"gpt".getBytes(StandardCharsets.UTF_8), bad,
          "\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8));
      assertFalse(LlmRequests.validUtf8(body), Arrays.toString(bad));
      assertFalse(isRequest(BUILT_IN, "api.openai.com", CHAT, body), Arrays.toString(bad));
    }
    byte[] random = new byte[64 * 1024];
    new java.util.Random(17).nextBytes(random);
    random[0] = '{';
    assertFalse(isRequest(BUILT_IN, "api.openai.com", CHAT, random));
  }

  @Test
  void hugeBodiesThatAreNoRequestCostNoParseAndThrowNothing() {
    byte[] notJson = new byte[16 << 20];
    Arrays.fill(notJson, (byte) 'a');
    long start = System.nanoTime();
    assertFalse(isRequest(BUILT_IN, "chat.example", "/chat-service/v1/messages", notJson));
    byte[] array = notJson.clone();
    array[0] = '[';
    assertFalse(isRequest(BUILT_IN, "chat.example", "/chat-service/v1/messages", array));
    assertTrue(System.nanoTime() - start < 1_000_000_000L, "judged by their first byte");

    StringBuilder big = new StringBuilder("{\"to\":\"bob\",\"attachment\":\"");
    for (int i = 0; i < (8 << 20); i++) big.append('x');
    big.append("\"}");
    assertFalse(isRequest("chat.example", "/chat-service/v1/messages", big.toString()));
    big.setLength(big.length() - 2);
    assertFalse(isRequest("chat.example", "/chat-service/v1/messages", big.toString()), "cut off");
  }

  @Test
  void aRequestIsParsedOnceAndHandedOn() {
    LlmEndpoint endpoint = BUILT_IN.match("api.anthropic.com", 443, MESSAGES);
    java.util.Map<?, ?> body = LlmRequests.parse(endpoint, ("{\"model\":\"claude\",\"max_tokens\":10,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8));
    assertNotNull(body);
    assertEquals("claude", body.get("model"));
    assertNull(LlmRequests.parse(endpoint, null));
  }

  @Test
  void mutatedRequestsAreJudgedAndMappedWithoutAnException() {
    String[][] seeds = {
        {"api.openai.com", CHAT, "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"hi\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}"},
        {"api.anthropic.com", MESSAGES, "{\"model\":\"c\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":["
            + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"QQ==\"}}]}]}"},
        {"generativelanguage.googleapis.com", GEMINI, "{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\","
            + "\"data\":\"QQ==\"}},{\"fileData\":{\"fileUri\":\"gs://b/x\"}}]}]}"},
        {"api.openai.com", "/v1/responses", "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":"
            + "\"input_file\",\"file_data\":\"data:application/pdf;base64,JVBERi0=\"}]}]}"},
        {"api.openai.com", "/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a\",\"b\"]}"}};
    byte[] alphabet = "{}[]\":,0-9.eE truefalsnul\\u\u00e9\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
    java.util.Random random = new java.util.Random(42);
    int requests = 0;
    for (int round = 0; round < 20_000; round++) {
      String[] seed = seeds[round % seeds.length];
      byte[] body = seed[2].getBytes(StandardCharsets.UTF_8);
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        int at = random.nextInt(body.length);
        switch (random.nextInt(3)) {
          case 0: body[at] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)]; break;
          case 1: body = java.util.Arrays.copyOf(body, at); break;
          default: body = concat(java.util.Arrays.copyOf(body, at), new byte[] {alphabet[random.nextInt(alphabet.length)]},
              java.util.Arrays.copyOfRange(body, at, body.length));
        }
        if (body.length == 0) break;
      }
      LlmEndpoint endpoint = BUILT_IN.match(seed[0], 443, seed[1]);
      java.util.Map<?, ?> parsed = LlmRequests.parse(endpoint, body);
      if (parsed == null) continue;
      requests++;
      dev.llmotel.core.LlmCall call = new dev.llmotel.core.LlmCall(endpoint.provider, endpoint.format.operation());
      endpoint.format.request(call, parsed, endpoint.pathModel);
      endpoint.format.streamRequested(parsed, seed[1]);
    }
    assertTrue(requests > 0, "some mutations are still requests");
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) out.write(p, 0, p.length);
    return out.toByteArray();
  }
}
