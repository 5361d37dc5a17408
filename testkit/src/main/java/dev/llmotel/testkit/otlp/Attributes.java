package dev.llmotel.testkit.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversion of OTLP attribute values to plain Java values. */
final class Attributes {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Attributes() {}

  static Map<String, Object> toMap(List<KeyValue> kvs) {
    if (kvs.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), toJava(kv.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * String, Long, Double, Boolean, List&lt;Object&gt; (arrays), Map&lt;String,Object&gt; (kvlists), hex String
   * (bytes), null (empty value).
   */
  static Object toJava(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case ARRAY_VALUE:
        List<Object> list = new ArrayList<>();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          list.add(toJava(e));
        }
        return Collections.unmodifiableList(list);
      case KVLIST_VALUE:
        return toMap(v.getKvlistValue().getValuesList());
      case BYTES_VALUE:
        return hex(v.getBytesValue());
      default:
        return null;
    }
  }

  static String hex(ByteString bytes) {
    StringBuilder sb = new StringBuilder(bytes.size() * 2);
    for (int i = 0; i < bytes.size(); i++) {
      int b = bytes.byteAt(i) & 0xff;
      sb.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
    }
    return sb.toString();
  }

  static String asString(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof List) {
      StringBuilder sb = new StringBuilder();
      for (Object o : (List<?>) v) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(o);
      }
      return sb.toString();
    }
    return String.valueOf(v);
  }

  static Long asLong(Object v) {
    if (v instanceof Long) {
      return (Long) v;
    }
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    if (v instanceof String) {
      try {
        return Long.parseLong((String) v);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static Double asDouble(Object v) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof String) {
      try {
        return Double.parseDouble((String) v);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
