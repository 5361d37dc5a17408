package dev.llmotel.core.output;

import dev.harrel.jsonschema.Error;
import dev.harrel.jsonschema.InvalidSchemaException;
import dev.harrel.jsonschema.Validator;
import dev.harrel.jsonschema.ValidatorFactory;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Declared schemas, compiled once and kept by their text (a hash map, least recently used out
 * first), so a service that sends the same few schemas all day compiles each once. A compiled
 * schema is checked against its meta-schema (draft 2020-12 unless it names draft 7 or another);
 * one the validator cannot compile is remembered as such, never thrown into the app.
 */
final class JsonSchemas {
  /** Distinct schemas kept compiled; a service has a handful, a leak would have thousands. */
  static final int MAX_SCHEMAS = 128;
  /** Schemas larger than this are compiled for their call and not kept (memory stays bounded). */
  static final int MAX_CACHED_SCHEMA_CHARS = 256 * 1024;

  /** A compiled schema, or why there is none. */
  static final class Compiled {
    final Validator validator;
    final URI uri;
    final String problem;

    Compiled(Validator validator, URI uri, String problem) {
      this.validator = validator;
      this.uri = uri;
      this.problem = problem;
    }
  }

  private static final Map<String, Compiled> cache = new LinkedHashMap<String, Compiled>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
      return size() > MAX_SCHEMAS;
    }
  };

  static Compiled compiled(String schemaJson) {
    synchronized (cache) {
      Compiled c = cache.get(schemaJson);
      if (c != null) return c;
    }
    // Compiled outside the lock: two threads that meet a new schema together compile it once each.
    Compiled c = compile(schemaJson);
    if (schemaJson.length() <= MAX_CACHED_SCHEMA_CHARS) {
      synchronized (cache) {
        cache.put(schemaJson, c);
      }
    }
    return c;
  }

  private static Compiled compile(String schemaJson) {
    try {
      // One validator per schema: a validator's registry only grows, and a registered schema is never dropped.
      Validator validator = new ValidatorFactory().withJsonNodeFactory(ParsedJsonNode.FACTORY).createValidator();
      URI uri = validator.registerSchema(ParsedJsonNode.FACTORY.create(schemaJson));
      return new Compiled(validator, uri, null);
    } catch (InvalidSchemaException e) {
      List<Error> errors = e.getErrors();
      return new Compiled(null, null, errors.isEmpty() ? "not a valid JSON Schema"
          : "not a valid JSON Schema at " + Violations.describe(errors.get(0)));
    } catch (RuntimeException e) {
      // Not JSON, an unknown $schema, a $ref to a remote document (never fetched): the schema cannot be used.
      return new Compiled(null, null, "cannot be compiled (" + e.getClass().getSimpleName() + ")");
    }
  }

  static int size() {
    synchronized (cache) {
      return cache.size();
    }
  }

  private JsonSchemas() {}
}
