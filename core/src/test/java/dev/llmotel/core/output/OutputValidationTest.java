package dev.llmotel.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.ToolDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The check of answers against declared structures, with schemas as the providers document them. */
class OutputValidationTest {
  /** OpenAI's structured-outputs example: strict, nested, enums, arrays, additionalProperties false. */
  static final String MATH_SCHEMA = "{\"type\":\"object\",\"properties\":{"
      + "\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
      + "\"explanation\":{\"type\":\"string\"},\"output\":{\"type\":\"string\"}},"
      + "\"required\":[\"explanation\",\"output\"],\"additionalProperties\":false}},"
      + "\"final_answer\":{\"type\":\"string\"},"
      + "\"confidence\":{\"type\":\"string\",\"enum\":[\"low\",\"medium\",\"high\"]}},"
      + "\"required\":[\"steps\",\"final_answer\",\"confidence\"],\"additionalProperties\":false}";

  static final String WEATHER_PARAMS = "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"},"
      + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},\"required\":[\"location\"]}";

  static OutputCheck text(OutputContract contract, String answer) {
    AnswerForValidation a = new AnswerForValidation();
    a.appendText(0, answer);
    return OutputValidation.check(contract, Collections.<ToolDefinition>emptyList(), a);
  }

  static OutputCheck tool(String name, String args) {
    AnswerForValidation a = new AnswerForValidation();
    a.addToolCall(name, args);
    return OutputValidation.check(null, Arrays.asList(new ToolDefinition("function", "get_weather", null, WEATHER_PARAMS),
        new ToolDefinition("function", "now", null, null)), a);
  }

  @Test
  void aNestedAnswerThatFitsItsSchemaIsValid() {
    OutputCheck c = text(OutputContract.schema(MATH_SCHEMA), "{\"steps\":[{\"explanation\":\"8x = -30\",\"output\":\"x = -3.75\"}],"
        + "\"final_answer\":\"x = -3.75\",\"confidence\":\"high\"}");
    assertEquals("valid", c.result);
    assertNull(c.error);
    assertFalse(c.failed());
  }

  @Test
  void theInnermostViolationIsReportedAsPathAndKeyword() {
    OutputCheck missing = text(OutputContract.schema(MATH_SCHEMA),
        "{\"steps\":[{\"explanation\":\"a\",\"output\":\"b\"},{\"explanation\":\"secret-value\"}],\"final_answer\":\"x\",\"confidence\":\"high\"}");
    assertEquals("invalid", missing.result);
    assertEquals("$.steps[1]: required", missing.error);
    assertFalse(missing.error.contains("secret-value"), "never any content");

    assertEquals("$.confidence: enum", text(OutputContract.schema(MATH_SCHEMA),
        "{\"steps\":[],\"final_answer\":\"x\",\"confidence\":\"certain\"}").error);
    assertEquals("$.final_answer: type", text(OutputContract.schema(MATH_SCHEMA),
        "{\"steps\":[],\"final_answer\":42,\"confidence\":\"low\"}").error);
    assertEquals("$: additionalProperties", text(OutputContract.schema(MATH_SCHEMA),
        "{\"steps\":[],\"final_answer\":\"x\",\"confidence\":\"low\",\"extra\":1}").error);
  }

  @Test
  void textThatIsNotJsonOrIsCutOffIsNotJson() {
    assertEquals("not_json", text(OutputContract.schema(MATH_SCHEMA), "Sure! Here is the answer: x = -3.75").result);
    OutputCheck cut = text(OutputContract.schema(MATH_SCHEMA), "{\"steps\":[{\"explanation\":\"8x = -30\",\"outp");
    assertEquals("not_json", cut.result);
    assertEquals("$: not JSON", cut.error);
    assertEquals("not_json", text(OutputContract.jsonObject(), "```json\n{\"a\":1}\n```").result);
  }

  @Test
  void jsonObjectModeNeedsAnObjectAndAnyJsonModeAnyValue() {
    assertEquals("valid", text(OutputContract.jsonObject(), "  {\"a\": [1, 2]}\n").result);
    assertEquals("$: type", text(OutputContract.jsonObject(), "[1, 2]").error);
    assertEquals("valid", text(OutputContract.anyJson(), "[1, 2]").result);
  }

  @Test
  void draft7SchemasAreReadAsDraft7() {
    String draft7 = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
        + "\"definitions\":{\"n\":{\"type\":\"integer\",\"minimum\":1}},\"properties\":{\"count\":{\"$ref\":\"#/definitions/n\"}},"
        + "\"required\":[\"count\"]}";
    assertEquals("valid", text(OutputContract.schema(draft7), "{\"count\":3}").result);
    assertEquals("$.count: minimum", text(OutputContract.schema(draft7), "{\"count\":0}").error);
    assertEquals("$.count: type", text(OutputContract.schema(draft7), "{\"count\":1.5}").error);
  }

  @Test
  void aSchemaTheValidatorCannotCompileIsRecordedNotThrown() {
    OutputCheck badType = text(OutputContract.schema("{\"type\":12}"), "{}");
    assertEquals(OutputCheck.UNCHECKED, badType.result);
    assertTrue(badType.error.startsWith("schema not a valid JSON Schema"), badType.error);
    assertFalse(badType.failed());
    assertEquals(OutputCheck.UNCHECKED, text(OutputContract.schema("{not json"), "{}").result);
    OutputCheck remote = text(OutputContract.schema("{\"$ref\":\"https://example.com/schema.json\"}"), "{}");
    assertEquals(OutputCheck.UNCHECKED, remote.result, remote.error);
  }

  @Test
  void toolCallArgumentsAreCheckedAgainstTheirToolsSchema() {
    assertEquals("valid", tool("get_weather", "{\"location\":\"Paris\",\"unit\":\"celsius\"}").result);
    assertEquals("tool get_weather: $: required", tool("get_weather", "{\"unit\":\"celsius\"}").error);
    assertEquals("tool get_weather: $.unit: enum", tool("get_weather", "{\"location\":\"Paris\",\"unit\":\"kelvin\"}").error);
    assertEquals("not_json", tool("get_weather", "{\"location\":\"Par").result);
    assertEquals("tool search: not a declared tool", tool("search", "{}").error);
    assertNull(tool("now", ""), "a tool without a schema has nothing to check");
    assertEquals("valid", OutputValidation.check(null, Arrays.asList(new ToolDefinition("function", "get_weather", null, WEATHER_PARAMS)),
        null) == null ? "valid" : "checked", "no answer and no contract: nothing to say");
  }

  @Test
  void anEmptyAnswerToAStructuredRequestIsNotJson() {
    assertEquals("not_json", OutputValidation.check(OutputContract.jsonObject(), Collections.<ToolDefinition>emptyList(), null).result);
    assertEquals("$: empty answer", OutputValidation.check(OutputContract.jsonObject(), Collections.<ToolDefinition>emptyList(),
        new AnswerForValidation()).error);
  }

  @Test
  void hugeAnswersAreCheckedUpToTheCapAndReportedBeyondIt() {
    StringBuilder big = new StringBuilder("{\"steps\":[");
    for (int i = 0; i < 20_000; i++) big.append(i == 0 ? "" : ",").append("{\"explanation\":\"step ").append(i).append("\",\"output\":\"o\"}");
    big.append("],\"final_answer\":\"x\",\"confidence\":\"low\"}");
    assertEquals("valid", text(OutputContract.schema(MATH_SCHEMA), big.toString()).result);

    AnswerForValidation a = new AnswerForValidation();
    char[] chunk = new char[1024 * 1024];
    Arrays.fill(chunk, ' ');
    for (int i = 0; i < 5; i++) a.appendText(0, new String(chunk));
    OutputCheck over = OutputValidation.check(OutputContract.jsonObject(), Collections.<ToolDefinition>emptyList(), a);
    assertEquals(OutputCheck.UNCHECKED, over.result);
    assertTrue(over.error.startsWith("answer larger than"));
  }

  @Test
  void deeplyNestedAnswersAreInvalidNotAnException() {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 500; i++) deep.append('[');
    for (int i = 0; i < 500; i++) deep.append(']');
    OutputCheck c = text(OutputContract.anyJson(), deep.toString());
    assertEquals("invalid", c.result);
  }

  @Test
  void schemasAreCompiledOnceAndTheCacheStaysBounded() throws Exception {
    for (int i = 0; i < JsonSchemas.MAX_SCHEMAS + 50; i++) {
      String schema = "{\"type\":\"object\",\"required\":[\"k" + i + "\"]}";
      assertEquals("$: required", text(OutputContract.schema(schema), "{}").error);
    }
    assertEquals(JsonSchemas.MAX_SCHEMAS, JsonSchemas.size());
    // Many threads on one schema and on distinct ones: every verdict right, nothing thrown.
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int t = 0; t < 64; t++) {
      final int n = t;
      results.add(pool.submit(() -> {
        start.await();
        String schema = n % 2 == 0 ? MATH_SCHEMA : "{\"type\":\"object\",\"required\":[\"t" + n + "\"]}";
        String answer = n % 2 == 0 ? "{\"steps\":[],\"final_answer\":\"x\",\"confidence\":\"low\"}" : "{\"t" + n + "\":1}";
        return text(OutputContract.schema(schema), answer).result;
      }));
    }
    start.countDown();
    for (Future<String> r : results) assertEquals("valid", r.get());
    pool.shutdown();
    assertTrue(JsonSchemas.size() <= JsonSchemas.MAX_SCHEMAS);
  }
}
