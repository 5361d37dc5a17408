package dev.llmotel.core.output;

import dev.harrel.jsonschema.JsonNode;
import dev.harrel.jsonschema.JsonNodeFactory;

/**
 * What the shaded validator finds in place of its Jackson adapter. Every ValidatorFactory names
 * {@code JacksonNode.Factory::new} as its default node factory, so that class must resolve even
 * though llm-otel always passes its own ({@link ParsedJsonNode#FACTORY}) and never bundles Jackson:
 * the extension's build relocates the validator's reference to this class. Never used for JSON.
 */
public final class JacksonStandIn {
  private JacksonStandIn() {}

  /** The default factory the validator constructs and llm-otel replaces before any use. */
  public static final class Factory implements JsonNodeFactory {
    @Override
    public JsonNode wrap(Object node) {
      throw new UnsupportedOperationException("llm-otel gives the validator its own parsed JSON");
    }

    @Override
    public JsonNode create(String rawJson) {
      throw new UnsupportedOperationException("llm-otel gives the validator its own parsed JSON");
    }
  }
}
