package dev.llmotel.instrumentation.springai;

import io.opentelemetry.instrumentation.api.internal.cache.Cache;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;

/**
 * The usage of one model call where Spring AI reports a loop's running total instead. Spring AI's
 * model modules (1.x, and 2.0's OpenAI and Anthropic) compute a call's reported usage with
 * {@code UsageCalculator.getCumulativeUsage(thisCallsUsage, previousResponse)}: after a tool round the
 * follow-up call's response carries the sum of every call of the loop so far. That method is hooked
 * ({@code UsageCalculatorInstrumentation}), so each running total made there is remembered with the
 * call's own usage.
 *
 * <p>A blocking call's response carries the very total object: found by identity. A stream's
 * response is rebuilt by Spring AI's {@code MessageAggregator} from the last chunk's numbers, so it
 * is found by its three numbers. In 1.1 a streamed call's follow-up runs inside the first call's
 * stream, so both calls' aggregates end with the follow-up's total: the call that carried a
 * follow-up takes the earliest usage left of that loop, the last follow-up the latest (Reactor ends
 * the outer call's observation first, but the order does not matter).
 */
public final class CallUsage {
  /** A running total and what it is made of: this call's usage and the total before it. */
  private static final class Entry {
    final Usage own;
    final Usage before;

    Entry(Usage own, Usage before) {
      this.own = own;
      this.before = before;
    }
  }

  private static final Cache<Usage, Entry> BY_IDENTITY = Cache.weak();
  private static final int MAX_BY_VALUE = 1024;
  private static final Map<String, Deque<Usage>> BY_VALUE = new ConcurrentHashMap<>();

  /** After {@code getCumulativeUsage(own, previousResponse)} returned {@code reported}. */
  public static void noteCumulative(Usage own, Object previousResponse, Usage reported) {
    if (reported == null || reported == own) return;
    if (isEmpty(own)) {
      // No usage in this response: Spring AI passed the previous total on. Unknown for a call whose
      // response carries it, unless it is itself a total (a stream's chunks before its usage chunk).
      if (BY_IDENTITY.get(reported) == null) BY_IDENTITY.put(reported, new Entry(EMPTY, null));
      return;
    }
    Usage before = usageOf(previousResponse);
    BY_IDENTITY.put(reported, new Entry(own, before));
    // Each call's usage in the order the calls were sent, this call's last.
    Deque<Usage> owns = new ArrayDeque<>();
    owns.add(own);
    for (int i = 0; before != null && i < 64; i++) {
      Entry earlier = BY_IDENTITY.get(before);
      if (earlier == null || earlier.own == EMPTY) {
        owns.addFirst(before); // the loop's first call: its total is its own
        break;
      }
      owns.addFirst(earlier.own);
      before = earlier.before;
    }
    if (BY_VALUE.size() >= MAX_BY_VALUE) BY_VALUE.clear();
    BY_VALUE.put(key(reported), owns);
  }

  /** The call's own usage for what its response reports, or null for "unknown" (the provider sent none). */
  static Usage own(Usage reported) {
    return own(reported, false);
  }

  /**
   * @param nestsFollowUp the call's stream carried a follow-up call's (Spring AI 1.1), so its
   *     aggregate ends with the follow-up's total: it takes the earliest usage of that total's loop,
   *     the follow-up (nesting none) the latest, whichever ends first
   */
  static Usage own(Usage reported, boolean nestsFollowUp) {
    if (reported == null) return null;
    Entry entry = BY_IDENTITY.get(reported);
    Usage own = entry == null ? null : entry.own;
    if (own == null && reported.getClass().getName().startsWith("org.springframework.ai.chat.model.MessageAggregator")) {
      String key = key(reported);
      Deque<Usage> owns = BY_VALUE.get(key);
      if (owns != null) {
        synchronized (owns) {
          own = nestsFollowUp ? owns.pollFirst() : owns.pollLast();
          if (owns.isEmpty()) BY_VALUE.remove(key, owns);
        }
      }
    }
    if (own == null) own = reported;
    return own == EMPTY || own.getClass().getSimpleName().equals("EmptyUsage") ? null : own;
  }

  private static Usage usageOf(Object response) {
    if (!(response instanceof ChatResponse)) return null;
    ChatResponse r = (ChatResponse) response;
    return r.getMetadata() == null ? null : r.getMetadata().getUsage();
  }

  private static String key(Usage u) {
    return u.getPromptTokens() + "/" + u.getCompletionTokens() + "/" + u.getTotalTokens();
  }

  /** EmptyUsage (or zero and zero) means the provider sent no usage. */
  private static boolean isEmpty(Usage u) {
    if (u == null || u.getClass().getSimpleName().equals("EmptyUsage")) return true;
    Integer p = u.getPromptTokens();
    Integer c = u.getCompletionTokens();
    return (p == null || p == 0) && (c == null || c == 0);
  }

  private static final Usage EMPTY = new Usage() {
    @Override
    public Integer getPromptTokens() {
      return 0;
    }

    @Override
    public Integer getCompletionTokens() {
      return 0;
    }

    @Override
    public Object getNativeUsage() {
      return null;
    }
  };

  private CallUsage() {}
}
