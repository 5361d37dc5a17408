package dev.llmotel.core;

import dev.llmotel.core.faults.InjectedFault;
import dev.llmotel.core.faults.ToolFault;
import io.opentelemetry.context.Context;

/**
 * Applies a chaos drill's tool fault where a library runs the tool's own code, so the framework
 * handles it as it handles the tool's real behaviour: the advice's enter calls {@link #enter} (a
 * latency waits there; a failure comes back as a {@link Failure}, on which the advice skips the tool
 * and throws it), the exit calls {@link #thrown} and {@link #result}. Decided when the tool's span
 * started ({@link AgentInstrumenter#startTool}). Never throws.
 */
public final class ToolFaults {
  private ToolFaults() {}

  /** The advice's skip signal: the tool is not run, and its exit throws {@link #error}. */
  public static final class Failure {
    public final Throwable error;

    Failure(Throwable error) {
      this.error = error;
    }
  }

  /**
   * At the tool code's start, on its thread: the fault of the tool span in progress, after any wait it
   * asks for; a {@link Failure} when the tool must fail instead of running; null when there is none.
   */
  public static Object enter(Context context, ClassLoader loader) {
    try {
      ToolCall tool = AgentInstrumenter.currentTool(context);
      if (tool == null || !tool.claimFault()) return null;
      ToolFault fault = tool.fault();
      InjectedFault.sleep(fault.waitMillis());
      Throwable failure = fault.failure(loader != null ? loader : Thread.currentThread().getContextClassLoader());
      return failure != null ? new Failure(failure) : fault;
    } catch (Throwable t) {
      SafeHooks.failed("tool fault", t);
      return null;
    }
  }

  /** What the tool code throws: the injected failure, or what it threw itself. */
  public static Throwable thrown(Object state, Throwable error, java.util.function.UnaryOperator<Throwable> asFramework) {
    if (!(state instanceof Failure)) return error;
    try {
      return asFramework.apply(((Failure) state).error);
    } catch (Throwable t) {
      SafeHooks.failed("tool fault", t);
      return ((Failure) state).error;
    }
  }

  /** What the tool code returns: the injected result (result kinds), else its own. */
  public static Object result(Object state, Object result) {
    if (!(state instanceof ToolFault)) return result;
    try {
      return ((ToolFault) state).result(result);
    } catch (Throwable t) {
      SafeHooks.failed("tool fault", t);
      return result;
    }
  }
}
