package dev.llmotel.core.governance;

import dev.llmotel.core.AgentInstrumenter;
import dev.llmotel.core.AgentRun;
import dev.llmotel.core.BoundedValueSet;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.LocalRootSpan;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Names the kind of work a call belongs to (llm_otel.workflow): a baggage entry, else the first
 * configured rule that matches the entry point, else the entry point itself (the route of the local
 * root span, the agent it runs, or its name).
 *
 * <p>Trust: a workflow selects a budget, so it is authority, and baggage arrives from outside the
 * process. A baggage value a remote caller sent ({@link RemoteBaggage}) is used only when it names a
 * declared workflow (the policy file's), unless the operator trusts remote baggage; otherwise it is
 * counted ({@code llm_otel.workflow.rejected}, reason {@code untrusted}) and the call's own entry
 * point decides. Values reach metrics, so at most a configured number of distinct undeclared values
 * are used and later ones become "_OTHER" (reason {@code overflow}); declared workflows are never
 * counted against that cap, so no flood of made-up values can displace them. Values are cut at
 * {@value #MAX_LENGTH} characters: memory stays bounded whatever arrives.
 */
final class Workflows {
  static final String BAGGAGE_KEY = "llm_otel.workflow";
  static final String OVERFLOW = "_OTHER";
  static final int MAX_LENGTH = 128;
  private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");

  private final BoundedValueSet seen;

  Workflows(int maxValues) {
    this.seen = new BoundedValueSet(maxValues);
  }

  String resolve(Context parent, PolicySettings settings) {
    BaggageEntry entry = Baggage.fromContext(parent).getEntry(BAGGAGE_KEY);
    String fromBaggage = entry == null ? null : entry.getValue();
    if (fromBaggage != null && !fromBaggage.isEmpty()) {
      if (settings.declaredWorkflows.contains(fromBaggage)) return fromBaggage;
      if (!RemoteBaggage.isRemote(entry) || settings.trustRemoteBaggage) return bounded(fromBaggage, settings);
      GovernanceMetrics.get().workflowRejected("untrusted");
    }
    String entryPoint = entryPoint(parent);
    if (entryPoint == null) return null;
    for (Rule rule : settings.workflowRules) {
      if (rule.pattern.matcher(entryPoint).find()) return rule.workflow;
    }
    return bounded(entryPoint, settings);
  }

  private String bounded(String value, PolicySettings settings) {
    if (value.length() > MAX_LENGTH) value = value.substring(0, MAX_LENGTH);
    if (settings.declaredWorkflows.contains(value) || seen.admit(value)) return value;
    GovernanceMetrics.get().workflowRejected("overflow");
    return OVERFLOW;
  }

  /**
   * What started the work that led to this call: the route of the request being served (as the
   * agent's server instrumentation knows it while the request runs, else the local root span's
   * {@code http.route}), the
   * agent's name when the root is an agent run, else the root span's name (a job, a message).
   */
  static String entryPoint(Context parent) {
    Span root = LocalRootSpan.fromContextOrNull(parent);
    if (root == null) root = Span.fromContextOrNull(parent);
    if (root == null || !root.getSpanContext().isValid()) return null;
    String route = ServerRoute.of(parent);
    if (route != null) return route;
    route = SpanIntrospection.attribute(root, HTTP_ROUTE);
    if (route != null) return route;
    // Inside an agent run (which need not be the root: an app span often wraps it), the agent names the work.
    AgentRun run = AgentInstrumenter.currentRun(parent);
    if (run != null) return run.name();
    String agent = SpanIntrospection.attribute(root, AGENT_NAME);
    return agent != null ? agent : SpanIntrospection.name(root);
  }

  /**
   * The route of the HTTP request being served, as the agent's server instrumentations keep it in the
   * context while the request runs: they set {@code http.route} on the server span only when it ends,
   * but the route state ({@code HttpServerRoute}, updated by Spring MVC, WebFlux, JAX-RS and the
   * others as soon as the handler is known) is in the context from the start. The instrumentation API
   * gives no public getter ({@code HttpServerRoute.get} is package-private), so its state class is read
   * directly; without it (no agent, another API version) the span attribute is the fallback.
   */
  static final class ServerRoute {
    private static volatile boolean available = true;

    static String of(Context context) {
      if (!available) return null;
      try {
        io.opentelemetry.instrumentation.api.internal.HttpRouteState state =
            io.opentelemetry.instrumentation.api.internal.HttpRouteState.fromContextOrNull(context);
        String route = state == null ? null : state.getRoute();
        return route == null || route.isEmpty() ? null : route;
      } catch (LinkageError e) {
        available = false;
        return null;
      }
    }

    private ServerRoute() {}
  }

  static final class Rule {
    final Pattern pattern;
    final String workflow;

    Rule(Pattern pattern, String workflow) {
      this.pattern = pattern;
      this.workflow = workflow;
    }
  }

  /**
   * Reads the name and attributes of a span the agent's SDK created. The API Span offers no
   * getters; the SDK's spans implement ReadableSpan, reached by reflection because its class is
   * the agent's, not the application's.
   */
  static final class SpanIntrospection {
    private static final ConcurrentHashMap<Class<?>, Method[]> methods = new ConcurrentHashMap<>();

    static String name(Span span) {
      Method m = lookup(span.getClass())[0];
      try {
        return m == null ? null : (String) m.invoke(span);
      } catch (Exception e) {
        return null;
      }
    }

    static String attribute(Span span, AttributeKey<String> key) {
      Method m = lookup(span.getClass())[1];
      try {
        Object v = m == null ? null : m.invoke(span, key);
        return v instanceof String ? (String) v : null;
      } catch (Exception e) {
        return null;
      }
    }

    private static Method[] lookup(Class<?> type) {
      return methods.computeIfAbsent(type, t -> {
        for (Class<?> iface : allInterfaces(t)) {
          if (iface.getName().endsWith(".ReadableSpan")) {
            try {
              return new Method[] {accessible(iface.getMethod("getName")),
                  accessible(iface.getMethod("getAttribute", AttributeKey.class))};
            } catch (NoSuchMethodException e) {
              return new Method[2];
            }
          }
        }
        return new Method[2];
      });
    }

    /**
     * Without the access check on every call: {@code Method.invoke} checks the caller against the
     * method's class each time, and the check's one-entry cache misses when calls alternate between
     * callers. The interface is public; where the flag cannot be set the method still works, checked.
     */
    private static Method accessible(Method m) {
      try {
        m.setAccessible(true);
      } catch (RuntimeException e) {
        // InaccessibleObjectException (Java 9+) or a security manager's refusal: invoke checks each time
      }
      return m;
    }

    private static Set<Class<?>> allInterfaces(Class<?> type) {
      Set<Class<?>> out = new java.util.LinkedHashSet<>();
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (Class<?> i : c.getInterfaces()) {
          out.add(i);
          out.addAll(allInterfaces(i));
        }
      }
      return out;
    }
  }
}
