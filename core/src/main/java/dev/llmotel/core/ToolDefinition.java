package dev.llmotel.core;

/** A tool offered to the model: its type, name, description and parameter schema (JSON). */
public final class ToolDefinition {
  public final String type;
  public final String name;
  public final String description;
  public final String parametersJson;

  public ToolDefinition(String type, String name, String description, String parametersJson) {
    this.type = type == null ? "function" : type;
    this.name = name;
    this.description = description;
    this.parametersJson = parametersJson;
  }
}
