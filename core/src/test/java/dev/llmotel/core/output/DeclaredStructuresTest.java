package dev.llmotel.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.ToolDefinition;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * What each provider's request declares about its answer, read from its own JSON, and Gemini's
 * OpenAPI-subset schemas as the JSON Schema they mean; each checked by what it then accepts.
 */
class DeclaredStructuresTest {
  static final String CITY = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";

  static String verdict(LlmCall call, String answer) {
    AnswerForValidation a = new AnswerForValidation();
    a.appendText(0, answer);
    OutputCheck c = OutputValidation.check(call.request().outputContract(), Collections.<ToolDefinition>emptyList(), a);
    return c.result + (c.error == null ? "" : " " + c.error);
  }

  static LlmCall call() {
    return new LlmCall("openai", "chat");
  }

  @Test
  void openAiChatResponseFormats() {
    LlmCall schema = call();
    DeclaredStructures.openAiChat(schema, DeclaredStructures.parse(
        "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"c\",\"strict\":true,\"schema\":" + CITY + "}}"));
    assertEquals("json", schema.request().outputType());
    assertEquals("valid", verdict(schema, "{\"city\":\"Paris\"}"));
    assertEquals("invalid $: required", verdict(schema, "{}"));

    LlmCall object = call();
    DeclaredStructures.openAiChat(object, DeclaredStructures.parse("{\"type\":\"json_object\"}"));
    assertEquals("invalid $: type", verdict(object, "[]"));

    LlmCall text = call();
    DeclaredStructures.openAiChat(text, DeclaredStructures.parse("{\"type\":\"text\"}"));
    assertEquals("text", text.request().outputType());
    assertNull(text.request().outputContract(), "free text declares nothing to check");
  }

  @Test
  void responsesTextFormatHasTheSchemaBesideTheType() {
    LlmCall c = call();
    DeclaredStructures.openAiResponses(c, DeclaredStructures.parse("{\"type\":\"json_schema\",\"name\":\"c\",\"schema\":" + CITY + "}"));
    assertEquals("invalid $.city: type", verdict(c, "{\"city\":1}"));
  }

  @Test
  void anthropicOutputConfigAndTheBetasOutputFormat() {
    LlmCall config = call();
    DeclaredStructures.anthropic(config, DeclaredStructures.parse(
        "{\"model\":\"m\",\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":" + CITY + "}}}"));
    assertEquals("not_json $: not JSON", verdict(config, "Paris"));
    LlmCall beta = call();
    DeclaredStructures.anthropic(beta, DeclaredStructures.parse(
        "{\"model\":\"m\",\"output_format\":{\"type\":\"json_schema\",\"schema\":" + CITY + "}}"));
    assertEquals("valid", verdict(beta, "{\"city\":\"Paris\"}"));
    LlmCall none = call();
    DeclaredStructures.anthropic(none, DeclaredStructures.parse("{\"model\":\"m\"}"));
    assertNull(none.request().outputContract());
  }

  @Test
  void geminiChecksJsonOnlyAndConvertsItsOpenApiSchemas() {
    LlmCall openApi = call();
    DeclaredStructures.gemini(openApi, DeclaredStructures.parse("{\"responseMimeType\":\"application/json\","
        + "\"responseSchema\":{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\",\"nullable\":true},"
        + "\"kind\":{\"type\":\"STRING\",\"enum\":[\"capital\",\"town\"]}},\"required\":[\"city\"],\"propertyOrdering\":[\"city\"]}}"));
    assertEquals("valid", verdict(openApi, "{\"city\":\"Paris\",\"kind\":\"capital\"}"));
    assertEquals("valid", verdict(openApi, "{\"city\":null}"), "nullable: null is allowed");
    assertEquals("invalid $.city: type", verdict(openApi, "{\"city\":3}"));
    assertEquals("invalid $.kind: enum", verdict(openApi, "{\"city\":\"Paris\",\"kind\":\"village\"}"));

    LlmCall jsonSchema = call();
    DeclaredStructures.gemini(jsonSchema, DeclaredStructures.parse("{\"responseMimeType\":\"application/json\","
        + "\"responseJsonSchema\":" + CITY + ",\"responseSchema\":{\"type\":\"STRING\"}}"));
    assertEquals("invalid $: required", verdict(jsonSchema, "{}"), "responseJsonSchema wins");

    LlmCall anyJson = call();
    DeclaredStructures.gemini(anyJson, DeclaredStructures.parse("{\"responseMimeType\":\"application/json\"}"));
    assertEquals("valid", verdict(anyJson, "[1,2]"));

    LlmCall enumText = call();
    DeclaredStructures.gemini(enumText, DeclaredStructures.parse("{\"responseMimeType\":\"text/x.enum\","
        + "\"responseSchema\":{\"type\":\"STRING\",\"enum\":[\"a\",\"b\"]}}"));
    assertNull(enumText.request().outputContract(), "a text/x.enum answer is plain text, not JSON");
  }

  @Test
  void openApiConversionLeavesWhatItDoesNotKnowAndSurvivesGarbage() {
    assertEquals("{\"type\":\"array\",\"items\":{\"type\":[\"integer\",\"null\"]},\"minItems\":1}",
        OpenApiSchemas.toJsonSchema("{\"type\":\"ARRAY\",\"items\":{\"type\":\"INTEGER\",\"nullable\":true},\"minItems\":1}"));
    assertEquals("{not json", OpenApiSchemas.toJsonSchema("{not json"), "left for the validator to report");
    assertNull(OpenApiSchemas.toJsonSchema(null));
  }
}
