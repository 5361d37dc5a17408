package dev.llmotel.core.faults;

import dev.llmotel.core.ConfigProblems;
import dev.llmotel.core.Json;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.governance.GovernanceFiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Fault injection for chaos drills: off unless a fault file is configured AND the enabling key names
 * the environment the service says it runs in ({@code deployment.environment.name} of its
 * resource), which must not be a production one. Then each LLM request that matches a rule of the
 * file gets that rule's fault, with the rule's probability drawn from the file's seed.
 */
public final class Faults {
  public static final String FILE = "otel.instrumentation.llm-otel.faults.file";
  public static final String ENABLED_IN = "otel.instrumentation.llm-otel.faults.enabled-in";
  static final List<String> PRODUCTION_NAMES = java.util.Arrays.asList("prod", "production", "prd", "live");
  private static final Logger logger = Logger.getLogger(Faults.class.getName());
  private static volatile Faults instance;

  private final List<FaultRule> rules;
  private final List<ToolFaultRule> toolRules;
  /** http_faults: the agent's other HTTP requests. */
  private List<FaultRule> requestRules = Collections.emptyList();
  private final long seed;

  Faults(List<FaultRule> rules, long seed) {
    this(rules, Collections.<ToolFaultRule>emptyList(), seed);
  }

  /** The drill's start: when the fault file was loaded. Rules' timelines count from here. */
  private final long startNanos = System.nanoTime();
  /** What the drill did to the agent; null when no fault can be injected. */
  private volatile DrillReport report;
  private String name;

  Faults(List<FaultRule> rules, List<ToolFaultRule> toolRules, long seed) {
    this.rules = rules;
    this.toolRules = toolRules;
    this.seed = seed;
  }

  public static Faults get() {
    Faults f = instance;
    if (f == null) {
      synchronized (Faults.class) {
        if (instance == null) instance = load();
        f = instance;
      }
    }
    return f;
  }

  /** Whether any fault can be injected in this process. */
  public boolean enabled() {
    return !rules.isEmpty() || !toolRules.isEmpty() || !requestRules.isEmpty();
  }

  /** Whether any HTTP request that is no LLM call can get a fault (the file has http_faults and may run here). */
  public boolean requestFaultsEnabled() {
    return !requestRules.isEmpty();
  }

  /**
   * The faults for one HTTP request that is no LLM call, as {@link #decide} for LLM calls: the
   * latency of every matching LATENCY rule that fires, and the first other one that fires. Null
   * when nothing fires.
   */
  public InjectedFault decideRequest(String method, String host, String path, String workflow) {
    if (requestRules.isEmpty()) return null;
    return decide(requestRules, rule -> rule.matchesRequest(method, host, path, workflow));
  }

  /**
   * Every matching LATENCY rule that fires adds its delay; the first other matching rule that fires
   * (in file order) decides the outcome. A rule is drawn (and counted) only when it matches.
   */
  private InjectedFault decide(List<FaultRule> candidates, java.util.function.Predicate<FaultRule> matches) {
    long latency = 0;
    FaultRule outcome = null;
    for (FaultRule rule : candidates) {
      if (rule.kind != FaultKind.LATENCY && outcome != null) continue;
      if (!matches.test(rule) || !rule.fires(seed, System.nanoTime() - startNanos)) continue;
      if (rule.kind == FaultKind.LATENCY) {
        latency += rule.millis;
      } else {
        outcome = rule;
      }
    }
    return latency == 0 && outcome == null ? null : new InjectedFault(latency, outcome);
  }

  /** The drill's report, or null when fault injection is off. */
  public DrillReport report() {
    return report;
  }

