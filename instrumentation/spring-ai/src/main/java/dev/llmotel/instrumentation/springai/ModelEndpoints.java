package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.ConfiguredBaseUrl;
import dev.llmotel.core.SafeHooks;

/**
 * The base URL of the Spring AI model whose call is running on this thread, for the model call's
 * {@code server.address}/{@code server.port} at start: Spring AI's observation context does not name
 * its model, so the model's {@code call} sets it around the call (the observation is made inside),
 * and a stream's Flux carries it to its subscription ({@link StreamSubscription}).
 */
public final class ModelEndpoints {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  /** What the exit hands back: the base URL of an outer call on this thread, if any. */
  public static final class Previous {
    final String baseUrl;

    Previous(String baseUrl) {
      this.baseUrl = baseUrl;
    }
  }

  /** At a model's call(...): its base URL becomes this thread's. */
  public static Object enter(Object model) {
    try {
      Previous previous = new Previous(CURRENT.get());
      CURRENT.set(baseUrlOf(model));
      return previous;
    } catch (Throwable t) {
      SafeHooks.failed("spring ai model endpoint", t);
      return null;
    }
  }

  public static void exit(Object state) {
    if (!(state instanceof Previous)) return;
    String previous = ((Previous) state).baseUrl;
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  static String current() {
    return CURRENT.get();
  }

  static String baseUrlOf(Object model) {
    return model == null ? null : ConfiguredBaseUrl.of(model);
  }

  private ModelEndpoints() {}
}
