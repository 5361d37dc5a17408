package dev.llmotel.smoke.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the raw-HTTP smoke apps send and how they report what they read, the same for every client. */
public final class RawBodies {
  public static String chat(String text, boolean stream) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]"
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
  }

  public static String chatWithSystem(String system, String text) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"" + system
        + "\"},{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
  }

  public static final String RESPONSES = "{\"model\":\"gpt-4o-mini\",\"input\":\"Say hello\"}";
  public static final String RESPONSES_STREAM = "{\"model\":\"gpt-4o-mini\",\"input\":\"Tell me a short story\","
      + "\"stream\":true}";

  /** As the OpenAI SDKs send it by default: the vectors come back base64-encoded. */
  public static final String EMBEDDINGS = "{\"model\":\"text-embedding-3-small\",\"input\":\"The quick brown fox\","
      + "\"encoding_format\":\"base64\"}";
  public static final String ANTHROPIC = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":256,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

  public static String gemini(String text) {
    return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + text + "\"}]}]}";
  }

  /** {"city": string, "population": integer >= 0}, both required, nothing else. */
  public static final String CITY_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
      + "\"population\":{\"type\":\"integer\",\"minimum\":0}},\"required\":[\"city\",\"population\"],"
      + "\"additionalProperties\":false}";
  /** The same in Gemini's OpenAPI dialect: upper-case types. */
  public static final String CITY_SCHEMA_GEMINI = "{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"},"
      + "\"population\":{\"type\":\"INTEGER\",\"minimum\":0}},\"required\":[\"city\",\"population\"]}";

  /**
   * The URL of a structured-output scenario ("out-..."): each declares the structure of its answer
   * in one provider's format (OpenAI chat's response_format, streamed or not; the Responses API's
   * text.format; an Anthropic tool's input_schema; Gemini's responseSchema).
   */
  public static String structuredUrl(String root, String key, String scenario) {
    if (scenario.startsWith("out-chat")) return root + "/v1/chat/completions";
    if (scenario.startsWith("out-responses")) return root + "/v1/responses";
    if (scenario.startsWith("out-anthropic")) return root + "/v1/messages";
    if (scenario.startsWith("out-gemini")) return root + "/v1beta/models/gemini-2.5-flash:generateContent?key=" + key;
    throw new IllegalArgumentException("unknown scenario " + scenario);
  }

  /** The body of a structured-output scenario (see {@link #structuredUrl}). */
  public static String structuredBody(String scenario) {
    if (scenario.startsWith("out-chat")) {
      return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}],"
          + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"city_answer\",\"strict\":true,"
          + "\"schema\":" + CITY_SCHEMA + "}}" + (scenario.contains("stream")
              ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
    }
    if (scenario.startsWith("out-responses")) {
      return "{\"model\":\"gpt-4o-mini\",\"input\":\"What is the capital of France?\",\"text\":{\"format\":"
          + "{\"type\":\"json_schema\",\"name\":\"city_answer\",\"schema\":" + CITY_SCHEMA + "}}}";
    }
    if (scenario.startsWith("out-anthropic")) {
      return "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"What is the weather in Paris?\"}],\"tools\":[{\"name\":\"get_weather\","
          + "\"description\":\"Current weather for a city\",\"input_schema\":{\"type\":\"object\","
          + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]}";
    }
    if (scenario.startsWith("out-gemini")) {
      return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"What is the capital of France?\"}]}],"
          + "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseSchema\":" + CITY_SCHEMA_GEMINI + "}}";
    }
    throw new IllegalArgumentException("unknown scenario " + scenario);
  }

  /**
   * The base URL of an ordinary (non-LLM) API whose paths end like LLM APIs' ({@code
   * /chat-service/v1/messages}, {@code /api/completions}...), from the system property
   * {@code smoke.lookalike.url}: the governance smoke test runs it.
   */
  public static String lookAlikeUrl() {
    String url = System.getProperty("smoke.lookalike.url");
    if (url == null) throw new IllegalStateException("smoke.lookalike.url is not set");
    return url;
  }

  /** What a messaging API takes at a path that ends like Anthropic's: no LLM call. */
  public static final String MESSAGE = "{\"to\":\"bob\",\"from\":\"alice\",\"text\":\"lunch at noon?\"}";

  /** Other look-alikes: {path, body}, an LLM API's path with a body that is not its request. */
  public static final String[][] LOOK_ALIKES = {
      {"/api/completions", "{\"task\":\"x\",\"done\":true}"},
      {"/search/embeddings", "q=cats&limit=10"},
      {"/v1/chat/completions", "[{\"model\":\"gpt-4o-mini\",\"messages\":[]}]"},
      {"/v1/messages", "{\"model\":\"claude-sonnet-4-20250514\",\"messages\":["},
      {"/v1/embeddings", "{\"model\":5,\"input\":\"fox\"}"},
      {"/v1/responses", "{\"survey\":12,\"answers\":[1,2,3]}"}};

  /** One POST of a raw client app, reduced to the status the app saw. */
  public interface PostStatus {
    int post(String url, String body) throws Exception;
  }

  /** Five identical POSTs to a messaging API in one trace: no LLM call, so no loop guard. */
  public static String lookAlikeMessaging(PostStatus client) throws Exception {
    java.util.List<Integer> statuses = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) statuses.add(client.post(lookAlikeUrl() + "/chat-service/v1/messages", MESSAGE));
    return statuses(statuses);
  }

  /** One POST to each look-alike path with a body that is not that API's request. */
  public static String lookAlikeOthers(PostStatus client) throws Exception {
    java.util.List<Integer> statuses = new java.util.ArrayList<>();
    for (String[] lookAlike : LOOK_ALIKES) statuses.add(client.post(lookAlikeUrl() + lookAlike[0], lookAlike[1]));
    return statuses(statuses);
  }

  /** The statuses of a series of calls, as the look-alike and repeated scenarios report them. */
  public static String statuses(java.util.List<Integer> statuses) {
    StringBuilder sb = new StringBuilder("statuses=");
    for (int i = 0; i < statuses.size(); i++) sb.append(i == 0 ? "" : ",").append(statuses.get(i));
    return sb.toString();
  }

  /** A prompt far above the input-token policy of the governance tests. */
  public static String huge() {
    StringBuilder huge = new StringBuilder();
    for (int i = 0; i < 20_000; i++) huge.append("lorem ");
    return huge.toString();
  }

  /** What the app read: status, bytes, their SHA-256 and the usage numbers the body carried. */
  public static String describe(int status, byte[] body) throws Exception {
    String text = new String(body, StandardCharsets.UTF_8);
    // idfree: the body with the fake server's sequence-numbered ids masked, equal across repeated runs
    // of a scenario against one server (the byte-exact sha256 is for one run against another).
    String idFree = text.replaceAll("([-_])fake[-_][0-9]+", "$1fake_N");
    return "status=" + status + " bytes=" + body.length + " sha256=" + sha256(body)
        + " idfree=" + sha256(idFree.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + " usage=" + last(text,
        "\"(prompt_tokens|input_tokens|promptTokenCount)\":(\\d+)") + "/" + last(text,
        "\"(completion_tokens|output_tokens|candidatesTokenCount)\":(\\d+)");
  }

  private static String sha256(byte[] bytes) throws Exception {
    StringBuilder hex = new StringBuilder();
    for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) hex.append(String.format("%02x", b));
    return hex.toString();
  }

  private static String last(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    String found = "-";
    while (m.find()) found = m.group(2);
    return found;
  }

  private RawBodies() {}
}
