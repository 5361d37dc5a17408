package dev.llmotel.core;

/** A tool offered to the model: its type, name, description and parameter schema (JSON). */
public final class ToolDefinition {
  public final String type;
  public final String name;
  public final String description;
  /** The parameter schema as the request declared it (what content capture exports). */
  public final String parametersJson;
  /** The same schema as JSON Schema, for checking the model's arguments (differs where the provider's dialect does). */
  public final String parametersJsonSchema;

  public ToolDefinition(String type, String name, String description, String parametersJson) {
    this(type, name, description, parametersJson, parametersJson);
  }

  public ToolDefinition(String type, String name, String description, String parametersJson, String parametersJsonSchema) {
    this.type = type == null ? "function" : type;
    this.name = name;
    this.description = description;
    this.parametersJson = parametersJson;
    this.parametersJsonSchema = parametersJsonSchema;
  }
}