  /** Starts keeping the drill's report, and writing it when the report key names a path. */
  private Faults withReport() {
    try {
      java.util.function.Function<Object[], Object> host = dev.llmotel.core.JvmHost.endpoint(DrillReport.class, "endpoint");
      if (host != null) {
        report = new DrillReport(host); // the extension loader's copy keeps and writes the JVM's report
        return this;
      }
    } catch (Throwable t) {
      ConfigProblems.report(logger, "llm-otel: the JVM''s drill report could not be reached from {0} ({1}); this "
          + "class loader keeps a report of its own", String.valueOf(Faults.class.getClassLoader()), t.toString());
    }
    report = new DrillReport();
    String base = LlmOtelConfig.raw(DrillReport.REPORT);
    if (base != null && !base.isEmpty()) {
      final String path = base.endsWith(".json") ? base.substring(0, base.length() - 5) : base;
      Runnable write = () -> {
        try {
          report.writeIfChanged(path, name);
        } catch (Exception e) {
          ConfigProblems.report(logger, "llm-otel: the drill report {0}.json could not be written ({1})", path, e.toString());
        }
      };
      schedule(write);
      try {
        Runtime.getRuntime().addShutdownHook(new Thread(write, "llm-otel-drill-report"));
      } catch (IllegalStateException | SecurityException e) {
        // shutting down already, or not allowed: the periodic writes still happen
      }
    }
    return this;
  }

  private static void schedule(Runnable write) {
    dev.llmotel.core.DelayedTasks.schedule(() -> {
      write.run();
      schedule(write);
    }, REPORT_EVERY_MILLIS);
  }

  static final long REPORT_EVERY_MILLIS = 5_000;

  /** Whether any tool execution can get a fault (the file has tool_faults and may run here). */
  public boolean toolFaultsEnabled() {
    return !toolRules.isEmpty();
  }

  /**
   * The fault for one tool execution, or null: the first rule (in file order) that matches the tool,
   * agent and workflow and fires by its probability and times.
   */
  public ToolFault decideTool(String tool, String agent, String workflow) {
    for (ToolFaultRule rule : toolRules) {
      if (rule.matches(tool, agent, workflow) && rule.fires(seed, System.nanoTime() - startNanos)) return new ToolFault(rule);
    }
    return null;
  }

  private static Faults load() {
    String file = LlmOtelConfig.raw(FILE);
    if (file == null || file.isEmpty()) return new Faults(Collections.<FaultRule>emptyList(), 0);
    String environment = deploymentEnvironment();
    String enabledIn = LlmOtelConfig.raw(ENABLED_IN);
    String refusal = refusal(enabledIn, environment);
    if (refusal != null) {
      ConfigProblems.report(logger, "llm-otel: fault injection REFUSED ({0}); no fault will be injected", refusal);
      return new Faults(Collections.<FaultRule>emptyList(), 0);
    }
    try {
      Faults faults = parse(GovernanceFiles.read(file)).withReport();
      ConfigProblems.report(logger, "llm-otel: FAULT INJECTION IS ON in environment \"{0}\": {1} rule(s), {4} tool "
          + "rule(s) and {5} http rule(s) from {2}, seed {3}; injected calls, tools and requests carry "
          + "llm_otel.fault.injected", environment, faults.rules.size(), file, String.valueOf(faults.seed),
          faults.toolRules.size(), faults.requestRules.size());
      return faults;
    } catch (Exception e) {
      ConfigProblems.report(logger, "llm-otel: {0}: {1} is not a usable fault file ({2}); no fault will be injected",
          FILE, file, e.getMessage());
      return new Faults(Collections.<FaultRule>emptyList(), 0);
    }
  }

  /** Why the configured faults may not run here, or null when they may. */
  static String refusal(String enabledIn, String environment) {
    if (enabledIn == null || enabledIn.isEmpty()) {
      return ENABLED_IN + " is not set: it must name this service's deployment.environment.name";
    }
    if (environment == null) {
      return "the service has no deployment.environment.name in otel.resource.attributes to compare "
          + ENABLED_IN + "=" + enabledIn + " with";
    }
    if (!enabledIn.equals(environment)) {
      return ENABLED_IN + "=" + enabledIn + " but the service runs in \"" + environment + "\"";
    }
    if (PRODUCTION_NAMES.contains(environment.toLowerCase(Locale.ROOT))) {
      return "\"" + environment + "\" is a production environment";
    }
    return null;
  }

