package dev.llmotel.core.output;

import dev.harrel.jsonschema.JsonNode;
import dev.harrel.jsonschema.JsonNodeFactory;
import dev.harrel.jsonschema.SimpleType;
import dev.llmotel.core.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validator's view of a value parsed by llm-otel's own {@link Json} (maps, lists, strings,
 * doubles, booleans, null): the validator then needs no JSON library of its own, and none is bundled.
 */
final class ParsedJsonNode implements JsonNode {
  static final JsonNodeFactory FACTORY = new JsonNodeFactory() {
    @Override
    public JsonNode wrap(Object node) {
      if (node instanceof ParsedJsonNode) return (ParsedJsonNode) node;
      return new ParsedJsonNode(node, "");
    }

    @Override
    public JsonNode create(String rawJson) {
      return new ParsedJsonNode(Json.parse(rawJson), "");
    }
  };

  private final Object value;
  private final String pointer;
  private final SimpleType type;

  ParsedJsonNode(Object value, String pointer) {
    this.value = value;
    this.pointer = pointer;
    this.type = typeOf(value);
  }

  private static SimpleType typeOf(Object v) {
    if (v == null) return SimpleType.NULL;
    if (v instanceof Boolean) return SimpleType.BOOLEAN;
    if (v instanceof String) return SimpleType.STRING;
    if (v instanceof Map) return SimpleType.OBJECT;
    if (v instanceof List) return SimpleType.ARRAY;
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      return Double.isInfinite(d) || d == Math.rint(d) ? SimpleType.INTEGER : SimpleType.NUMBER;
    }
    throw new IllegalArgumentException("not a parsed JSON value: " + v.getClass().getName());
  }

  @Override public String getJsonPointer() { return pointer; }
  @Override public SimpleType getNodeType() { return type; }
  @Override public boolean asBoolean() { return (Boolean) value; }
  @Override public String asString() { return (String) value; }
  @Override public BigInteger asInteger() { return asNumber().toBigInteger(); }

  @Override
  public BigDecimal asNumber() {
    double d = ((Number) value).doubleValue();
    // Beyond a double's range (1e400): the largest double, of its sign, is as far as llm-otel can tell.
    if (Double.isInfinite(d)) return BigDecimal.valueOf(d > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE);
    // The shortest decimal that reads back as the double: 0.1 stays 0.1, as the JSON text had it.
    return new BigDecimal(Double.toString(d));
  }

  @Override
  public List<JsonNode> asArray() {
    List<?> list = (List<?>) value;
    List<JsonNode> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) out.add(new ParsedJsonNode(list.get(i), pointer + "/" + i));
    return Collections.unmodifiableList(out);
  }

  @Override
  public Map<String, JsonNode> asObject() {
    Map<?, ?> map = (Map<?, ?>) value;
    Map<String, JsonNode> out = new LinkedHashMap<>(map.size() * 2);
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      out.put(key, new ParsedJsonNode(e.getValue(), pointer + "/" + JsonNode.encodeJsonPointer(key)));
    }
    return Collections.unmodifiableMap(out);
  }
}
