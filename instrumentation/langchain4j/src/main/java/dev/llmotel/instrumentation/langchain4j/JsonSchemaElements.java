package dev.llmotel.instrumentation.langchain4j;

import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.llmotel.core.Accessors;
import dev.llmotel.core.Json;
import dev.llmotel.core.SafeHooks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j's schema element tree (a response format's schema, a tool's parameters) as JSON
 * Schema text, to check the model's answer against. Not LangChain4j's JsonSchemaElementUtils.toMap:
 * that is internal API, and leaves additionalProperties out unless strict. Descriptions are left
 * out: they check nothing.
 */
final class JsonSchemaElements {
  private static final Map<String, Object> NULL = Map.of("type", "null");

  /** The element's JSON Schema, or null without one (or should it fail: the answer goes unchecked, the call on). */
  static String toJsonSchema(JsonSchemaElement root) {
    return toJsonSchema(root, false);
  }

  /**
   * As the model sends it: {@code strict} as LangChain4j's OpenAI models send a schema in strict mode
   * (every property required, the optional ones nullable; no other properties unless the schema says).
   */
  static String toJsonSchema(JsonSchemaElement root, boolean strict) {
    if (root == null) return null;
    try {
      return Json.write(schema(root, strict));
    } catch (RuntimeException e) {
      SafeHooks.failed("langchain4j json schema", e);
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schema(JsonSchemaElement element, boolean strict) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (element instanceof JsonObjectSchema object) {
      out.put("type", "object");
      List<String> required = object.required() == null ? List.of() : object.required();
      Map<String, Object> properties = new LinkedHashMap<>();
      if (object.properties() != null) {
        object.properties().forEach((name, property) ->
            properties.put(name, required.contains(name) ? schema(property, strict) : nullable(schema(property, strict))));
      }
      out.put("properties", properties);
      List<String> mustHave = strict && object.properties() != null ? new ArrayList<>(object.properties().keySet()) : required;
      if (!mustHave.isEmpty()) out.put("required", mustHave);
      if (object.additionalProperties() != null) {
        out.put("additionalProperties", object.additionalProperties());
      } else if (strict) {
        out.put("additionalProperties", false);
      }
      if (object.definitions() != null && !object.definitions().isEmpty()) {
        Map<String, Object> definitions = new LinkedHashMap<>();
        object.definitions().forEach((name, definition) -> definitions.put(name, schema(definition, strict)));
        out.put("$defs", definitions);
      }
    } else if (element instanceof JsonStringSchema) {
      out.put("type", "string");
    } else if (element instanceof JsonIntegerSchema) {
      out.put("type", "integer");
    } else if (element instanceof JsonNumberSchema) {
      out.put("type", "number");
    } else if (element instanceof JsonBooleanSchema) {
      out.put("type", "boolean");
    } else if (element instanceof JsonNullSchema) {
      out.put("type", "null");
    } else if (element instanceof JsonEnumSchema enumeration) {
      out.put("type", "string");
      out.put("enum", enumeration.enumValues());
    } else if (element instanceof JsonArraySchema array) {
      out.put("type", "array");
      if (array.items() != null) out.put("items", schema(array.items(), strict));
    } else if (element instanceof JsonAnyOfSchema anyOf) {
      List<Object> options = new ArrayList<>();
      for (JsonSchemaElement option : anyOf.anyOf()) options.add(schema(option, strict));
      out.put("anyOf", options);
    } else if (element instanceof JsonReferenceSchema reference) {
      // LangChain4j keeps the definitions on the root object and names them there.
      out.put("$ref", "#/$defs/" + reference.reference());
    } else if (element != null && element.getClass().getSimpleName().equals("JsonRawSchema")) {
      // 1.11 on: the app's own JSON Schema text.
      Object raw = Json.parse(String.valueOf(Accessors.call(element, "schema")));
      if (raw instanceof Map) return new LinkedHashMap<>((Map<String, Object>) raw);
    }
    return out; // an element type of a newer release: any value
  }

  /**
   * An optional property may also be null: LangChain4j's OpenAI models send strict schemas, where
   * every property is required and the optional ones nullable, and to the app null is absent.
   */
  private static Map<String, Object> nullable(Map<String, Object> schema) {
    Object type = schema.get("type");
    if (type instanceof String && !schema.containsKey("enum")) {
      schema.put("type", List.of(type, "null"));
      return schema;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("anyOf", List.of(schema, NULL));
    return out;
  }

  private JsonSchemaElements() {}
}
