package dev.llmotel.core.output;

import dev.llmotel.core.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gemini's {@code Schema} (an OpenAPI 3.0 subset: {@code responseSchema}, a function's
 * {@code parameters}) as the JSON Schema it means: type names in lower case ({@code OBJECT} is
 * {@code object}) and {@code nullable: true} as a type that also allows null. Every other keyword
 * Gemini takes (properties, items, required, enum, anyOf, minimum, format, ...) already means the
 * same in JSON Schema; the ones it does not know ({@code propertyOrdering}) are ignored by the validator.
 */
public final class OpenApiSchemas {

  /** The JSON Schema text of a Gemini schema given as JSON text; null stays null. */
  public static String toJsonSchema(String openApiSchemaJson) {
    if (openApiSchemaJson == null) return null;
    try {
      return Json.write(convert(Json.parse(openApiSchemaJson), 0));
    } catch (RuntimeException e) {
      return openApiSchemaJson; // the validator reports it as a schema it cannot compile
    }
  }

  private static Object convert(Object node, int depth) {
    if (depth > 60 || !(node instanceof Map)) return node;
    Map<String, Object> out = new LinkedHashMap<>();
    Map<?, ?> schema = (Map<?, ?>) node;
    for (Map.Entry<?, ?> e : schema.entrySet()) {
      String key = String.valueOf(e.getKey());
      Object value = e.getValue();
      switch (key) {
        case "type":
          if (value instanceof String) {
            String type = ((String) value).toLowerCase(Locale.ROOT);
            if (!"type_unspecified".equals(type)) out.put(key, type);
          } else {
            out.put(key, value);
          }
          break;
        case "nullable":
          break; // applied below, once the type is known
        case "properties": {
          Map<String, Object> properties = new LinkedHashMap<>();
          if (value instanceof Map) {
            for (Map.Entry<?, ?> p : ((Map<?, ?>) value).entrySet()) {
              properties.put(String.valueOf(p.getKey()), convert(p.getValue(), depth + 1));
            }
          }
          out.put(key, properties);
          break;
        }
        case "items":
          out.put(key, convert(value, depth + 1));
          break;
        case "anyOf": {
          List<Object> options = new ArrayList<>();
          if (value instanceof List) for (Object o : (List<?>) value) options.add(convert(o, depth + 1));
          out.put(key, options);
          break;
        }
        default:
          out.put(key, value);
      }
    }
    if (Boolean.TRUE.equals(schema.get("nullable")) && out.get("type") instanceof String) {
      List<Object> types = new ArrayList<>();
      types.add(out.get("type"));
      types.add("null");
      out.put("type", types);
      if (out.get("enum") instanceof List && !((List<?>) out.get("enum")).contains(null)) {
        List<Object> values = new ArrayList<>((List<?>) out.get("enum"));
        values.add(null);
        out.put("enum", values);
      }
    }
    return out;
  }

  private OpenApiSchemas() {}
}
