package dev.llmotel.core;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which conversation a call or an agent run belongs to ({@code gen_ai.conversation.id}): the one its
 * request names (the OpenAI Responses API's {@code conversation}, or its chain of
 * {@code previous_response_id}), else its agent run's (a LangChain4j chat memory's id, Spring AI's
 * chat-memory conversation id), else the app's baggage entry {@code gen_ai.conversation.id}. An id
 * is a label, never authority: it is capped, and one with control characters is dropped.
 */
public final class Conversations {
  public static final String BAGGAGE_KEY = "gen_ai.conversation.id";
  static final int MAX_LENGTH = 256;
  /** Response ids whose chain's conversation is known, newest last; bounded. */
  static final int MAX_CHAINS = 10_000;
  private static final Map<String, String> CHAINS = new LinkedHashMap<String, String>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_CHAINS;
    }
  };

  private Conversations() {}

  /** The conversation of a call or run starting under {@code parent} whose own request names {@code own} (or null). */
  public static String of(Context parent, String own) {
    String id = clean(own);
    if (id != null || parent == null) return id;
    AgentRun run = AgentInstrumenter.currentRun(parent);
    if (run != null && run.conversationId() != null) return run.conversationId();
    return clean(Baggage.fromContext(parent).getEntryValue(BAGGAGE_KEY));
  }

  /** An id as a span may carry it: trimmed, at most {@value #MAX_LENGTH} characters, no control characters. */
  public static String clean(Object raw) {
    if (raw == null) return null;
    String s = raw.toString().trim();
    if (s.isEmpty()) return null;
    if (s.length() > MAX_LENGTH) s = s.substring(0, MAX_LENGTH);
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) return null;
    }
    return s;
  }

  /**
   * The OpenAI Responses API: the request's {@code conversation} id, else the conversation of the
   * response it continues ({@code previous_response_id}): the chain's first response id, when this
   * process saw the chain, else the previous response's own id.
   */
  public static String ofResponsesRequest(String conversation, String previousResponseId) {
    String id = clean(conversation);
    if (id != null) return id;
    String previous = clean(previousResponseId);
    if (previous == null) return null;
    synchronized (CHAINS) {
      String root = CHAINS.get(previous);
      return root != null ? root : previous;
    }
  }

  /**
   * A Responses API response: later requests that continue it belong to {@code conversation}, or,
   * for a response that starts a chain, to its own id.
   */
  public static void responseCreated(String responseId, String conversation) {
    String id = clean(responseId);
    if (id == null) return;
    String root = clean(conversation);
    synchronized (CHAINS) {
      CHAINS.put(id, root != null ? root : id);
    }
  }
}
