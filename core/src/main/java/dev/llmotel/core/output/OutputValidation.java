package dev.llmotel.core.output;

import static dev.llmotel.semconv.LlmOtelAttributes.OUTPUT_INVALID;
import static dev.llmotel.semconv.LlmOtelAttributes.OUTPUT_NOT_JSON;
import static dev.llmotel.semconv.LlmOtelAttributes.OUTPUT_VALID;

import dev.harrel.jsonschema.Validator;
import dev.llmotel.core.Json;
import dev.llmotel.core.ToolDefinition;
import java.util.List;
import java.util.Map;

/**
 * Checks an answer against what its request declared: the answer text against the response format
 * (a JSON Schema, or only "a JSON object"), and each tool call's arguments against its tool's
 * parameter schema. The first failure decides the verdict; nothing here throws.
 */
public final class OutputValidation {

  /**
   * The verdict, or null when the request declared nothing to check the answer against (or the
   * answer has nothing the declaration covers: a refusal, a call that failed).
   */
  public static OutputCheck check(OutputContract contract, List<ToolDefinition> tools, AnswerForValidation answer) {
    if (answer == null) {
      // The request declared a structure and no answer text came: an empty answer is not JSON.
      return contract == null ? null : new OutputCheck(OUTPUT_NOT_JSON, "$: empty answer");
    }
    if (answer.overflowed()) {
      return new OutputCheck(OutputCheck.UNCHECKED, "answer larger than " + AnswerForValidation.MAX_CHARS + " characters");
    }
    boolean checked = false;
    OutputCheck unchecked = null;
    List<String[]> toolCalls = answer.toolCalls();
    if (contract != null) {
      List<String> texts = answer.texts();
      if (texts.isEmpty() && toolCalls.isEmpty()) return new OutputCheck(OUTPUT_NOT_JSON, "$: empty answer");
      for (String text : texts) {
        OutputCheck c = checkText(contract, text, "");
        if (c.failed()) return c;
        if (OutputCheck.UNCHECKED.equals(c.result)) unchecked = c; else checked = true;
      }
    }
    for (String[] toolCall : toolCalls) {
      String prefix = "tool " + cut(toolCall[0]) + ": ";
      ToolDefinition tool = find(tools, toolCall[0]);
      if (tool == null) return new OutputCheck(OUTPUT_INVALID, prefix + "not a declared tool");
      if (tool.parametersJsonSchema == null) continue;
      // A tool without parameters may get no arguments at all.
      String args = toolCall[1].trim().isEmpty() ? "{}" : toolCall[1];
      OutputCheck c = checkText(OutputContract.schema(tool.parametersJsonSchema), args, prefix);
      if (c.failed()) return c;
      if (OutputCheck.UNCHECKED.equals(c.result)) unchecked = c; else checked = true;
    }
    if (unchecked != null && !checked) return unchecked;
    return checked ? new OutputCheck(OUTPUT_VALID, null) : null;
  }

  private static OutputCheck checkText(OutputContract contract, String text, String prefix) {
    Object parsed;
    try {
      parsed = Json.parse(text.trim());
    } catch (RuntimeException e) {
      String why = e.getMessage() != null && e.getMessage().contains("nesting deeper")
          ? "$: nested deeper than llm-otel reads" : "$: not JSON";
      return new OutputCheck(why.startsWith("$: not") ? OUTPUT_NOT_JSON : OUTPUT_INVALID, prefix + why);
    }
    switch (contract.shape()) {
      case ANY_JSON:
        return new OutputCheck(OUTPUT_VALID, null);
      case JSON_OBJECT:
        return parsed instanceof Map ? new OutputCheck(OUTPUT_VALID, null)
            : new OutputCheck(OUTPUT_INVALID, prefix + "$: type");
      case SCHEMA:
      default:
        JsonSchemas.Compiled schema = JsonSchemas.compiled(contract.schemaJson());
        if (schema.validator == null) return new OutputCheck(OutputCheck.UNCHECKED, prefix + "schema " + schema.problem);
        try {
          Validator.Result result = schema.validator.validate(schema.uri, new ParsedJsonNode(parsed, ""));
          if (result.isValid()) return new OutputCheck(OUTPUT_VALID, null);
          if (Violations.unresolvedReference(result.getErrors())) {
            return new OutputCheck(OutputCheck.UNCHECKED, prefix + "schema has a $ref llm-otel cannot resolve");
          }
          return new OutputCheck(OUTPUT_INVALID, prefix + Violations.describe(Violations.innermost(result.getErrors())));
        } catch (RuntimeException e) {
          // An unresolvable $ref meets this answer only now: the schema is at fault, not the answer.
          return new OutputCheck(OutputCheck.UNCHECKED, prefix + "schema cannot be evaluated (" + e.getClass().getSimpleName() + ")");
        }
    }
  }

  private static ToolDefinition find(List<ToolDefinition> tools, String name) {
    if (name == null) return null;
    for (ToolDefinition t : tools) if (name.equals(t.name)) return t;
    return null;
  }

  private static String cut(String name) {
    if (name == null) return "?";
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private OutputValidation() {}
}
