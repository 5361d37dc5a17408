package dev.llmotel.core.output;

import dev.harrel.jsonschema.Error;
import java.util.List;

/**
 * The one violation a span reports: the innermost (the deepest place in the answer that breaks the
 * schema, not the "properties" or "items" around it that fail because of it), as a JSON path and the
 * schema keyword it breaks. Never a value from the answer, and never the validator's message, which
 * may quote one.
 */
final class Violations {
  static final int MAX_LENGTH = 256;
  private static final int MAX_SEGMENT = 64;

  private static final java.util.Set<String> NAMES_FROM_ANSWER = new java.util.HashSet<>(java.util.Arrays.asList(
      "additionalProperties", "unevaluatedProperties", "propertyNames", "false"));

  /**
   * Whether the failure is the schema's: a $ref the validator cannot resolve (it never fetches a
   * remote document) fails every answer, whatever the answer.
   */
  static boolean unresolvedReference(List<Error> errors) {
    for (Error e : errors) {
      String k = keyword(e);
      if (("$ref".equals(k) || "$dynamicRef".equals(k) || "$recursiveRef".equals(k))
          && e.getError() != null && e.getError().contains("esolution")) return true;
    }
    return false;
  }

  static Error innermost(List<Error> errors) {
    Error best = null;
    for (Error e : errors) {
      if (best == null || depth(e) > depth(best)) best = e;
    }
    return best;
  }

  private static int depth(Error e) {
    String location = location(e);
    int d = 0;
    if (location != null) {
      for (int i = 0; i < location.length(); i++) if (location.charAt(i) == '/') d++;
    }
    // At one place in the answer, the keyword that failed (required, type) over the applicator around it.
    return d * 2 + (isApplicator(keyword(e)) ? 0 : 1);
  }

  private static boolean isApplicator(String keyword) {
    return "properties".equals(keyword) || "items".equals(keyword) || "prefixItems".equals(keyword)
        || "allOf".equals(keyword) || "$ref".equals(keyword) || "$defs".equals(keyword);
  }

  /** The keyword an error breaks; the validator leaves it out for some (additionalProperties), the schema path has it. */
  static String keyword(Error e) {
    String k = e.getKeyword();
    if (k != null && !k.isEmpty()) return k;
    String path = e.getEvaluationPath();
    if (path == null || path.isEmpty()) return "schema";
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** "$.items[0].price: minimum" */
  static String describe(Error e) {
    if (e == null) return "$: schema";
    String s = jsonPath(location(e)) + ": " + keyword(e);
    return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) : s;
  }

  /** Where in the answer: a property the schema does not allow is placed at its object (its name is the model's, not the schema's). */
  private static String location(Error e) {
    String location = e.getInstanceLocation();
    if (location != null && NAMES_FROM_ANSWER.contains(keyword(e)) && location.lastIndexOf('/') >= 0) {
      return location.substring(0, location.lastIndexOf('/'));
    }
    return location;
  }

  /** A JSON pointer ("/items/0/price") as a JSON path ("$.items[0].price"), each name cut to 64 characters. */
  static String jsonPath(String pointer) {
    StringBuilder out = new StringBuilder("$");
    if (pointer == null || pointer.isEmpty()) return out.toString();
    for (String raw : pointer.substring(pointer.startsWith("/") ? 1 : 0).split("/", -1)) {
      String segment = raw.replace("~1", "/").replace("~0", "~");
      if (!segment.isEmpty() && isIndex(segment)) {
        out.append('[').append(segment).append(']');
      } else {
        out.append('.').append(segment.length() > MAX_SEGMENT ? segment.substring(0, MAX_SEGMENT) : segment);
      }
      if (out.length() > MAX_LENGTH) break;
    }
    return out.toString();
  }

  private static boolean isIndex(String s) {
    if (s.length() > 9) return false;
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    return true;
  }

  private Violations() {}
}
