package dev.llmotel.core.output;

/**
 * The structure a request asks the model's answer to have: a JSON Schema the answer text must
 * satisfy (OpenAI {@code json_schema}, Gemini {@code responseSchema}), or only JSON of some kind
 * ({@code json_object}, Gemini's {@code application/json}). Tool calls are checked against their
 * tool's parameter schema separately; this is the answer text.
 */
public final class OutputContract {
  /** What the answer must be when no schema is given. */
  public enum Shape { JSON_OBJECT, ANY_JSON, SCHEMA }

  private final Shape shape;
  private final String schemaJson;

  private OutputContract(Shape shape, String schemaJson) {
    this.shape = shape;
    this.schemaJson = schemaJson;
  }

  /** The answer must satisfy this JSON Schema (its JSON text). */
  public static OutputContract schema(String schemaJson) {
    return schemaJson == null ? jsonObject() : new OutputContract(Shape.SCHEMA, schemaJson);
  }

  /** The answer must parse as a JSON object. */
  public static OutputContract jsonObject() {
    return new OutputContract(Shape.JSON_OBJECT, null);
  }

  /** The answer must parse as JSON. */
  public static OutputContract anyJson() {
    return new OutputContract(Shape.ANY_JSON, null);
  }

  public Shape shape() { return shape; }

  /** The schema's JSON text, for {@link Shape#SCHEMA}; else null. */
  public String schemaJson() { return schemaJson; }
}
