package dev.llmotel.core.evaluation;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a judge reads of one call, taken from it when it ends (on the app's thread: references to
 * text the call already holds, nothing parsed or copied): the question (the last user message), the
 * system instructions, the sources it was given (tool results, earlier messages, where RAG frameworks
 * put retrieved documents), the answer; and what the result is filed under.
 */
public final class EvaluationSubject {
  public final String question;
  public final String instructions;
  public final List<String> sources;
  public final String answer;

  public final String provider;
  public final String requestModel;
  public final String responseModel;
  public final String responseId;
  public final String workflow;
  public final String promptName;
  public final String promptVersion;

  EvaluationSubject(String question, String instructions, List<String> sources, String answer, String provider,
      String requestModel, String responseModel, String responseId, String workflow, String promptName,
      String promptVersion) {
    this.question = question;
    this.instructions = instructions;
    this.sources = sources;
    this.answer = answer;
    this.provider = provider;
    this.requestModel = requestModel;
    this.responseModel = responseModel;
    this.responseId = responseId;
    this.workflow = workflow;
    this.promptName = promptName;
    this.promptVersion = promptVersion;
  }

  /** The subject of a call that has ended with an answer, or null when it has no text answer to score. */
  public static EvaluationSubject of(LlmCall call) {
    String answer = call.response().keptAnswerText();
    if (answer == null || answer.trim().isEmpty()) return null;
    List<LlmMessage> messages = call.request().inputMessages();
    int lastUser = -1;
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).role()) && !text(messages.get(i)).isEmpty()) {
        lastUser = i;
        break;
      }
    }
    StringBuilder instructions = new StringBuilder();
    for (LlmMessage.Part p : call.request().systemInstructions()) append(instructions, p);
    List<String> sources = new ArrayList<>(2);
    for (int i = 0; i < messages.size(); i++) {
      LlmMessage m = messages.get(i);
      if (i == lastUser) continue;
      if ("system".equals(m.role()) || "developer".equals(m.role())) {
        // Instructions sent as messages (OpenAI chat) rather than a field of their own.
        for (LlmMessage.Part p : m.parts()) append(instructions, p);
        continue;
      }
      for (LlmMessage.Part p : m.parts()) {
        if (LlmMessage.Part.TOOL_CALL_RESPONSE.equals(p.type) && p.content != null && !p.content.isEmpty()) {
          sources.add(p.name == null ? p.content : "tool " + p.name + ": " + p.content);
        }
      }
      String t = text(m);
      if (!t.isEmpty()) sources.add(m.role() + ": " + t);
    }
    return new EvaluationSubject(lastUser < 0 ? "" : text(messages.get(lastUser)),
        instructions.length() == 0 ? null : instructions.toString(),
        sources.isEmpty() ? Collections.<String>emptyList() : sources, answer, call.provider(),
        call.request().requestModel(), call.response().responseModel(), call.response().responseId(),
        call.governance().workflow(), call.governance().promptName(), call.governance().promptVersion());
  }

  private static void append(StringBuilder b, LlmMessage.Part p) {
    if (LlmMessage.Part.TEXT.equals(p.type) && p.content != null && !p.content.isEmpty()) {
      if (b.length() > 0) b.append('\n');
      b.append(p.content);
    }
  }

  private static String text(LlmMessage m) {
    StringBuilder b = new StringBuilder();
    for (LlmMessage.Part p : m.parts()) append(b, p);
    return b.toString();
  }
}