  /** deployment.environment.name (or the older deployment.environment) of the service's resource. */
  static String deploymentEnvironment() {
    String attributes = LlmOtelConfig.raw("otel.resource.attributes");
    if (attributes == null) return null;
    String older = null;
    for (String pair : attributes.split(",")) {
      int eq = pair.indexOf('=');
      if (eq < 0) continue;
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      if (key.equals("deployment.environment.name")) return value;
      if (key.equals("deployment.environment")) older = value;
    }
    return older;
  }

  static Faults parse(String json) {
    Object root = Json.parse(json);
    if (!(root instanceof Map)) throw new IllegalArgumentException("not a JSON object");
    Map<?, ?> m = (Map<?, ?>) root;
    Object seed = m.get("seed");
    Object entries = m.get("faults");
    Object toolEntries = m.get("tool_faults");
    Object requestEntries = m.get("http_faults");
    if ((entries != null && !(entries instanceof List)) || (toolEntries != null && !(toolEntries instanceof List))
        || (requestEntries != null && !(requestEntries instanceof List))) {
      throw new IllegalArgumentException("\"faults\", \"tool_faults\" and \"http_faults\" must be lists");
    }
    List<FaultRule> rules = new ArrayList<>();
    if (entries != null) {
      for (Object e : (List<?>) entries) {
        if (!(e instanceof Map)) throw new IllegalArgumentException("entry " + rules.size() + " is not an object");
        rules.add(new FaultRule(rules.size(), (Map<?, ?>) e));
      }
    }
    List<ToolFaultRule> toolRules = new ArrayList<>();
    if (toolEntries != null) {
      for (Object e : (List<?>) toolEntries) {
        if (!(e instanceof Map)) throw new IllegalArgumentException("tool fault " + toolRules.size() + " is not an object");
        toolRules.add(new ToolFaultRule(toolRules.size(), (Map<?, ?>) e));
      }
    }
    List<FaultRule> requestRules = new ArrayList<>();
    if (requestEntries != null) {
      for (Object e : (List<?>) requestEntries) {
        if (!(e instanceof Map)) throw new IllegalArgumentException("http fault " + requestRules.size() + " is not an object");
        requestRules.add(new FaultRule(requestRules.size(), (Map<?, ?>) e, true));
      }
    }
    if (rules.isEmpty() && toolRules.isEmpty() && requestRules.isEmpty()) {
      throw new IllegalArgumentException("no \"faults\", \"tool_faults\" or \"http_faults\" list");
    }
    Faults parsed = new Faults(rules, toolRules, seed instanceof Number ? ((Number) seed).longValue() : 0L);
    parsed.requestRules = requestRules;
    parsed.name = m.get("name") instanceof String ? (String) m.get("name") : null;
    return parsed;
  }

  /**
   * The faults for one request: every matching LATENCY rule that fires adds its delay; the first
   * other matching rule that fires (in file order) decides the outcome. Null when nothing fires.
   * Kinds that do not apply to the request are skipped: a stream cut only for streams, a truncated
   * or malformed body and a tool call only for non-streamed ones, a tool call only where the
   * format has one.
   */
  public InjectedFault decide(String provider, String model, String workflow, String operation, boolean streaming,
      boolean toolCallPossible) {
    if (rules.isEmpty()) return null;
    return decide(rules, rule -> applies(rule.kind, streaming, toolCallPossible)
        && rule.matches(provider, model, workflow, operation));
  }

  private static boolean applies(FaultKind kind, boolean streaming, boolean toolCallPossible) {
    switch (kind) {
      case STREAM_CUT:
        return streaming;
      case TRUNCATED_RESPONSE:
      case MALFORMED_RESPONSE:
        return !streaming;
      case UNKNOWN_TOOL_CALL:
        return !streaming && toolCallPossible;
      default:
        return true;
    }
  }
}
