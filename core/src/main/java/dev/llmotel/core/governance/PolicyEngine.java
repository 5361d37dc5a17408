package dev.llmotel.core.governance;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.PolicyDecision.Kind;
import dev.llmotel.core.governance.PolicySettings.Mode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, before a request leaves the process, whether policies let it go, and accounts what each
 * call spent when it ends. State is per JVM: N replicas each enforce their own caps.
 */
final class PolicyEngine {
  static final String TIMEOUT = "timeout";
  static final String INPUT_TOKENS = "input_tokens";
  static final String COST = "cost";
  static final String RATE_LIMIT = "rate_limit";
  static final String LOOP_GUARD = "loop_guard";

  private static final int MAX_TRACKED_TRACES = 10_000;

  private final PolicySettings settings;
  private final Windows process = new Windows();
  private final Map<String, Windows> byWorkflow = new ConcurrentHashMap<>();
  private final Map<String, RollingSum> callsByModel = new ConcurrentHashMap<>();
  private final Map<String, TraceState> traces = new LinkedHashMap<String, TraceState>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TraceState> eldest) {
      return size() > MAX_TRACKED_TRACES;
    }
  };

  PolicyEngine(PolicySettings settings) {
    this.settings = settings;
  }

  /** Evaluates every enabled policy; records each decision other than allow on the call. */
  void beforeCall(LlmCall call, long nowMillis) {
    TraceState trace = call.traceId() == null ? null : trace(call.traceId());
    if (settings.loopGuardMode != Mode.OFF && trace != null && call.requestHash() != null) {
      int seen = trace.repeat(call.requestHash());
      if (seen > settings.maxRepeats) {
        decide(call, LOOP_GUARD, settings.loopGuardMode, Kind.INVALID_REQUEST, "the same request was sent "
            + seen + " times in this trace (max_repeats " + settings.maxRepeats + ")");
      }
    }
    if (settings.inputTokensMode != Mode.OFF) {
      Long max = settings.maxInputTokensByModel.get(call.requestModel());
      long limit = max != null ? max : settings.maxInputTokens;
      if (limit > 0 && Tokenizers.mayExceed(call, limit)) {
        call.estimatedInputTokens(Tokenizers.countInputTokens(call));
        if (call.estimatedInputTokens() > limit) {
          decide(call, INPUT_TOKENS, settings.inputTokensMode, Kind.INVALID_REQUEST, call.estimatedInputTokens()
              + " input tokens, more than the limit of " + limit);
        }
      }
    }
    if (settings.rateLimitMode != Mode.OFF) {
      Long perModel = settings.callsPerMinuteByModel.get(call.requestModel());
      long limit = perModel != null ? perModel : settings.callsPerMinute;
      if (limit > 0) {
        RollingSum calls = callsByModel.computeIfAbsent(call.provider() + "/" + call.requestModel(),
            k -> RollingSum.minute());
        if (calls.sum(nowMillis) >= limit) {
          decide(call, RATE_LIMIT, settings.rateLimitMode, Kind.RATE_LIMITED, limit + " calls per minute to "
              + call.provider() + " " + call.requestModel() + " reached");
        }
      }
    }
    if (settings.costMode != Mode.OFF) {
      String reached = process.reached(settings.processCaps, nowMillis, "process");
      PolicySettings.Caps caps = call.workflow() == null ? null : settings.workflowCaps.get(call.workflow());
      if (reached == null && caps != null) {
        reached = windows(call.workflow()).reached(caps, nowMillis, "workflow " + call.workflow());
      }
      if (reached == null && settings.perTraceUsd > 0 && trace != null && trace.spentUsd >= settings.perTraceUsd) {
        reached = String.format(Locale.ROOT, "budget of %.4f USD per trace reached (spent %.4f USD)",
            settings.perTraceUsd, trace.spentUsd);
      }
      if (reached != null) decide(call, COST, settings.costMode, Kind.RATE_LIMITED, reached);
    }
    if (call.refusal() == null && settings.rateLimitMode != Mode.OFF) {
      RollingSum calls = callsByModel.get(call.provider() + "/" + call.requestModel());
      if (calls != null) calls.add(nowMillis, 1);
    }
  }

  /** The ceiling a library should apply as its own request timeout, or 0 for none. */
  long enforcedTimeoutMillis() {
    return settings.timeoutMode == Mode.ENFORCE ? settings.timeoutMillis : 0;
  }

  /** The ceiling on a stream's wait for data (its first chunk included), or 0 for none. */
  long enforcedFirstChunkMillis() {
    return settings.timeoutMode == Mode.ENFORCE ? settings.firstChunkMillis : 0;
  }

  /** At the end of a call: its spend counts, and a monitored timeout says what it would have done. */
  void afterCall(LlmCall call, long nowMillis, long durationNanos) {
    Double cost = call.costUsd();
    if (cost != null && cost > 0) {
      process.add(nowMillis, cost);
      if (call.workflow() != null && settings.workflowCaps.containsKey(call.workflow())) {
        windows(call.workflow()).add(nowMillis, cost);
      }
      if (call.traceId() != null && settings.perTraceUsd > 0) {
        TraceState t = trace(call.traceId());
        synchronized (t) {
          t.spentUsd += cost;
        }
      }
    }
    Double ttfc = call.timeToFirstChunkSeconds();
    if (settings.timeoutMode == Mode.MONITOR && settings.firstChunkMillis > 0 && ttfc != null
        && ttfc * 1000 > settings.firstChunkMillis) {
      decide(call, TIMEOUT, Mode.MONITOR, Kind.TIMEOUT, String.format(Locale.ROOT,
          "first chunk after %.0f ms, more than the first-chunk timeout of %d ms", ttfc * 1000,
          settings.firstChunkMillis));
    } else if (settings.timeoutMode == Mode.MONITOR && settings.timeoutMillis > 0
        && durationNanos > settings.timeoutMillis * 1_000_000L) {
      decide(call, TIMEOUT, Mode.MONITOR, Kind.TIMEOUT, "took " + durationNanos / 1_000_000L
          + " ms, more than the timeout of " + settings.timeoutMillis + " ms");
    }
  }

  private static void decide(LlmCall call, String policy, Mode mode, Kind kind, String message) {
    call.addPolicyDecision(new PolicyDecision(policy, mode == Mode.ENFORCE, kind, message));
  }

  private Windows windows(String workflow) {
    return byWorkflow.computeIfAbsent(workflow, w -> new Windows());
  }

  private TraceState trace(String traceId) {
    synchronized (traces) {
      TraceState t = traces.get(traceId);
      if (t == null) {
        t = new TraceState();
        traces.put(traceId, t);
      }
      return t;
    }
  }

  /** Spend in the three rolling windows of one scope (the process or a workflow). */
  private static final class Windows {
    final RollingSum minute = RollingSum.minute();
    final RollingSum hour = RollingSum.hour();
    final RollingSum day = RollingSum.day();

    void add(long now, double usd) {
      minute.add(now, usd);
      hour.add(now, usd);
      day.add(now, usd);
    }

    String reached(PolicySettings.Caps caps, long now, String scope) {
      if (caps.perMinute > 0 && minute.sum(now) >= caps.perMinute) return budget(scope, "minute", caps.perMinute, minute.sum(now));
      if (caps.perHour > 0 && hour.sum(now) >= caps.perHour) return budget(scope, "hour", caps.perHour, hour.sum(now));
      if (caps.perDay > 0 && day.sum(now) >= caps.perDay) return budget(scope, "day", caps.perDay, day.sum(now));
      return null;
    }

    private static String budget(String scope, String window, double cap, double spent) {
      return String.format(Locale.ROOT, "%s budget of %.4f USD per %s reached (spent %.4f USD)",
          scope, cap, window, spent);
    }
  }

  private static final class TraceState {
    final Map<String, Integer> repeats = new LinkedHashMap<>();
    double spentUsd;

    synchronized int repeat(String hash) {
      Integer n = repeats.get(hash);
      int next = n == null ? 1 : n + 1;
      if (repeats.size() < 1000 || n != null) repeats.put(hash, next);
      return next;
    }
  }
}
