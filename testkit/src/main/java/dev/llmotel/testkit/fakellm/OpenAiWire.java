package dev.llmotel.testkit.fakellm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the OpenAI wire bodies (chat completions, chunks, embeddings, Responses API objects and events,
 * errors). Pure functions of the request JSON and the request sequence number, so answers are
 * deterministic.
 */
final class OpenAiWire {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Fixed {@code created} / {@code created_at}: 2025-01-01T00:00:00Z. */
  static final long CREATED = 1735689600L;

  static final String SYSTEM_FINGERPRINT = "fp_fake";
  static final int DEFAULT_EMBEDDING_DIMENSIONS = 8;
  static final int SNIPPET_CHARS = 60;
  static final int ARGUMENT_FRAGMENT_CHARS = 8;

  static final String MALFORMED_BODY = "{\"id\": \"chatcmpl-broken\", \"choices\": [";
  static final String WRONG_SHAPE_BODY = "{\"unexpected\": true}";

  private static final Map<String, String> SNAPSHOTS;

  static {
    Map<String, String> m = new HashMap<>();
    m.put("gpt-4o-mini", "gpt-4o-mini-2024-07-18");
    m.put("gpt-4o", "gpt-4o-2024-08-06");
    m.put("gpt-4.1", "gpt-4.1-2025-04-14");
    m.put("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14");
    m.put("gpt-4.1-nano", "gpt-4.1-nano-2025-04-14");
    m.put("gpt-3.5-turbo", "gpt-3.5-turbo-0125");
    SNAPSHOTS = Collections.unmodifiableMap(m);
  }

  private OpenAiWire() {}

  // ---------------------------------------------------------------------------------------------
  // Shared helpers
  // ---------------------------------------------------------------------------------------------

  static String responseModel(String requested) {
    if (requested == null) {
      return null;
    }
    String snapshot = SNAPSHOTS.get(requested);
    return snapshot == null ? requested : snapshot;
  }

  /** Number of whitespace-separated words. */
  static int words(String s) {
    if (s == null) {
      return 0;
    }
    int n = 0;
    boolean in = false;
    for (int i = 0; i < s.length(); i++) {
      boolean ws = Character.isWhitespace(s.charAt(i));
      if (!ws && !in) {
        n++;
      }
      in = !ws;
    }
    return n;
  }

