package dev.llmotel.testkit.fakellm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
   * Arguments for a call to a tool with this JSON schema: each required property gets a value that
   * satisfies its schema, see {@link #schemaValue(JsonNode, String)}.
   */
  static String toolArguments(JsonNode parameters) {
    return toolArguments(parameters, null);
  }

  /**
   * As {@link #toolArguments(JsonNode)}, except that the first plain string (see {@link #schemaValue})
   * takes what the question is about, {@link #subjectOf}: "What is the weather in Paris?" calls the tool
   * with {@code {"city":"Paris"}}. Without such a word it stays {@code "fake"}. Always an object, whatever
   * the schema's type.
   */
  static String toolArguments(JsonNode parameters, String question) {
    JsonNode schema = parameters == null ? NODES.missingNode() : parameters;
    return json(new SchemaValues(schema, subjectOf(question)).object(schema, 0));
  }

  /**
   * A value that satisfies this JSON Schema (or Gemini's OpenAPI subset: types in capitals, {@code
   * nullable}), as a model honouring it would answer: an object fills the properties its {@code required}
   * lists (from {@code properties}, else {@code additionalProperties}), each recursively; an array has
   * {@code minItems} items (at least one, at most {@code maxItems}) satisfying {@code items} ({@code
   * prefixItems} in order); {@code const}, else the first {@code enum} value; string {@code "fake"} (padded
   * to {@code minLength}, cut to {@code maxLength}; a {@code format} date, date-time, time, email, uri or
   * uuid gets a value of that format), number and integer {@code 1} moved into {@code minimum} / {@code
   * maximum} (exclusive ones too) and onto {@code multipleOf}, boolean {@code true}, null {@code null}. The
   * first plain string (no enum, const or format) takes what the question is about ({@link #subjectOf}) if
   * it fits. {@code $ref} into the same schema ({@code #/$defs/..}, {@code #/definitions/..}) is followed;
   * {@code anyOf} / {@code oneOf} take their first alternative that is not null, {@code allOf} its first
   * (merging objects). Without a {@code type}, {@code properties} means an object and {@code items} an
   * array; anything else gets {@code {}}.
   */
  static JsonNode schemaValue(JsonNode schema, String question) {
    return new SchemaValues(schema, subjectOf(question)).value(schema, 0);
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

  /** Builds {@link #schemaValue} values for one schema: its root (for {@code $ref}) and the subject. */
  private static final class SchemaValues {
    /** Deeper than this, a (recursive) schema gets its smallest value: no finite value could fill it. */
    private static final int MAX_DEPTH = 16;

    private final JsonNode root;
    /** What the question is about, until the first plain string takes it. */
    private String subject;

    SchemaValues(JsonNode root, String subject) {
      this.root = root;
      this.subject = subject;
    }

    JsonNode value(JsonNode schema, int depth) {
      schema = resolve(schema, depth);
      if (schema.has("const")) {
        return schema.get("const");
      }
      JsonNode en = schema.path("enum");
      if (en.isArray() && en.size() > 0) {
        return en.get(0);
      }
      JsonNode alternatives = schema.has("anyOf") ? schema.path("anyOf") : schema.path("oneOf");
      if (alternatives.isArray() && alternatives.size() > 0) {
        for (JsonNode alternative : alternatives) {
          if (!"null".equals(type(resolve(alternative, depth)))) {
            return value(alternative, depth + 1);
          }
        }
        return NODES.nullNode();
      }
      JsonNode all = schema.path("allOf");
      if (all.isArray() && all.size() > 0) {
        JsonNode first = value(all.get(0), depth + 1);
        if (first.isObject()) {
          ObjectNode merged = ((ObjectNode) first).deepCopy();
          for (int i = 1; i < all.size(); i++) {
            JsonNode more = value(all.get(i), depth + 1);
            if (more.isObject()) merged.setAll((ObjectNode) more);
          }
          return merged;
        }
        return first;
      }
      String type = type(schema);
      if ("string".equals(type)) {
        return NODES.textNode(string(schema));
      }
      if ("integer".equals(type) || "number".equals(type)) {
        return number(schema, "integer".equals(type));
      }
      if ("boolean".equals(type)) {
        return NODES.booleanNode(true);
      }
      if ("null".equals(type)) {
        return NODES.nullNode();
      }
      if ("array".equals(type)) {
        return array(schema, depth);
      }
      return object(schema, depth);
    }

    ObjectNode object(JsonNode schema, int depth) {
      schema = resolve(schema, depth);
      ObjectNode out = NODES.objectNode();
      if (depth > MAX_DEPTH) {
        return out;
      }
      JsonNode props = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      for (JsonNode r : schema.path("required")) {
        String name = r.asText();
        JsonNode property = props.has(name) ? props.get(name) : additional.isObject() ? additional
            : NODES.missingNode();
        out.set(name, value(property, depth + 1));
      }
      return out;
    }

    private ArrayNode array(JsonNode schema, int depth) {
      ArrayNode out = NODES.arrayNode();
      if (depth > MAX_DEPTH) {
        return out;
      }
      JsonNode prefix = schema.path("prefixItems");
      JsonNode items = schema.path("items");
      if (items.isArray()) { // draft 4 to 7 tuples
        prefix = items;
        items = schema.path("additionalItems");
      }
      int n = Math.max(1, (int) bound(schema, "minItems", 0));
      if (schema.has("maxItems")) {
        n = Math.min(n, (int) bound(schema, "maxItems", n));
      }
      for (int i = 0; i < n; i++) {
        JsonNode item = i < prefix.size() ? prefix.get(i) : items.isObject() ? items : NODES.missingNode();
        out.add(value(item, depth + 1));
      }
      return out;
    }

    private String string(JsonNode schema) {
      String format = schema.path("format").asText("");
      String value;
      switch (format) {
        case "date-time": value = "2025-01-01T00:00:00Z"; break;
        case "date": value = "2025-01-01"; break;
        case "time": value = "00:00:00Z"; break;
        case "email": value = "fake@example.com"; break;
        case "uri": case "url": value = "https://example.com/fake"; break;
        case "uuid": value = "00000000-0000-4000-8000-000000000000"; break;
        default: value = "fake";
      }
      int min = (int) bound(schema, "minLength", 0);
      int max = (int) bound(schema, "maxLength", Integer.MAX_VALUE);
      if (format.isEmpty() && subject != null && subject.length() >= min && subject.length() <= max) {
        value = subject;
        subject = null;
      }
      StringBuilder sb = new StringBuilder(value);
      while (sb.length() < min) {
        sb.append('e');
      }
      return sb.length() > max ? sb.substring(0, max) : sb.toString();
    }

    private JsonNode number(JsonNode schema, boolean integer) {
      double v = 1;
      Double min = numberAt(schema, "minimum");
      Double max = numberAt(schema, "maximum");
      JsonNode exclusiveMin = schema.path("exclusiveMinimum");
      JsonNode exclusiveMax = schema.path("exclusiveMaximum");
      // Draft 4 writes exclusiveMinimum: true beside minimum; later drafts give the bound itself.
      Double above = exclusiveMin.isBoolean() ? (exclusiveMin.booleanValue() ? min : null)
          : numberAt(schema, "exclusiveMinimum");
      Double below = exclusiveMax.isBoolean() ? (exclusiveMax.booleanValue() ? max : null)
          : numberAt(schema, "exclusiveMaximum");
      if (min != null && v < min) v = integer ? Math.ceil(min) : min;
      if (above != null && v <= above) v = integer ? Math.floor(above) + 1 : above + 1;
      if (max != null && v > max) v = integer ? Math.floor(max) : max;
      if (below != null && v >= below) v = integer ? Math.ceil(below) - 1 : below - 1;
      Double step = numberAt(schema, "multipleOf");
      if (step != null && step > 0 && Math.abs(v / step - Math.rint(v / step)) > 1e-9) {
        v = Math.ceil(v / step) * step;
      }
      long whole = (long) v;
      if (whole != v) {
        return NODES.numberNode(v);
      }
      return whole == (int) whole ? NODES.numberNode((int) whole) : NODES.numberNode(whole);
    }

    /** {@code $ref} into the root schema followed (to a depth), else the schema itself. */
    private JsonNode resolve(JsonNode schema, int depth) {
      for (int hops = 0; schema.path("$ref").isTextual() && hops < MAX_DEPTH; hops++) {
        String ref = schema.path("$ref").asText();
        if (!ref.startsWith("#") || depth > MAX_DEPTH) {
          return NODES.missingNode();
        }
        schema = root.at(ref.substring(1));
      }
      return schema;
    }
  }

  /** A schema's type in lower case (Gemini writes STRING): of a list the first but null; else inferred. */
  private static String type(JsonNode schema) {
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
      if (type == null && t.size() > 0) {
        type = "null";
      }
    } else if (schema.has("properties")) {
      type = "object";
    } else if (schema.has("items") || schema.has("prefixItems")) {
      type = "array";
    }
    return type == null ? null : type.toLowerCase(java.util.Locale.ROOT);
  }

  /** A numeric keyword (Gemini's int64 ones may come as strings), or null. */
  private static Double numberAt(JsonNode schema, String keyword) {
    JsonNode n = schema.path(keyword);
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isTextual()) {
      try {
        return Double.parseDouble(n.asText());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static long bound(JsonNode schema, String keyword, long fallback) {
    Double n = numberAt(schema, keyword);
    return n == null ? fallback : Math.max(0, n.longValue());
  }

  // ---------------------------------------------------------------------------------------------
  // Declared answer structure
  // ---------------------------------------------------------------------------------------------

  /**
   * The structure a request declares for the answer text: a JSON Schema, or any JSON (OpenAI {@code
   * json_object}, Gemini {@code responseMimeType: application/json} alone). Null when none is declared.
   */
  static final class Structure {
    /** The schema, or null for any JSON. */
    final JsonNode schema;

    private Structure(JsonNode schema) {
      this.schema = schema;
    }

    static Structure schema(JsonNode schema) {
      return new Structure(schema);
    }

    static Structure anyJson() {
      return new Structure(null);
    }

    /**
     * The answer text a model honouring the structure gives: a value of the schema ({@link #schemaValue}),
     * or {@code {"answer": <normal text>}} for any JSON, written with a space after each colon and comma so
     * that a stream splits it into several words like any text.
     */
    String answer(String question, String normalText) {
      JsonNode value;
      if (schema != null) {
        value = schemaValue(schema, question);
      } else {
        value = NODES.objectNode().put("answer", normalText);
      }
      return spacedJson(value);
    }
  }

  /** Chat {@code response_format}: {@code json_schema} (its {@code json_schema.schema}) or json_object. */
  static Structure chatStructure(JsonNode req) {
    JsonNode format = req.path("response_format");
    String type = format.path("type").asText();
    if ("json_schema".equals(type)) {
      return Structure.schema(format.path("json_schema").path("schema"));
    }
    return "json_object".equals(type) ? Structure.anyJson() : null;
  }

  /** Responses {@code text.format}: {@code json_schema} (its schema beside the type) or json_object. */
  static Structure responsesStructure(JsonNode req) {
    JsonNode format = req.path("text").path("format");
    String type = format.path("type").asText();
    if ("json_schema".equals(type)) {
      return Structure.schema(format.path("schema"));
    }
    return "json_object".equals(type) ? Structure.anyJson() : null;
  }

  /** JSON with {@code ": "} and {@code ", "} between tokens, on one line. */
  static String spacedJson(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    writeSpaced(node, sb);
    return sb.toString();
  }

  private static void writeSpaced(JsonNode node, StringBuilder sb) {
    if (node.isObject()) {
      sb.append('{');
      boolean first = true;
      for (java.util.Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        sb.append(first ? "" : ", ").append(json(NODES.textNode(field.getKey()))).append(": ");
        writeSpaced(field.getValue(), sb);
        first = false;
      }
      sb.append('}');
    } else if (node.isArray()) {
      sb.append('[');
      for (int i = 0; i < node.size(); i++) {
        sb.append(i == 0 ? "" : ", ");
        writeSpaced(node.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append(json(node));
    }
  }

  /** The JSON value {@code text} is (nothing before or after it), or null. */
  static JsonNode parseJson(String text) {
    try {
      JsonNode value = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
      return value == null || value.isMissingNode() ? null : value;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * Tool arguments as the JSON value a format carries where arguments are an object (Anthropic and Bedrock
   * {@code input}, Gemini {@code args}): {@code {}} when they do not parse, as when they were cut short.
   */
  static JsonNode argumentsValue(String arguments) {
    JsonNode value = parseJson(arguments);
    return value == null ? NODES.objectNode() : value;
  }

  // ---------------------------------------------------------------------------------------------
  // Answer planning
  // ---------------------------------------------------------------------------------------------

  /** How an answer ends: normally, cut at the token limit ({@link Behaviour#cutAtTokenLimit()}), refused. */
  enum Ending {
    NORMAL,
    TOKEN_LIMIT,
    REFUSAL
  }

  /** The text of a {@link Behaviour#refusal()}, where the provider's format has one. */
  static final String REFUSAL_TEXT = "I'm sorry, I can't help with that.";

  /** Each token's log-probability normally: the model is sure (probability 0.95). */
  static final double SURE_LOGPROB = -0.05;

  /** Each token's log-probability under {@link Behaviour#unsure()} (probability 0.22). */
  static final double UNSURE_LOGPROB = -1.5;

  /**
   * What the fake model answers: text (a refusal's text too) or one function call; how it ends; and the
   * log-probability of each of its tokens if the request asked for them.
   */
  static final class Answer {
    final String text;
    final String toolName;
    final String toolArguments;
    final int inputTokens;
    final int outputTokens;
    final Ending ending;
    /** Whether the request asked for log-probabilities (OpenAI chat and Responses only). */
    final boolean logprobs;
    /** The log-probability of every token. */
    final double logprob;

    Answer(String text, String toolName, String toolArguments, int inputTokens) {
      this(text, toolName, toolArguments, inputTokens, Ending.NORMAL, false, SURE_LOGPROB);
    }

    private Answer(String text, String toolName, String toolArguments, int inputTokens, Ending ending,
        boolean logprobs, double logprob) {
      this.text = text;
      this.toolName = toolName;
      this.toolArguments = toolArguments;
      this.inputTokens = inputTokens;
      this.outputTokens = text != null ? words(text) : words(toolArguments) + 1;
      this.ending = ending;
      this.logprobs = logprobs;
      this.logprob = logprob;
    }

    boolean isToolCall() {
      return toolName != null;
    }

    boolean refused() {
      return ending == Ending.REFUSAL;
    }

    /** This answer with log-probabilities sent if {@code requested}. */
    Answer withLogprobs(boolean requested) {
      return new Answer(text, toolName, toolArguments, inputTokens, ending, requested, logprob);
    }

    /** A text answer (or refusal) in place of this one: the same input, log-probabilities and their value. */
    Answer withText(String newText, Ending newEnding) {
      return new Answer(newText, null, null, inputTokens, newEnding, logprobs, logprob);
    }

    private Answer withArguments(String arguments, Ending newEnding) {
      return new Answer(null, toolName, arguments, inputTokens, newEnding, logprobs, logprob);
    }

    private Answer withLogprob(double value) {
      return new Answer(text, toolName, toolArguments, inputTokens, ending, logprobs, value);
    }
  }

  /**
   * The answer a scripted behaviour gives instead of the normal answer {@code a} (see {@link
   * Behaviour#answerText}, {@link Behaviour#toolArguments}, {@link Behaviour#cutAtTokenLimit()}, {@link
   * Behaviour#refusal()}, {@link Behaviour#unsure()}); {@code a} itself when the behaviour leaves it as it
   * is. How each provider shows the ending is up to its wire format.
   */
  static Answer scripted(Answer a, Behaviour b) {
    switch (b.kind()) {
      case ANSWER_TEXT:
        return a.withText(b.text(), Ending.NORMAL);
      case TOOL_ARGUMENTS:
        return a.isToolCall() ? a.withArguments(b.text(), Ending.NORMAL) : a;
      case CUT_AT_TOKEN_LIMIT:
        return a.isToolCall()
            ? a.withArguments(cutInHalf(a.toolArguments), Ending.TOKEN_LIMIT)
            : a.withText(cutInHalf(a.text), Ending.TOKEN_LIMIT);
      case REFUSAL:
        return a.withText(REFUSAL_TEXT, Ending.REFUSAL);
      case UNSURE:
        return a.withLogprob(UNSURE_LOGPROB);
      default:
        return a;
    }
  }

  /**
   * The first half of a text's characters without trailing whitespace, as a token limit leaves it (at
   * least its first character, never half a surrogate pair).
   */
  static String cutInHalf(String text) {
    int end = text.length() / 2;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    String cut = text.substring(0, end).replaceFirst("\\s+$", "");
    if (cut.isEmpty() && !text.isEmpty()) {
      cut = text.substring(0, Character.charCount(text.codePointAt(0)));
    }
    return cut;
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

  /**
   * The normal chat answer: a call to the first function tool, or text, as JSON in the declared structure
   * when {@code response_format} declares one ({@link #chatStructure}); log-probabilities if asked.
   */
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
    boolean logprobs = req.path("logprobs").asBoolean(false);
    Structure structure = chatStructure(req);
    if ("tool".equals(last.path("role").asText())) {
      String text = "Fake answer using tool result: " + snippet(textOf(last.path("content")));
      return new Answer(shaped(structured(structure, user, text), reshapeWords), null, null, prompt)
          .withLogprobs(logprobs);
    }
    if (!"none".equals(req.path("tool_choice").asText())) {
      for (JsonNode tool : req.path("tools")) {
        String type = tool.path("type").asText("function");
        JsonNode fn = tool.path("function");
        if ("function".equals(type) && fn.path("name").isTextual()) {
          return new Answer(
              null, fn.path("name").asText(), toolArguments(fn.path("parameters"), user), prompt)
              .withLogprobs(logprobs);
        }
      }
    }
    String text = "Fake answer to: " + snippet(user);
    return new Answer(shaped(structured(structure, user, text), reshapeWords), null, null, prompt)
        .withLogprobs(logprobs);
  }

  /** The answer text in the declared structure, or the text itself (trimmed) when none is declared. */
  static String structured(Structure structure, String question, String text) {
    return structure == null ? text.trim() : structure.answer(question, text.trim());
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

  /**
   * The normal Responses answer: as {@link #chatAnswer}, with the structure from {@code text.format} and
   * log-probabilities when {@code include} has {@code message.output_text.logprobs}.
   */
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
    boolean logprobs = false;
    for (JsonNode include : req.path("include")) {
      logprobs |= "message.output_text.logprobs".equals(include.asText());
    }
    Structure structure = responsesStructure(req);
    if (lastOutput != null) {
      String text = "Fake answer using tool result: " + snippet(itemText(lastOutput));
      return new Answer(shaped(structured(structure, user, text), reshapeWords), null, null, input)
          .withLogprobs(logprobs);
    }
    if (!"none".equals(req.path("tool_choice").asText())) {
      for (JsonNode tool : req.path("tools")) {
        if ("function".equals(tool.path("type").asText()) && tool.path("name").isTextual()) {
          return new Answer(
              null, tool.path("name").asText(), toolArguments(tool.path("parameters"), user), input)
              .withLogprobs(logprobs);
        }
      }
    }
    String text = "Fake answer to: " + snippet(user);
    return new Answer(shaped(structured(structure, user, text), reshapeWords), null, null, input)
        .withLogprobs(logprobs);
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

  /** Chat {@code finish_reason}: {@code length} at the token limit, {@code tool_calls} or {@code stop}. */
  static String finishReason(Answer a) {
    if (a.ending == Ending.TOKEN_LIMIT) {
      return "length";
    }
    return a.isToolCall() ? "tool_calls" : "stop";
  }

  /**
   * One log-probability entry as chat {@code logprobs.content} and Responses {@code logprobs} carry it:
   * the token, its log-probability, its UTF-8 bytes and no alternatives.
   */
  static ObjectNode logprobEntry(String token, double logprob) {
    ObjectNode e = NODES.objectNode();
    e.put("token", token);
    e.put("logprob", logprob);
    ArrayNode bytes = e.putArray("bytes");
    for (byte b : token.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      bytes.add(b & 0xFF);
    }
    e.putArray("top_logprobs");
    return e;
  }

  /** One entry per word piece of {@code text} (see {@link #pieces}): what the fake counts as tokens. */
  static ArrayNode logprobEntries(String text, double logprob) {
    ArrayNode out = NODES.arrayNode();
    for (String piece : pieces(text)) {
      out.add(logprobEntry(piece, logprob));
    }
    return out;
  }

  /**
   * A chat choice's {@code logprobs}: null unless asked for; else {@code content} (text) or {@code refusal}
   * (a refusal) holds the entries of {@code text}, the other null (both null for a tool call).
   */
  private static JsonNode chatLogprobs(Answer a, String text) {
    if (!a.logprobs) {
      return NODES.nullNode();
    }
    ObjectNode l = NODES.objectNode();
    JsonNode entries = a.isToolCall() ? NODES.nullNode() : logprobEntries(text, a.logprob);
    l.set("content", a.refused() ? NODES.nullNode() : entries);
    l.set("refusal", a.refused() ? entries : NODES.nullNode());
    return l;
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
    } else if (a.refused()) {
      message.putNull("content");
    } else {
      message.put("content", a.text);
    }
    if (a.refused()) {
      message.put("refusal", a.text);
    } else {
      message.putNull("refusal");
    }
    message.putArray("annotations");
    choice.set("logprobs", chatLogprobs(a, a.text));
    choice.put("finish_reason", finishReason(a));
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
    return chunkWithDelta(seq, model, includeUsage, delta, NODES.nullNode(), finishReason);
  }

  private static ObjectNode chunkWithDelta(long seq, String model, boolean includeUsage, ObjectNode delta,
      JsonNode logprobs, String finishReason) {
    ObjectNode c = chunkBase(seq, model, includeUsage);
    ObjectNode choice = ((ArrayNode) c.get("choices")).addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.set("logprobs", logprobs);
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return c;
  }

  /**
   * Every chunk of a chat stream, in order, without the final {@code [DONE]}: the role chunk, one chunk per
   * word piece of the text ({@code delta.content}, or {@code delta.refusal} for a refusal) or per argument
   * fragment, the finish chunk, and the usage chunk if asked for. Log-probabilities, if asked for, ride on
   * each text or refusal chunk for its own piece.
   */
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
      String field = a.refused() ? "refusal" : "content";
      if (a.refused()) {
        first.putNull("content");
        first.put("refusal", "");
      } else {
        first.put("content", "");
        first.putNull("refusal");
      }
      out.add(chunkWithDelta(seq, model, includeUsage, first, null));
      for (String piece : pieces(a.text)) {
        ObjectNode d = NODES.objectNode();
        d.put(field, piece);
        out.add(chunkWithDelta(seq, model, includeUsage, d, chatLogprobs(a, piece), null));
      }
    }
    out.add(chunkWithDelta(seq, model, includeUsage, NODES.objectNode(), finishReason(a)));
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

  /** An {@code output_text} part with the log-probabilities of {@code text} if asked for. */
  static ObjectNode outputTextPart(Answer a, String text) {
    ObjectNode p = NODES.objectNode();
    p.put("type", "output_text");
    p.putArray("annotations");
    p.set("logprobs", responsesLogprobs(a, text));
    p.put("text", text);
    return p;
  }

  /** A Responses {@code logprobs} array: the entries of {@code text} if asked for, else empty. */
  private static ArrayNode responsesLogprobs(Answer a, String text) {
    return a.logprobs ? logprobEntries(text, a.logprob) : NODES.arrayNode();
  }

  /** A {@code refusal} content part. */
  static ObjectNode refusalPart(String refusal) {
    return NODES.objectNode().put("type", "refusal").put("refusal", refusal);
  }

  /** The message's part: its text, or its refusal. */
  private static ObjectNode contentPart(Answer a, String text) {
    return a.refused() ? refusalPart(text) : outputTextPart(a, text);
  }

  /** An output item's or response's final status: {@code incomplete} when cut at the token limit. */
  private static String finalStatus(Answer a) {
    return a.ending == Ending.TOKEN_LIMIT ? "incomplete" : "completed";
  }

  /** The output item, complete (status completed or incomplete) or just opened (in_progress, empty). */
  static ObjectNode outputItem(long seq, Answer a, boolean complete) {
    ObjectNode item = NODES.objectNode();
    item.put("id", itemId(seq, a));
    String status = complete ? finalStatus(a) : "in_progress";
    if (a.isToolCall()) {
      item.put("type", "function_call");
      item.put("status", status);
      item.put("arguments", complete ? a.toolArguments : "");
      item.put("call_id", callId(seq));
      item.put("name", a.toolName);
    } else {
      item.put("type", "message");
      item.put("status", status);
      ArrayNode content = item.putArray("content");
      if (complete) {
        content.add(contentPart(a, a.text));
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
    r.put("status", complete ? finalStatus(a) : "in_progress");
    r.put("background", false);
    r.putNull("error");
    if (complete && a.ending == Ending.TOKEN_LIMIT) {
      r.putObject("incomplete_details").put("reason", "max_output_tokens");
    } else {
      r.putNull("incomplete_details");
    }
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

  /**
   * Every event of a Responses stream, in order, with sequence numbers from 0: {@code response.created},
   * {@code response.in_progress}, {@code response.output_item.added}, then for a call the argument deltas
   * and done, for text {@code response.content_part.added}, one {@code response.output_text.delta} per
   * word piece (each with its log-probabilities if asked for), {@code response.output_text.done} and {@code
   * response.content_part.done} (a refusal: {@code response.refusal.delta} and {@code
   * response.refusal.done}), then {@code response.output_item.done} and {@code response.completed} ({@code
   * response.incomplete} when cut at the token limit).
   */
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
      String kind = a.refused() ? "refusal" : "output_text";
      e = NODES.objectNode();
      e.put("type", "response.content_part.added");
      e.put("item_id", itemId);
      e.put("output_index", 0);
      e.put("content_index", 0);
      e.set("part", contentPart(a, ""));
      raw.add(e);
      for (String piece : pieces(a.text)) {
        e = NODES.objectNode();
        e.put("type", "response." + kind + ".delta");
        e.put("item_id", itemId);
        e.put("output_index", 0);
        e.put("content_index", 0);
        e.put("delta", piece);
        if (!a.refused()) {
          e.set("logprobs", responsesLogprobs(a, piece));
        }
        raw.add(e);
      }
      e = NODES.objectNode();
      e.put("type", "response." + kind + ".done");
      e.put("item_id", itemId);
      e.put("output_index", 0);
      e.put("content_index", 0);
      if (a.refused()) {
        e.put("refusal", a.text);
      } else {
        e.put("text", a.text);
        e.set("logprobs", responsesLogprobs(a, a.text));
      }
      raw.add(e);
      e = NODES.objectNode();
      e.put("type", "response.content_part.done");
      e.put("item_id", itemId);
      e.put("output_index", 0);
      e.put("content_index", 0);
      e.set("part", contentPart(a, a.text));
      raw.add(e);
    }

    e = NODES.objectNode();
    e.put("type", "response.output_item.done");
    e.put("output_index", 0);
    e.set("item", outputItem(seq, a, true));
    raw.add(e);

    e = NODES.objectNode();
    e.put("type", a.ending == Ending.TOKEN_LIMIT ? "response.incomplete" : "response.completed");
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
