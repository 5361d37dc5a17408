package dev.llmotel.instrumentation.anthropic;

import com.anthropic.core.ObjectMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK's values as the API's wire JSON. The SDK's Java types change between majors (1.x to 3.x
 * renamed the stream events' accessors and dropped some params accessors); the wire JSON, which the
 * SDK's own Jackson mapper writes from any of its model objects, does not.
 */
final class AnthropicJson {
  /** The request body accessor: public as {@code _body()} from 1.x releases after 1.0, internal before. */
  private static final String[] BODY_ACCESSORS = {"_body", "_body$anthropic_java_core"};
  private static final Map<Class<?>, Method> bodyAccessors = new ConcurrentHashMap<>();
  /** The SDK builds a new mapper on each jsonMapper() call (about a millisecond): built once here. */
  private static final ObjectMapper MAPPER = ObjectMappers.jsonMapper();

  static JsonNode tree(Object sdkValue) {
    return MAPPER.valueToTree(sdkValue);
  }

  /** The request body of a params object, as JSON. */
  static JsonNode body(Object params) throws ReflectiveOperationException {
    Method accessor = bodyAccessors.get(params.getClass());
    if (accessor == null) {
      for (String name : BODY_ACCESSORS) {
        try {
          accessor = params.getClass().getMethod(name);
          break;
        } catch (NoSuchMethodException e) {
          // the other name
        }
      }
      if (accessor == null) throw new NoSuchMethodException(params.getClass().getName() + "._body");
      bodyAccessors.put(params.getClass(), accessor);
    }
    return tree(accessor.invoke(params));
  }

  static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (Exception e) {
      return String.valueOf(value);
    }
  }

  static Long longOrNull(JsonNode node) {
    return node != null && node.isNumber() ? node.asLong() : null;
  }

  static Double doubleOrNull(JsonNode node) {
    return node != null && node.isNumber() ? node.asDouble() : null;
  }

  static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private AnthropicJson() {}
}