  /**
   * Splits text into word pieces, each carrying the whitespace that precedes it (" answer"), as OpenAI
   * stream deltas do. Concatenating the pieces gives back the text; the count equals {@link #words} for text
   * that starts with a non-whitespace character.
   */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i)) && !Character.isWhitespace(text.charAt(i - 1))) {
        out.add(text.substring(start, i));
        start = i;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }

  /** Text of a message content: a string, or the {@code text} of each part of a content array. */
  static String textOf(JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        String t = part.isTextual() ? part.asText() : part.path("text").asText("");
        if (!t.isEmpty()) {
          if (sb.length() > 0) {
            sb.append(' ');
          }
          sb.append(t);
        }
      }
      return sb.toString();
    }
    return "";
  }

  static String snippet(String text) {
    String t = text.trim();
    if (t.length() <= SNIPPET_CHARS) {
      return t;
    }
    int end = SNIPPET_CHARS;
    if (Character.isHighSurrogate(t.charAt(end - 1))) {
      end--;
    }
    return t.substring(0, end).trim();
  }

  /** The answer text reshaped to exactly {@code n} words (words repeated cyclically or cut). */
  static String reshape(String text, int n) {
    String[] w = text.trim().split("\\s+");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(w[i % w.length]);
    }
    return sb.toString();
  }

  static List<String> fragments(String s, int size) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      int end = Math.min(s.length(), i + size);
      if (end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
        end--;
      }
      out.add(s.substring(i, end));
      i = end;
    }
    if (out.isEmpty()) {
      out.add("");
    }
    return out;
  }

  static String json(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Arguments for a call to a tool with this JSON schema: each required property gets a placeholder by its
   * type (case-insensitive, as Gemini writes STRING): string {@code "fake"} (or the first {@code enum}
   * value), number/integer {@code 1}, boolean {@code true}, array {@code []}, anything else {@code {}}.
   */
  static String toolArguments(JsonNode parameters) {
    return toolArguments(parameters, null);
  }

  /**
   * As {@link #toolArguments(JsonNode)}, except that the first required string property (without
   * {@code enum}) takes what the question is about, {@link #subjectOf}: "What is the weather in Paris?"
   * calls the tool with {@code {"city":"Paris"}}. Without such a word it stays {@code "fake"}.
   */
  static String toolArguments(JsonNode parameters, String question) {
    String subject = subjectOf(question);
    ObjectNode args = NODES.objectNode();
    JsonNode props = parameters == null ? null : parameters.path("properties");
    JsonNode required = parameters == null ? null : parameters.path("required");
    if (required != null && required.isArray()) {
      for (JsonNode r : required) {
        String name = r.asText();
        JsonNode schema = props == null ? NODES.missingNode() : props.path(name);
        JsonNode value = placeholder(schema);
        if (subject != null && value.isTextual() && "fake".equals(value.asText()) && !schema.has("enum")) {
          value = NODES.textNode(subject);
          subject = null;
        }
        args.set(name, value);
      }
    }
    return json(args);
  }

  /**
   * What a question is about, for tool arguments: its last capitalised word of two or more letters that
   * is not its first word, without surrounding punctuation ("Paris" in "What is the weather in Paris?",
   * "London" in "Should I take an umbrella in London today?"), or null.
   */
  static String subjectOf(String question) {
    if (question == null) return null;
    String[] words = question.trim().split("\\s+");
    for (int i = words.length - 1; i >= 1; i--) {
      String w = words[i];
      int start = 0;
      int end = w.length();
      while (start < end && !Character.isLetterOrDigit(w.charAt(start))) start++;
      while (end > start && !Character.isLetterOrDigit(w.charAt(end - 1))) end--;
      w = w.substring(start, end);
      if (w.length() >= 2 && Character.isUpperCase(w.charAt(0))) return w;
    }
    return null;
  }

  private static JsonNode placeholder(JsonNode schema) {
    JsonNode en = schema.path("enum");
    if (en.isArray() && en.size() > 0) {
      return en.get(0);
    }
    String type = null;
    JsonNode t = schema.path("type");
    if (t.isTextual()) {
      type = t.asText();
    } else if (t.isArray()) {
      for (JsonNode x : t) {
        if (!"null".equalsIgnoreCase(x.asText())) {
          type = x.asText();
          break;
        }
      }
    }
    // Gemini schemas spell types in capitals (STRING, OBJECT).
    type = type == null ? null : type.toLowerCase(java.util.Locale.ROOT);
    if ("string".equals(type)) {
      return NODES.textNode("fake");
    }
    if ("number".equals(type) || "integer".equals(type)) {
      return NODES.numberNode(1);
    }
    if ("boolean".equals(type)) {
      return NODES.booleanNode(true);
    }
    if ("array".equals(type)) {
      return NODES.arrayNode();
    }
    return NODES.objectNode();
  }

  // ---------------------------------------------------------------------------------------------
  // Answer planning
  // ---------------------------------------------------------------------------------------------

  /** What the fake model answers: either text or one function call. */
  static final class Answer {
    final String text;
    final String toolName;
    final String toolArguments;
    final int inputTokens;
    final int outputTokens;

    Answer(String text, String toolName, String toolArguments, int inputTokens) {
      this.text = text;
      this.toolName = toolName;
      this.toolArguments = toolArguments;
      this.inputTokens = inputTokens;
      this.outputTokens = text != null ? words(text) : words(toolArguments) + 1;
    }

    boolean isToolCall() {
      return toolName != null;
    }
  }

  static int promptTokens(JsonNode messages) {
    int total = 0;
    if (messages != null && messages.isArray()) {
      for (JsonNode m : messages) {
        total += 4 + words(textOf(m.path("content")));
      }
    }
    return total;
  }

  static Answer chatAnswer(JsonNode req, int reshapeWords) {
    JsonNode messages = req.path("messages");
    int prompt = promptTokens(messages);
    JsonNode last = messages.size() > 0 ? messages.get(messages.size() - 1) : NODES.missingNode();
    String user = "";
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).path("role").asText())) {
        user = textOf(messages.get(i).path("content"));
        break;
      }
    }
    if ("tool".equals(last.path("role").asText())) {
      return new Answer(
          shaped("Fake answer using tool result: " + snippet(textOf(last.path("content"))), reshapeWords),
          null,
          null,
          prompt);
    }
    if (!"none".equals(req.path("tool_choice").asText())) {
      for (JsonNode tool : req.path("tools")) {
        String type = tool.path("type").asText("function");
        JsonNode fn = tool.path("function");
        if ("function".equals(type) && fn.path("name").isTextual()) {
          return new Answer(
              null, fn.path("name").asText(), toolArguments(fn.path("parameters"), user), prompt);
        }
      }
    }
    return new Answer(shaped("Fake answer to: " + snippet(user), reshapeWords), null, null, prompt);
  }

  private static String shaped(String text, int reshapeWords) {
    String t = text.trim();
    return reshapeWords > 0 ? reshape(t, reshapeWords) : t;
  }

  /**
   * Input tokens of a Responses API request: {@code instructions} (if non-empty) and each input item count
   * 4 + words; a string input is one item; an item's words are those of its {@code content} text, or of its
   * {@code output} (function_call_output), or of its {@code arguments} (function_call).
   */
  static int inputTokens(JsonNode req) {
    int total = 0;
    String instructions = req.path("instructions").isTextual() ? req.path("instructions").asText() : "";
    if (!instructions.isEmpty()) {
      total += 4 + words(instructions);
    }
    JsonNode input = req.path("input");
    if (input.isTextual()) {
      total += 4 + words(input.asText());
    } else if (input.isArray()) {
      for (JsonNode item : input) {
        total += 4 + words(itemText(item));
      }
    }
    return total;
  }

  private static String itemText(JsonNode item) {
    if (item.isTextual()) {
      return item.asText();
    }
    if (item.has("content")) {
      return textOf(item.path("content"));
    }
    if (item.has("output")) {
      JsonNode out = item.path("output");
      return out.isTextual() ? out.asText() : textOf(out);
    }
    if (item.has("arguments")) {
      return item.path("arguments").asText("");
    }
    return "";
  }

  static Answer responsesAnswer(JsonNode req, int reshapeWords) {
    int input = inputTokens(req);
    JsonNode in = req.path("input");
    JsonNode lastOutput = null;
    String user = in.isTextual() ? in.asText() : "";
    if (in.isArray()) {
      boolean userFound = false;
      for (int i = in.size() - 1; i >= 0; i--) {
        JsonNode item = in.get(i);
        if (lastOutput == null && "function_call_output".equals(item.path("type").asText())) {
          lastOutput = item;
        }
        if (!userFound && "user".equals(item.path("role").asText())) {
          user = textOf(item.path("content"));
          userFound = true;
        }
      }
    }
    if (lastOutput != null) {
      return new Answer(
          shaped("Fake answer using tool result: " + snippet(itemText(lastOutput)), reshapeWords),
          null,
          null,
          input);
    }
    if (!"none".equals(req.path("tool_choice").asText())) {
      for (JsonNode tool : req.path("tools")) {
        if ("function".equals(tool.path("type").asText()) && tool.path("name").isTextual()) {
          return new Answer(
              null, tool.path("name").asText(), toolArguments(tool.path("parameters"), user), input);
        }
      }
    }
    return new Answer(shaped("Fake answer to: " + snippet(user), reshapeWords), null, null, input);
  }

  // ---------------------------------------------------------------------------------------------
  // Chat completions
  // ---------------------------------------------------------------------------------------------

  static String chatId(long seq) {
    return "chatcmpl-fake-" + seq;
  }

  static String callId(long seq) {
    return "call_fake_" + seq;
  }

  static ObjectNode chatUsage(Answer a) {
    ObjectNode u = NODES.objectNode();
    u.put("prompt_tokens", a.inputTokens);
    u.put("completion_tokens", a.outputTokens);
    u.put("total_tokens", a.inputTokens + a.outputTokens);
    ObjectNode pd = u.putObject("prompt_tokens_details");
    pd.put("cached_tokens", 0);
    pd.put("audio_tokens", 0);
    ObjectNode cd = u.putObject("completion_tokens_details");
    cd.put("reasoning_tokens", 0);
    cd.put("audio_tokens", 0);
    cd.put("accepted_prediction_tokens", 0);
    cd.put("rejected_prediction_tokens", 0);
    return u;
  }

  static ObjectNode chatCompletion(long seq, String model, Answer a) {
    ObjectNode root = NODES.objectNode();
    root.put("id", chatId(seq));
    root.put("object", "chat.completion");
    root.put("created", CREATED);
    root.put("model", model);
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (a.isToolCall()) {
      message.putNull("content");
      ArrayNode calls = message.putArray("tool_calls");
      ObjectNode call = calls.addObject();
      call.put("id", callId(seq));
      call.put("type", "function");
      ObjectNode fn = call.putObject("function");
      fn.put("name", a.toolName);
      fn.put("arguments", a.toolArguments);
    } else {
      message.put("content", a.text);
    }
    message.putNull("refusal");
    message.putArray("annotations");
    choice.putNull("logprobs");
    choice.put("finish_reason", a.isToolCall() ? "tool_calls" : "stop");
    root.set("usage", chatUsage(a));
    root.put("service_tier", "default");
    root.put("system_fingerprint", SYSTEM_FINGERPRINT);
    return root;
  }

  private static ObjectNode chunkBase(long seq, String model, boolean includeUsage) {
    ObjectNode c = NODES.objectNode();
    c.put("id", chatId(seq));
    c.put("object", "chat.completion.chunk");
    c.put("created", CREATED);
    c.put("model", model);
    c.put("service_tier", "default");
    c.put("system_fingerprint", SYSTEM_FINGERPRINT);
    c.putArray("choices");
    if (includeUsage) {
      c.putNull("usage");
    }
    return c;
  }

  private static ObjectNode chunkWithDelta(
      long seq, String model, boolean includeUsage, ObjectNode delta, String finishReason) {
    ObjectNode c = chunkBase(seq, model, includeUsage);
    ObjectNode choice = ((ArrayNode) c.get("choices")).addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return c;
  }

  /** Every chunk of a chat stream, in order, without the final {@code [DONE]}. */
  static List<ObjectNode> chatChunks(long seq, String model, Answer a, boolean includeUsage) {
    List<ObjectNode> out = new ArrayList<>();
    ObjectNode first = NODES.objectNode();
    first.put("role", "assistant");
    if (a.isToolCall()) {
      first.putNull("content");
      ObjectNode call = first.putArray("tool_calls").addObject();
      call.put("index", 0);
      call.put("id", callId(seq));
      call.put("type", "function");
      ObjectNode fn = call.putObject("function");
      fn.put("name", a.toolName);
      fn.put("arguments", "");
      first.putNull("refusal");
      out.add(chunkWithDelta(seq, model, includeUsage, first, null));
      for (String frag : fragments(a.toolArguments, ARGUMENT_FRAGMENT_CHARS)) {
        ObjectNode d = NODES.objectNode();
        ObjectNode c = d.putArray("tool_calls").addObject();
        c.put("index", 0);
        c.putObject("function").put("arguments", frag);
        out.add(chunkWithDelta(seq, model, includeUsage, d, null));
      }
    } else {
      first.put("content", "");
      first.putNull("refusal");
      out.add(chunkWithDelta(seq, model, includeUsage, first, null));
      for (String piece : pieces(a.text)) {
        ObjectNode d = NODES.objectNode();
        d.put("content", piece);
        out.add(chunkWithDelta(seq, model, includeUsage, d, null));
      }
    }
    out.add(
        chunkWithDelta(
            seq, model, includeUsage, NODES.objectNode(), a.isToolCall() ? "tool_calls" : "stop"));
    if (includeUsage) {
      ObjectNode u = chunkBase(seq, model, true);
      u.set("usage", chatUsage(a));
      out.add(u);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Embeddings
  // ---------------------------------------------------------------------------------------------

  /** The inputs of an embeddings request, each as text (token arrays as their JSON text). */
  static List<JsonNode> embeddingInputs(JsonNode input) {
    List<JsonNode> out = new ArrayList<>();
    if (input.isTextual()) {
      out.add(input);
    } else if (input.isArray()) {
      boolean tokenArray = input.size() > 0 && input.get(0).isNumber();
      if (tokenArray) {
        out.add(input);
      } else {
        for (JsonNode x : input) {
          out.add(x);
        }
      }
    }
    return out;
  }

  /** Tokens of one embedding input: words of a string, or the length of a token array. */
  static int embeddingTokens(JsonNode input) {
    return input.isArray() ? input.size() : words(input.asText());
  }

  /** A deterministic unit-length vector derived from the input. */
  static float[] vector(JsonNode input, int dims) {
    String key = input.isTextual() ? input.asText() : json(input);
    long state = 0x9E3779B97F4A7C15L ^ key.hashCode();
    float[] v = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z = z ^ (z >>> 31);
      double d = ((z >>> 11) * 0x1.0p-53) * 2.0 - 1.0;
      v[i] = (float) d;
      norm += d * d;
    }
    double n = Math.sqrt(norm);
    if (n > 0) {
      for (int i = 0; i < dims; i++) {
        v[i] = (float) (v[i] / n);
      }
    }
    return v;
  }

  static String base64(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      buf.putFloat(f);
    }
    return Base64.getEncoder().encodeToString(buf.array());
  }

  static ObjectNode embeddings(String model, List<JsonNode> inputs, int dims, boolean base64) {
    ObjectNode root = NODES.objectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      float[] v = vector(inputs.get(i), dims);
      ObjectNode e = data.addObject();
      e.put("object", "embedding");
      e.put("index", i);
      if (base64) {
        e.put("embedding", base64(v));
      } else {
        ArrayNode arr = e.putArray("embedding");
        for (float f : v) {
          arr.add(f);
        }
      }
      tokens += embeddingTokens(inputs.get(i));
    }
    root.put("model", model);
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", tokens);
    usage.put("total_tokens", tokens);
    return root;
  }

  // ---------------------------------------------------------------------------------------------
  // Responses API
  // ---------------------------------------------------------------------------------------------

  static String responseId(long seq) {
    return "resp_fake_" + seq;
  }

  static String itemId(long seq, Answer a) {
    return (a.isToolCall() ? "fc_fake_" : "msg_fake_") + seq;
  }

  static ObjectNode responsesUsage(Answer a) {
    ObjectNode u = NODES.objectNode();
    u.put("input_tokens", a.inputTokens);
    ObjectNode inputDetails = u.putObject("input_tokens_details");
    inputDetails.put("cached_tokens", 0);
    // Required by openai-java 4.x (ResponseUsage.InputTokensDetails.cacheWriteTokens()).
    inputDetails.put("cache_write_tokens", 0);
    u.put("output_tokens", a.outputTokens);
    u.putObject("output_tokens_details").put("reasoning_tokens", 0);
    u.put("total_tokens", a.inputTokens + a.outputTokens);
    return u;
  }

  static ObjectNode outputTextPart(String text) {
    ObjectNode p = NODES.objectNode();
    p.put("type", "output_text");
    p.putArray("annotations");
    p.putArray("logprobs");
    p.put("text", text);
    return p;
  }

  /** The output item, complete (status completed) or just opened (in_progress, empty). */
  static ObjectNode outputItem(long seq, Answer a, boolean complete) {
    ObjectNode item = NODES.objectNode();
    item.put("id", itemId(seq, a));
    if (a.isToolCall()) {
      item.put("type", "function_call");
      item.put("status", complete ? "completed" : "in_progress");
      item.put("arguments", complete ? a.toolArguments : "");
      item.put("call_id", callId(seq));
      item.put("name", a.toolName);
    } else {
      item.put("type", "message");
      item.put("status", complete ? "completed" : "in_progress");
      ArrayNode content = item.putArray("content");
      if (complete) {
        content.add(outputTextPart(a.text));
      }
      item.put("role", "assistant");
    }
    return item;
  }

  /** Function tools echoed the way the API does (with {@code strict} and {@code description}). */
  private static ArrayNode echoTools(JsonNode tools) {
    ArrayNode out = NODES.arrayNode();
    if (tools.isArray()) {
      for (JsonNode t : tools) {
        if (t.isObject() && "function".equals(t.path("type").asText())) {
          ObjectNode f = NODES.objectNode();
          f.put("type", "function");
          f.set("description", t.has("description") ? t.get("description") : NODES.nullNode());
          f.set("name", t.path("name"));
          f.set("parameters", t.has("parameters") ? t.get("parameters") : NODES.nullNode());
          f.set("strict", t.has("strict") ? t.get("strict") : NODES.booleanNode(true));
          out.add(f);
        } else {
          out.add(t);
        }
      }
    }
    return out;
  }

  private static JsonNode orElse(JsonNode req, String field, JsonNode fallback) {
    JsonNode v = req.get(field);
    return v == null || v.isMissingNode() ? fallback : v;
  }

  /** A full {@code response} object; {@code complete=false} gives the in-progress snapshot of a stream. */
  static ObjectNode response(long seq, String model, JsonNode req, Answer a, boolean complete) {
    ObjectNode r = NODES.objectNode();
    r.put("id", responseId(seq));
    r.put("object", "response");
    r.put("created_at", CREATED);
    r.put("status", complete ? "completed" : "in_progress");
    r.put("background", false);
    r.putNull("error");
    r.putNull("incomplete_details");
    r.set("instructions", orElse(req, "instructions", NODES.nullNode()));
    r.set("max_output_tokens", orElse(req, "max_output_tokens", NODES.nullNode()));
    r.set("max_tool_calls", orElse(req, "max_tool_calls", NODES.nullNode()));
    r.put("model", model);
    ArrayNode output = r.putArray("output");
    if (complete) {
      output.add(outputItem(seq, a, true));
    }
    r.set("parallel_tool_calls", orElse(req, "parallel_tool_calls", NODES.booleanNode(true)));
    r.set("previous_response_id", orElse(req, "previous_response_id", NODES.nullNode()));
    ObjectNode reasoning = r.putObject("reasoning");
    reasoning.putNull("effort");
    reasoning.putNull("summary");
    r.put("service_tier", "default");
    r.set("store", orElse(req, "store", NODES.booleanNode(true)));
    r.set("temperature", orElse(req, "temperature", NODES.numberNode(1.0)));
    JsonNode text = req.get("text");
    if (text == null || !text.isObject()) {
      ObjectNode t = NODES.objectNode();
      t.putObject("format").put("type", "text");
      t.put("verbosity", "medium");
      text = t;
    }
    r.set("text", text);
    r.set("tool_choice", orElse(req, "tool_choice", NODES.textNode("auto")));
    r.set("tools", echoTools(req.path("tools")));
    r.set("top_logprobs", orElse(req, "top_logprobs", NODES.numberNode(0)));
    r.set("top_p", orElse(req, "top_p", NODES.numberNode(1.0)));
    r.set("truncation", orElse(req, "truncation", NODES.textNode("disabled")));
    if (complete) {
      r.set("usage", responsesUsage(a));
    } else {
      r.putNull("usage");
    }
    r.set("user", orElse(req, "user", NODES.nullNode()));
    JsonNode metadata = req.get("metadata");
    r.set("metadata", metadata != null && metadata.isObject() ? metadata : NODES.objectNode());
    return r;
  }

  /** One SSE event of a Responses stream: its type and its JSON data. */
  static final class Event {
    final String type;
    final ObjectNode data;

    Event(String type, ObjectNode data) {
      this.type = type;
      this.data = data;
    }
  }

  /** Every event of a Responses stream, in order, with sequence numbers from 0. */
  static List<Event> responseEvents(long seq, String model, JsonNode req, Answer a) {
    List<ObjectNode> raw = new ArrayList<>();
    ObjectNode e;
    String itemId = itemId(seq, a);

    e = NODES.objectNode();
    e.put("type", "response.created");
    e.set("response", response(seq, model, req, a, false));
    raw.add(e);

    e = NODES.objectNode();
    e.put("type", "response.in_progress");
    e.set("response", response(seq, model, req, a, false));
    raw.add(e);

    e = NODES.objectNode();
    e.put("type", "response.output_item.added");
    e.put("output_index", 0);
    e.set("item", outputItem(seq, a, false));
    raw.add(e);

    if (a.isToolCall()) {
      for (String frag : fragments(a.toolArguments, ARGUMENT_FRAGMENT_CHARS)) {
        e = NODES.objectNode();
        e.put("type", "response.function_call_arguments.delta");
        e.put("item_id", itemId);
        e.put("output_index", 0);
        e.put("delta", frag);
        raw.add(e);
      }
      e = NODES.objectNode();
      e.put("type", "response.function_call_arguments.done");
      e.put("item_id", itemId);
      e.put("name", a.toolName);
      e.put("output_index", 0);
      e.put("arguments", a.toolArguments);
      raw.add(e);
    } else {
      e = NODES.objectNode();
      e.put("type", "response.content_part.added");
      e.put("item_id", itemId);
      e.put("output_index", 0);
      e.put("content_index", 0);
      e.set("part", outputTextPart(""));
      raw.add(e);
      for (String piece : pieces(a.text)) {
        e = NODES.objectNode();
        e.put("type", "response.output_text.delta");
        e.put("item_id", itemId);
        e.put("output_index", 0);
        e.put("content_index", 0);
        e.put("delta", piece);
        e.putArray("logprobs");
        raw.add(e);
      }
      e = NODES.objectNode();
      e.put("type", "response.output_text.done");
      e.put("item_id", itemId);
      e.put("output_index", 0);
      e.put("content_index", 0);
      e.put("text", a.text);
      e.putArray("logprobs");
      raw.add(e);
      e = NODES.objectNode();
      e.put("type", "response.content_part.done");
      e.put("item_id", itemId);
      e.put("output_index", 0);
      e.put("content_index", 0);
      e.set("part", outputTextPart(a.text));
      raw.add(e);
    }

    e = NODES.objectNode();
    e.put("type", "response.output_item.done");
    e.put("output_index", 0);
    e.set("item", outputItem(seq, a, true));
    raw.add(e);

    e = NODES.objectNode();
    e.put("type", "response.completed");
    e.set("response", response(seq, model, req, a, true));
    raw.add(e);

    List<Event> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      ObjectNode data = raw.get(i);
      data.put("sequence_number", i);
      out.add(new Event(data.get("type").asText(), data));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Errors
  // ---------------------------------------------------------------------------------------------

  static ObjectNode error(String message, String type, String param, String code) {
    ObjectNode root = NODES.objectNode();
    ObjectNode err = root.putObject("error");
    err.put("message", message);
    err.put("type", type);
    if (param == null) {
      err.putNull("param");
    } else {
      err.put("param", param);
    }
    if (code == null) {
      err.putNull("code");
    } else {
      err.put("code", code);
    }
    return root;
  }

  /** The error body the real API sends for this status (representative message, type and code). */
  static ObjectNode errorForStatus(int status, String model) {
    String m = model == null || model.isEmpty() ? "gpt-4o-mini" : model;
    switch (status) {
      case 400:
        return error(
            "Invalid request (scripted by the fake LLM server).", "invalid_request_error", null, null);
      case 401:
        return error(
            "Incorrect API key provided: sk-fake***********. You can find your API key at"
                + " https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            null,
            "invalid_api_key");
      case 403:
        return error(
            "You are not allowed to sample from this model", "invalid_request_error", null, null);
      case 404:
        return error(
            "The model `" + m + "` does not exist or you do not have access to it.",
            "invalid_request_error",
            null,
            "model_not_found");
      case 408:
        return error("Request timed out.", "timeout", null, null);
      case 409:
        return error(
            "Another process is using this resource. Please try again.", "invalid_request_error", null,
            null);
      case 429:
        return error(
            "Rate limit reached for "
                + m
                + " in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1."
                + " Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to"
                + " learn more.",
            "requests",
            null,
            "rate_limit_exceeded");
      case 503:
        return error(
            "The engine is currently overloaded, please try again later.", "server_error", null, null);
      default:
        if (status >= 500) {
          return error(
              "The server had an error while processing your request. Sorry about that!",
              "server_error",
              null,
              null);
        }
        return error(
            "Request failed with status " + status + " (scripted by the fake LLM server).",
            "invalid_request_error",
            null,
            null);
    }
  }
}
