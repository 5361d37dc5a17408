package dev.llmotel.testkit.fakellm;

import static dev.llmotel.testkit.fakellm.OpenAiWire.NODES;
import static dev.llmotel.testkit.fakellm.OpenAiWire.words;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds the Google Gemini wire bodies, as {@code com.google.genai:google-genai} 1.x and 2.x send and read
 * them, for the Gemini API ({@code /v1beta/models/{model}:...}) and Vertex AI ({@code
 * /v1/projects/{p}/locations/{l}/publishers/google/models/{model}:...}). Field names were checked against
 * the SDK's request and response converters ({@code Models.*ToMldev}, {@code *ToVertex}, {@code
 * *FromMldev}, {@code *FromVertex}) and the Gemini REST reference.
 *
 * <h2>Endpoints</h2>
 *
 * <ul>
 *   <li>{@code :generateContent}: one {@code GenerateContentResponse}.
 *   <li>{@code :streamGenerateContent} (the SDK adds {@code ?alt=sse}): SSE, {@code data: <json>\r\n\r\n}
 *       per chunk, no terminator.
 *   <li>{@code :embedContent} ({@code {"embedding":{"values":[...]}}}; on Vertex, as for {@code
 *       gemini-embedding-001} since SDK 2.0, also {@code usageMetadata.promptTokenCount} and {@code
 *       truncated}), {@code :batchEmbedContents} (what the SDK uses for the Gemini API: {@code
 *       {"embeddings":[{"values":[...]}]}}) and {@code :predict} (Vertex text embeddings: {@code
 *       predictions[].embeddings.{values,statistics.token_count}}, {@code metadata.billableCharacterCount}).
 * </ul>
 *
 * <h2>Deterministic answers</h2>
 *
 * <ul>
 *   <li>Words and snippets as for the other providers (see {@link FakeLlmServer}). A part's text is its
 *       {@code text}, or for a {@code functionResponse} the scalar values of its {@code response} object
 *       joined by spaces ({@code {"output":"Sunny, 22C"}} gives {@code Sunny, 22C}); {@code functionCall}
 *       parts have no text.
 *   <li>Function call: when {@code tools[].functionDeclarations} are offered, {@code
 *       toolConfig.functionCallingConfig.mode} is not {@code NONE} and the last content holds no {@code
 *       functionResponse}, the answer is one {@code functionCall} (no id) of the first declared function
 *       (the first one in {@code allowedFunctionNames} if that is set) with {@code args} filling the
 *       required properties of its {@code parameters} (or {@code parametersJsonSchema}), types
 *       case-insensitive ({@code STRING} or {@code string}): see {@link FakeLlmServer}. {@code
 *       finishReason} is {@code STOP}.
 *   <li>Text: {@code "Fake answer to: " + snippet(last user text)}, or after a function response {@code
 *       "Fake answer using tool result: " + snippet(its text)}. A structured answer instead, when {@code
 *       generationConfig} declares one: JSON satisfying {@code responseJsonSchema} (JSON Schema) or {@code
 *       responseSchema} (the OpenAPI subset: {@code OBJECT}, {@code nullable}, ...), see {@link
 *       OpenAiWire#schemaValue}, or with only {@code responseMimeType: application/json}, {@code {"answer":
 *       <that text>}}. If {@code generationConfig.maxOutputTokens} is smaller than its words, it is cut to
 *       that many words and {@code finishReason} is {@code MAX_TOKENS}.
 *   <li>Scripted endings ({@link Behaviour#cutAtTokenLimit()}, {@link Behaviour#refusal()}): {@code
 *       MAX_TOKENS}; {@code SAFETY} with {@code safetyRatings} and a candidate without content.
 *   <li>{@code promptTokenCount} = sum over {@code contents} of (4 + words) + (4 + words) of a present
 *       {@code systemInstruction} + {@link #CACHED_CONTENT_TOKENS} when the request names {@code
 *       cachedContent} (the API counts cached tokens inside the prompt); {@code cachedContentTokenCount} is
 *       then {@link #CACHED_CONTENT_TOKENS}, else absent.
 *   <li>{@code candidatesTokenCount} = words of the answer text, or words of the {@code args} JSON + 1.
 *   <li>Thinking is on when {@code generationConfig.thinkingConfig} is present and its {@code
 *       thinkingBudget} is not 0: {@code thoughtsTokenCount} = 2 x (promptTokenCount - cached), capped at
 *       {@code thinkingBudget} when that is positive; else absent. With {@code includeThoughts: true} the
 *       answer starts with a part {@code {"text":"Thinking about: <snippet>","thought":true}} (its words
 *       are not counted: real thought summaries are shorter than the thoughts).
 *   <li>{@code totalTokenCount} = prompt + candidates + thoughts.
 *   <li>{@code modelVersion}: see {@link #modelVersion(String)}; {@code responseId} {@code
 *       gresp_fake_<n>} ({@code n} = the request's arrival number); Vertex answers also carry {@code
 *       createTime} {@code 2025-01-01T00:00:00Z}.
 *   <li>Streams: one chunk per word of the text (each word with its leading whitespace, as in the other
 *       providers), preceded by one chunk with the thought part when thoughts are included; a function
 *       call comes whole in a single chunk. Every chunk carries {@code usageMetadata}: the prompt, cached
 *       and thoughts counts, and the candidates words sent so far; the last chunk carries {@code
 *       finishReason} and the final numbers.
 *   <li>Embeddings: vectors as for OpenAI (unit length, derived from the text only), {@code
 *       outputDimensionality} dimensions (top level, per batch request, under {@code embedContentConfig}
 *       or under Vertex {@code parameters}), else {@link #DEFAULT_EMBEDDING_DIMENSIONS}. Token counts are
 *       words; {@code billableCharacterCount} counts non-whitespace characters.
 * </ul>
 *
 * <p>Errors: {@code {"error":{"code":429,"message":"...","status":"RESOURCE_EXHAUSTED"}}}, with a {@code
 * google.rpc.RetryInfo} detail when the behaviour has a retry-after; see {@link #statusName(int)}.
 */
public final class GeminiWire {

  /** Embedding dimensions when the request sets no {@code outputDimensionality}. */
  public static final int DEFAULT_EMBEDDING_DIMENSIONS = OpenAiWire.DEFAULT_EMBEDDING_DIMENSIONS;

  /** Tokens a named {@code cachedContent} contributes to {@code promptTokenCount}. */
  public static final int CACHED_CONTENT_TOKENS = 64;

  /** Vertex {@code createTime}: 2025-01-01T00:00:00Z, like the OpenAI {@code created}. */
  static final String CREATE_TIME = "2025-01-01T00:00:00Z";

  private static final Pattern VERSIONED = Pattern.compile(".*-\\d{3}$");

  private GeminiWire() {}

  // ---------------------------------------------------------------------------------------------
  // Public helpers: the numbers a test expects
  // ---------------------------------------------------------------------------------------------

  /**
   * {@code promptTokenCount} for a generateContent request body: (4 + words) per content and for a present
   * system instruction, plus {@link #CACHED_CONTENT_TOKENS} when it names {@code cachedContent}.
   */
  public static int promptTokens(JsonNode request) {
    int total = 0;
    for (JsonNode content : request.path("contents")) {
      total += 4 + words(contentText(content));
    }
    JsonNode system = request.path("systemInstruction");
    if (!system.isMissingNode() && !system.isNull()) {
      total += 4 + words(system.isTextual() ? system.asText() : contentText(system));
    }
    return total + cachedContentTokens(request);
  }

  /** {@code cachedContentTokenCount}: {@link #CACHED_CONTENT_TOKENS} if the request names one, else 0. */
  public static int cachedContentTokens(JsonNode request) {
    JsonNode cached = request.path("cachedContent");
    return cached.isTextual() && !cached.asText().isEmpty() ? CACHED_CONTENT_TOKENS : 0;
  }

  /**
   * {@code thoughtsTokenCount} (0 means absent): with a {@code thinkingConfig} whose {@code thinkingBudget}
   * is not 0, 2 x (prompt - cached) tokens, capped at a positive {@code thinkingBudget}.
   */
  public static int thoughtsTokens(JsonNode request) {
    JsonNode thinking = request.path("generationConfig").path("thinkingConfig");
    if (!thinking.isObject()) {
      return 0;
    }
    JsonNode budget = thinking.path("thinkingBudget");
    if (budget.isNumber() && budget.asInt() == 0) {
      return 0;
    }
    int thoughts = 2 * (promptTokens(request) - cachedContentTokens(request));
    if (budget.isNumber() && budget.asInt() > 0) {
      thoughts = Math.min(thoughts, budget.asInt());
    }
    return thoughts;
  }

  /** {@code candidatesTokenCount} of the normal answer (no {@link Behaviour#chunks(int)} reshaping). */
  public static int candidatesTokens(JsonNode request) {
    return answer(request, 0).content.outputTokens;
  }

  /** {@code totalTokenCount}: prompt + candidates + thoughts. */
  public static int totalTokens(JsonNode request) {
    return promptTokens(request) + candidatesTokens(request) + thoughtsTokens(request);
  }

  /** The answer text of the normal answer, or null when it is a function call. */
  public static String answerText(JsonNode request) {
    return answer(request, 0).content.text;
  }

  /**
   * The {@code modelVersion} reported for a model named in the path: the name without a {@code models/}
   * prefix, with {@code -001} appended unless it already ends in a three-digit version ({@code
   * gemini-2.0-flash -> gemini-2.0-flash-001}, {@code gemini-1.5-pro-002} unchanged).
   */
  public static String modelVersion(String model) {
    String m = model.startsWith("models/") ? model.substring("models/".length()) : model;
    return VERSIONED.matcher(m).matches() ? m : m + "-001";
  }

  /** The {@code responseId} of the {@code n}-th request. */
  public static String responseId(long n) {
    return "gresp_fake_" + n;
  }

  /** Tokens of one text to embed: its words. */
  public static int embeddingTokens(String text) {
    return words(text);
  }

  // ---------------------------------------------------------------------------------------------
  // Request reading
  // ---------------------------------------------------------------------------------------------

  /** Text of a content: its parts' texts (text, or a function response's values), space-separated. */
  static String contentText(JsonNode content) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content.path("parts")) {
      String t = partText(part);
      if (!t.isEmpty()) {
        if (sb.length() > 0) sb.append(' ');
        sb.append(t);
      }
    }
    return sb.toString();
  }

  private static String partText(JsonNode part) {
    if (part.path("text").isTextual()) {
      return part.path("text").asText();
    }
    if (part.has("functionResponse")) {
      return scalars(part.path("functionResponse").path("response"));
    }
    return "";
  }

  /** The scalar values of a JSON value, in document order, space-separated. */
  private static String scalars(JsonNode node) {
    if (node.isValueNode()) {
      return node.isNull() ? "" : node.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode child : node) {
      String t = scalars(child);
      if (!t.isEmpty()) {
        if (sb.length() > 0) sb.append(' ');
        sb.append(t);
      }
    }
    return sb.toString();
  }

  private static boolean hasFunctionResponse(JsonNode content) {
    for (JsonNode part : content.path("parts")) {
      if (part.has("functionResponse")) return true;
    }
    return false;
  }

  private static String textPartsOnly(JsonNode content) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content.path("parts")) {
      if (part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
        if (sb.length() > 0) sb.append(' ');
        sb.append(part.path("text").asText());
      }
    }
    return sb.toString();
  }

  /** The function declaration to call, or null: see the class comment. */
  private static JsonNode functionToCall(JsonNode req) {
    JsonNode fcc = req.path("toolConfig").path("functionCallingConfig");
    if ("NONE".equalsIgnoreCase(fcc.path("mode").asText())) {
      return null;
    }
    List<String> allowed = new ArrayList<>();
    for (JsonNode name : fcc.path("allowedFunctionNames")) allowed.add(name.asText());
    for (JsonNode tool : req.path("tools")) {
      for (JsonNode decl : tool.path("functionDeclarations")) {
        if (decl.path("name").isTextual()
            && (allowed.isEmpty() || allowed.contains(decl.path("name").asText()))) {
          return decl;
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Answer planning
  // ---------------------------------------------------------------------------------------------

  /** The planned answer: content (text or call) plus the Gemini-specific counts. */
  static final class Answer {
    final OpenAiWire.Answer content;
    final int cached;
    final int thoughts;
    /** The thought summary part's text, or null unless {@code includeThoughts}. */
    final String thoughtText;
    final String finishReason;

    Answer(OpenAiWire.Answer content, int cached, int thoughts, String thoughtText, String finishReason) {
      this.content = content;
      this.cached = cached;
      this.thoughts = thoughts;
      this.thoughtText = thoughtText;
      this.finishReason = finishReason;
    }

    int prompt() {
      return content.inputTokens;
    }
  }

  static Answer answer(JsonNode req, int reshapeWords) {
    int prompt = promptTokens(req);
    int cached = cachedContentTokens(req);
    int thoughts = thoughtsTokens(req);
    JsonNode contents = req.path("contents");
    JsonNode last = contents.size() > 0 ? contents.get(contents.size() - 1) : NODES.missingNode();
    String user = "";
    for (int i = contents.size() - 1; i >= 0; i--) {
      JsonNode c = contents.get(i);
      String role = c.path("role").asText("user");
      if ("user".equals(role) && !textPartsOnly(c).isEmpty()) {
        user = textPartsOnly(c);
        break;
      }
    }
    JsonNode thinking = req.path("generationConfig").path("thinkingConfig");
    String thoughtText = thoughts > 0 && thinking.path("includeThoughts").asBoolean(false)
        ? ("Thinking about: " + OpenAiWire.snippet(user)).trim() : null;
    OpenAiWire.Answer content = null;
    String text;
    if (hasFunctionResponse(last)) {
      text = "Fake answer using tool result: " + OpenAiWire.snippet(contentText(last));
    } else {
      JsonNode fn = functionToCall(req);
      if (fn != null) {
        JsonNode schema = fn.path("parameters").isObject() ? fn.path("parameters") : fn.path("parametersJsonSchema");
        content = new OpenAiWire.Answer(null, fn.path("name").asText(), OpenAiWire.toolArguments(schema, user), prompt);
        return new Answer(content, cached, thoughts, thoughtText, "STOP");
      }
      text = "Fake answer to: " + OpenAiWire.snippet(user);
    }
    text = OpenAiWire.structured(structure(req), user, text);
    if (reshapeWords > 0) {
      text = OpenAiWire.reshape(text, reshapeWords);
    }
    String finish = "STOP";
    int max = req.path("generationConfig").path("maxOutputTokens").asInt(0);
    if (max > 0 && words(text) > max) {
      text = OpenAiWire.reshape(text, max);
      finish = "MAX_TOKENS";
    }
    return new Answer(new OpenAiWire.Answer(text, null, null, prompt), cached, thoughts, thoughtText, finish);
  }

  /**
   * The structure {@code generationConfig} declares: {@code responseJsonSchema} (the SDK may send it as
   * {@code _responseJsonSchema}), else {@code responseSchema}, else any JSON for {@code responseMimeType:
   * application/json}; null for none.
   */
  static OpenAiWire.Structure structure(JsonNode req) {
    JsonNode config = req.path("generationConfig");
    for (String field : new String[] {"responseJsonSchema", "_responseJsonSchema", "responseSchema"}) {
      if (config.path(field).isObject()) {
        return OpenAiWire.Structure.schema(config.path(field));
      }
    }
    return "application/json".equals(config.path("responseMimeType").asText())
        ? OpenAiWire.Structure.anyJson() : null;
  }

  /**
   * The answer a scripted behaviour gives instead of the normal {@code a} (see {@link OpenAiWire#scripted}):
   * finishReason {@code STOP}, {@code MAX_TOKENS} at the token limit, {@code SAFETY} for a refusal, which has
   * no text (nor thought) at all.
   */
  static Answer scripted(Answer a, Behaviour b) {
    if (!b.shapesAnswer()) {
      return a;
    }
    OpenAiWire.Answer content = OpenAiWire.scripted(a.content, b);
    if (content == a.content) {
      return a;
    }
    switch (content.ending) {
      case TOKEN_LIMIT:
        return new Answer(content, a.cached, a.thoughts, a.thoughtText, "MAX_TOKENS");
      case REFUSAL:
        OpenAiWire.Answer nothing = content.withText("", OpenAiWire.Ending.REFUSAL);
        return new Answer(nothing, a.cached, a.thoughts, null, "SAFETY");
      default:
        return new Answer(content, a.cached, a.thoughts, a.thoughtText, "STOP");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // generateContent / streamGenerateContent
  // ---------------------------------------------------------------------------------------------

  static ObjectNode usage(Answer a, int candidates) {
    ObjectNode u = NODES.objectNode();
    u.put("promptTokenCount", a.prompt());
    if (candidates > 0) {
      u.put("candidatesTokenCount", candidates);
    }
    u.put("totalTokenCount", a.prompt() + candidates + a.thoughts);
    if (a.cached > 0) {
      u.put("cachedContentTokenCount", a.cached);
    }
    if (a.thoughts > 0) {
      u.put("thoughtsTokenCount", a.thoughts);
    }
    ArrayNode details = u.putArray("promptTokensDetails");
    details.addObject().put("modality", "TEXT").put("tokenCount", a.prompt());
    return u;
  }

  private static ObjectNode thoughtPart(Answer a) {
    return NODES.objectNode().put("text", a.thoughtText).put("thought", true);
  }

  private static ObjectNode callPart(Answer a) {
    ObjectNode part = NODES.objectNode();
    ObjectNode call = part.putObject("functionCall");
    call.put("name", a.content.toolName);
    call.set("args", OpenAiWire.argumentsValue(a.content.toolArguments));
    return part;
  }

  /**
   * One response (or stream chunk) with a single candidate holding {@code parts}; a refused candidate has no
   * content, as the API blocks it, and says why in {@code safetyRatings}.
   */
  private static ObjectNode envelope(
      long seq, String model, boolean vertex, List<ObjectNode> parts, String finishReason, ObjectNode usage) {
    ObjectNode root = NODES.objectNode();
    ArrayNode candidates = root.putArray("candidates");
    ObjectNode candidate = candidates.addObject();
    if (!"SAFETY".equals(finishReason)) {
      ObjectNode content = candidate.putObject("content");
      content.put("role", "model");
      ArrayNode p = content.putArray("parts");
      for (ObjectNode part : parts) p.add(part);
    }
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    if ("SAFETY".equals(finishReason)) {
      candidate.set("safetyRatings", safetyRatings());
    }
    candidate.put("index", 0);
    root.set("usageMetadata", usage);
    root.put("modelVersion", modelVersion(model));
    if (vertex) {
      root.put("createTime", CREATE_TIME);
    }
    root.put("responseId", responseId(seq));
    return root;
  }

  /** The ratings of a blocked candidate: dangerous content rated HIGH and blocked, the rest NEGLIGIBLE. */
  private static ArrayNode safetyRatings() {
    ArrayNode ratings = NODES.arrayNode();
    for (String category : new String[] {"HARM_CATEGORY_HATE_SPEECH", "HARM_CATEGORY_DANGEROUS_CONTENT",
        "HARM_CATEGORY_HARASSMENT", "HARM_CATEGORY_SEXUALLY_EXPLICIT"}) {
      ObjectNode r = ratings.addObject().put("category", category);
      if (category.equals("HARM_CATEGORY_DANGEROUS_CONTENT")) {
        r.put("probability", "HIGH").put("blocked", true);
      } else {
        r.put("probability", "NEGLIGIBLE");
      }
    }
    return ratings;
  }

  static ObjectNode response(long seq, String model, boolean vertex, Answer a) {
    if (a.content.refused()) {
      return envelope(seq, model, vertex, List.of(), a.finishReason, usage(a, a.content.outputTokens));
    }
    List<ObjectNode> parts = new ArrayList<>();
    if (a.thoughtText != null) {
      parts.add(thoughtPart(a));
    }
    parts.add(a.content.isToolCall() ? callPart(a) : NODES.objectNode().put("text", a.content.text));
    return envelope(seq, model, vertex, parts, a.finishReason, usage(a, a.content.outputTokens));
  }

  /** The chunks of {@code :streamGenerateContent}, in order. */
  static List<ObjectNode> chunks(long seq, String model, boolean vertex, Answer a) {
    List<ObjectNode> out = new ArrayList<>();
    if (a.content.refused()) {
      out.add(envelope(seq, model, vertex, List.of(), a.finishReason, usage(a, a.content.outputTokens)));
      return out;
    }
    if (a.thoughtText != null) {
      out.add(envelope(seq, model, vertex, List.of(thoughtPart(a)), null, usage(a, 0)));
    }
    if (a.content.isToolCall()) {
      out.add(envelope(seq, model, vertex, List.of(callPart(a)), a.finishReason,
          usage(a, a.content.outputTokens)));
      return out;
    }
    List<String> pieces = OpenAiWire.pieces(a.content.text);
    if (pieces.isEmpty()) {
      pieces = List.of(""); // an empty answer still needs its finishing chunk
    }
    for (int i = 0; i < pieces.size(); i++) {
      boolean last = i == pieces.size() - 1;
      out.add(envelope(seq, model, vertex, List.of(NODES.objectNode().put("text", pieces.get(i))),
          last ? a.finishReason : null, usage(a, last ? a.content.outputTokens : i + 1)));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Embeddings
  // ---------------------------------------------------------------------------------------------

  private static ArrayNode values(String text, int dims) {
    ArrayNode values = NODES.arrayNode();
    for (float f : OpenAiWire.vector(NODES.textNode(text), dims)) values.add(f);
    return values;
  }

  /** Dimensions asked for in {@code holder} (or its {@code embedContentConfig} / {@code parameters}). */
  static int dimensions(JsonNode holder) {
    for (JsonNode n : new JsonNode[] {holder, holder.path("embedContentConfig"), holder.path("parameters"),
        holder.path("config")}) {
      if (n.path("outputDimensionality").isNumber()) {
        return n.path("outputDimensionality").asInt();
      }
    }
    return DEFAULT_EMBEDDING_DIMENSIONS;
  }

  /** Text to embed from a content, a string or a Vertex instance's {@code content}. */
  static String embedText(JsonNode content) {
    return content.isTextual() ? content.asText() : textPartsOnly(content);
  }

  /** {@code :embedContent}; null if the request has no content. */
  static ObjectNode embedContent(JsonNode req, boolean vertex) {
    JsonNode content = req.path("content");
    if (!content.isObject() && !content.isTextual()) {
      return null;
    }
    String text = embedText(content);
    ObjectNode root = NODES.objectNode();
    root.putObject("embedding").set("values", values(text, dimensions(req)));
    if (vertex) {
      root.putObject("usageMetadata").put("promptTokenCount", words(text));
      root.put("truncated", false);
    }
    return root;
  }

  /** {@code :batchEmbedContents}; null if there are no requests. */
  static ObjectNode batchEmbedContents(JsonNode req) {
    JsonNode requests = req.path("requests");
    if (!requests.isArray() || requests.size() == 0) {
      return null;
    }
    ObjectNode root = NODES.objectNode();
    ArrayNode embeddings = root.putArray("embeddings");
    for (JsonNode r : requests) {
      embeddings.addObject().set("values", values(embedText(r.path("content")), dimensions(r)));
    }
    return root;
  }

  /** Vertex {@code :predict} for text embedding models; null if there are no instances. */
  static ObjectNode predict(JsonNode req) {
    JsonNode instances = req.path("instances");
    if (!instances.isArray() || instances.size() == 0) {
      return null;
    }
    int dims = dimensions(req);
    ObjectNode root = NODES.objectNode();
    ArrayNode predictions = root.putArray("predictions");
    int billable = 0;
    for (JsonNode instance : instances) {
      String text = embedText(instance.path("content"));
      ObjectNode embeddings = predictions.addObject().putObject("embeddings");
      embeddings.set("values", values(text, dims));
      embeddings.putObject("statistics").put("token_count", words(text)).put("truncated", false);
      billable += nonWhitespace(text);
    }
    root.putObject("metadata").put("billableCharacterCount", billable);
    return root;
  }

  private static int nonWhitespace(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (!Character.isWhitespace(cp)) n++;
      i += Character.charCount(cp);
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Errors
  // ---------------------------------------------------------------------------------------------

  /** The google.rpc status name the API pairs with an HTTP status. */
  public static String statusName(int httpStatus) {
    switch (httpStatus) {
      case 400: return "INVALID_ARGUMENT";
      case 401: return "UNAUTHENTICATED";
      case 403: return "PERMISSION_DENIED";
      case 404: return "NOT_FOUND";
      case 409: return "ABORTED";
      case 429: return "RESOURCE_EXHAUSTED";
      case 499: return "CANCELLED";
      case 500: return "INTERNAL";
      case 501: return "NOT_IMPLEMENTED";
      case 503: return "UNAVAILABLE";
      case 504: return "DEADLINE_EXCEEDED";
      default: return httpStatus >= 500 ? "UNKNOWN" : "FAILED_PRECONDITION";
    }
  }

  static ObjectNode error(int code, String message) {
    ObjectNode root = NODES.objectNode();
    root.putObject("error").put("code", code).put("message", message).put("status", statusName(code));
    return root;
  }

  static ObjectNode errorForStatus(int status, String retryAfter) {
    String message;
    switch (status) {
      case 400: message = "Request contains an invalid argument."; break;
      case 401: message = "Request had invalid authentication credentials."; break;
      case 403: message = "The caller does not have permission"; break;
      case 404: message = "Requested entity was not found."; break;
      case 429: message = "Resource has been exhausted (e.g. check quota)."; break;
      case 500: message = "An internal error has occurred. Please retry or report in"
          + " https://developers.generativeai.google/guide/troubleshooting"; break;
      case 503: message = "The model is overloaded. Please try again later."; break;
      case 504: message = "Deadline expired before operation could complete."; break;
      default: message = "Request failed with status " + status + " (scripted by the fake LLM server).";
    }
    ObjectNode root = error(status, message);
    if (retryAfter != null) {
      ObjectNode info = ((ObjectNode) root.get("error")).putArray("details").addObject();
      info.put("@type", "type.googleapis.com/google.rpc.RetryInfo");
      info.put("retryDelay", retryAfter + "s");
    }
    return root;
  }
}
