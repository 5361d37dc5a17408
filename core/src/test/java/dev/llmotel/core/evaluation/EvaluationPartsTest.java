package dev.llmotel.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the judge reads of a call, what it is sent, what of its answer is accepted, and its configuration. */
class EvaluationPartsTest {
  static LlmCall answered(String answer) {
    LlmCall call = new LlmCall("openai", "chat");
    call.evaluation().sample(Collections.singletonList("relevance"));
    call.response().answerText(0, answer);
    return call;
  }

  @Test
  void theSubjectTakesTheLastQuestionTheInstructionsAndEverythingElseAsSources() {
    LlmCall call = answered("Take an umbrella.");
    call.request().inputMessages().add(new LlmMessage("system").add(LlmMessage.Part.text("Be brief.")));
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("Weather in Paris?")));
    call.request().inputMessages().add(new LlmMessage("assistant").add(LlmMessage.Part.toolCall("c1", "weather", "{}")));
    call.request().inputMessages().add(new LlmMessage("tool").add(LlmMessage.Part.toolCallResponse("c1", "rain")));
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("Umbrella?")));
    EvaluationSubject s = EvaluationSubject.of(call);
    assertEquals("Umbrella?", s.question);
    assertEquals("Be brief.", s.instructions);
    assertEquals(Arrays.asList("user: Weather in Paris?", "rain"), s.sources);
    assertEquals("Take an umbrella.", s.answer);
    assertTrue(Evaluators.builtIn().get(Evaluators.GROUNDEDNESS).appliesTo(s));
    assertTrue(Evaluators.builtIn().get(Evaluators.INSTRUCTION_FOLLOWING).appliesTo(s));
  }

  @Test
  void noTextAnswerNoSubjectAndNoSourcesNoGroundedness() {
    assertNull(EvaluationSubject.of(answered("   ")));
    LlmCall unsampled = new LlmCall("openai", "chat");
    unsampled.response().answerText(0, "kept only for a sampled call");
    assertNull(EvaluationSubject.of(unsampled));
    LlmCall call = answered("Paris.");
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("Capital of France?")));
    EvaluationSubject s = EvaluationSubject.of(call);
    assertFalse(Evaluators.builtIn().get(Evaluators.GROUNDEDNESS).appliesTo(s));
    assertFalse(Evaluators.builtIn().get(Evaluators.INSTRUCTION_FOLLOWING).appliesTo(s));
    assertTrue(Evaluators.builtIn().get(Evaluators.RELEVANCE).appliesTo(s));
  }

  @Test
  void theJudgesRequestIsRedactedCappedAndAsksForTheEvaluationSchema() {
    LlmCall call = answered("Your key is sk-proj-abcdefghijklmnopqrstuvwxyz0123456789.");
    StringBuilder huge = new StringBuilder();
    for (int i = 0; i < 5_000; i++) huge.append("word ");
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text(huge.toString())));
    Map<String, Object> body = JudgePrompt.request("judge-model", Evaluators.builtIn().get(Evaluators.RELEVANCE),
        EvaluationSubject.of(call));
    String json = Json.write(body);
    assertFalse(json.contains("sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"), "secrets never go to a judge");
    assertTrue(json.contains("[cut]"));
    assertTrue(json.length() < 2 * JudgePrompt.MAX_PART_CHARS + 4_000, "capped: " + json.length());
    Map<?, ?> format = (Map<?, ?>) ((Map<?, ?>) Json.parse(json)).get("response_format");
    assertEquals("json_schema", format.get("type"));
    assertEquals(JudgePrompt.SCHEMA_NAME, ((Map<?, ?>) format.get("json_schema")).get("name"));
    assertEquals(Arrays.asList("score", "label", "explanation"),
        ((Map<?, ?>) ((Map<?, ?>) format.get("json_schema")).get("schema")).get("required"));
  }

  @Test
  void onlyTheEvaluationObjectIsAVerdict() throws JudgeFailure {
    JudgeVerdict v = JudgeVerdict.parse(" {\"score\": 0.25, \"label\": \"poor\", \"explanation\": \"off topic\"} ", null);
    assertEquals(0.25, v.score);
    assertEquals("poor", v.label);
    for (String bad : new String[] {null, "8/10", "[0.5]", "{\"score\": \"0.5\", \"label\": \"a\", \"explanation\": \"b\"}",
        "{\"score\": 1.01, \"label\": \"a\", \"explanation\": \"b\"}", "{\"score\": -0.1, \"label\": \"a\", \"explanation\": \"b\"}",
        "{\"score\": 0.5, \"explanation\": \"b\"}", "{\"score\": 0.5, \"label\": \"a\"}", "{\"score\": 0.5, \"label\": 3, \"explanation\": \"b\"}"}) {
      JudgeFailure f = assertThrows(JudgeFailure.class, () -> JudgeVerdict.parse(bad, null), String.valueOf(bad));
      assertEquals(JudgeFailure.INVALID, f.result);
    }
  }

  @Test
  void rubricFilesAddAndReplaceEvaluatorsAndBadOnesSayWhy() {
    Evaluators e = Evaluators.withRubrics("{\"evaluators\": {\"refund_policy\": {\"rubric\": \"No refunds after 30 days.\","
        + " \"threshold\": 0.7}, \"relevance\": {\"rubric\": \"Mine.\", \"needs\": \"sources\"}}}");
    assertEquals(0.7, e.get("refund_policy").threshold);
    assertEquals(Evaluator.Needs.NOTHING_MORE, e.get("refund_policy").needs);
    assertEquals("Mine.", e.get("relevance").rubric);
    assertEquals(Evaluator.Needs.SOURCES, e.get("relevance").needs);
    assertTrue(e.names().containsAll(Arrays.asList("groundedness", "instruction_following", "refund_policy")));
    for (String bad : new String[] {"[]", "{\"evaluators\": []}", "{\"evaluators\": {\"Bad Name\": {\"rubric\": \"x\"}}}",
        "{\"evaluators\": {\"a\": {}}}", "{\"evaluators\": {\"a\": {\"rubric\": \"x\", \"threshold\": 3}}}",
        "{\"evaluators\": {\"a\": {\"rubric\": \"x\", \"needs\": \"everything\"}}}"}) {
      assertThrows(IllegalArgumentException.class, () -> Evaluators.withRubrics(bad), bad);
    }
  }

  @AfterEach
  void clearProperties() {
    for (String k : new String[] {"judge.base-url", "judge.model", "sample-rate", "evaluators"}) {
      System.clearProperty(EvaluationSettings.PREFIX + k);
    }
  }

  @Test
  void configurationFallsBackSafely() {
    assertFalse(EvaluationSettings.load().enabled, "off by default");
    System.setProperty(EvaluationSettings.PREFIX + "judge.base-url", "ftp://judge");
    System.setProperty(EvaluationSettings.PREFIX + "judge.model", "m");
    assertFalse(EvaluationSettings.load().enabled, "not an http(s) URL: off");
    System.setProperty(EvaluationSettings.PREFIX + "judge.base-url", "http://127.0.0.1:1/v1");
    System.clearProperty(EvaluationSettings.PREFIX + "judge.model");
    assertFalse(EvaluationSettings.load().enabled, "no model: off");
    System.setProperty(EvaluationSettings.PREFIX + "judge.model", "m");
    System.setProperty(EvaluationSettings.PREFIX + "sample-rate", "lots");
    System.setProperty(EvaluationSettings.PREFIX + "evaluators", "relevance, nonsense ,groundedness");
    EvaluationSettings s = EvaluationSettings.load();
    assertTrue(s.enabled);
    assertEquals(EvaluationSettings.DEFAULT_SAMPLE_RATE, s.sampleRate, "a bad rate: the default");
    assertEquals(Arrays.asList("relevance", "groundedness"), s.evaluatorNames, "an unknown evaluator is skipped");
    List<String> all = Arrays.asList(Evaluators.RELEVANCE, Evaluators.GROUNDEDNESS, Evaluators.INSTRUCTION_FOLLOWING);
    System.clearProperty(EvaluationSettings.PREFIX + "evaluators");
    assertEquals(all, EvaluationSettings.load().evaluatorNames);
  }

  @Test
  void aJudgeThatTricklesItsAnswerTimesOutAsAWhole() throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread trickler = new Thread(() -> {
        try (java.net.Socket s = server.accept()) {
          java.io.InputStream in = s.getInputStream();
          byte[] buf = new byte[65536];
          in.read(buf); // the request (small enough for one read here)
          java.io.OutputStream out = s.getOutputStream();
          out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          for (int i = 0; i < 100; i++) {
            out.write(' ');
            out.flush();
            Thread.sleep(50);
          }
        } catch (Exception ignored) {
          // the client gave up: what the test wants
        }
      });
      trickler.setDaemon(true);
      trickler.start();
      JudgeClient client = new JudgeClient(new JudgeSettings("http://127.0.0.1:" + server.getLocalPort() + "/v1", "m",
          null, 400, 0, 0), null);
      LlmCall call = answered("Paris.");
      call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("Capital of France?")));
      long start = System.nanoTime();
      JudgeFailure f = assertThrows(JudgeFailure.class,
          () -> client.judge(Evaluators.builtIn().get(Evaluators.RELEVANCE), EvaluationSubject.of(call), null));
      assertEquals(JudgeFailure.TIMEOUT, f.result);
      // Each byte came within the read timeout; only the whole exchange's deadline stops it (100 bytes x 50 ms).
      assertTrue(System.nanoTime() - start < 4_000_000_000L, "stopped long before the trickle ended");
    }
  }
}
