package dev.llmotel.instrumentation.springai;

import io.micrometer.observation.Observation;
import java.lang.reflect.Method;
import reactor.util.context.ContextView;

/**
 * In streaming mode Spring AI runs tools on a Reactor worker thread and passes the Reactor context
 * along in ToolCallReactiveContextHolder (an internal class, present in 1.1 and 2.0, so read by
 * name). The ChatClient's observation in it is the tool's parent.
 */
final class ReactiveToolContext {
  private static final String HOLDER = "org.springframework.ai.model.tool.internal.ToolCallReactiveContextHolder";
  private static final String OBSERVATION_KEY = "micrometer.observation";
  private static volatile Method getContext;
  private static volatile boolean unavailable;

  static Observation observation() {
    if (unavailable) return null;
    try {
      Method m = getContext;
      if (m == null) {
        m = Class.forName(HOLDER, false, ReactiveToolContext.class.getClassLoader()).getMethod("getContext");
        getContext = m;
      }
      Object context = m.invoke(null);
      if (!(context instanceof ContextView)) return null;
      Object observation = ((ContextView) context).getOrDefault(OBSERVATION_KEY, null);
      return observation instanceof Observation ? (Observation) observation : null;
    } catch (Throwable t) {
      unavailable = true; // a release without the holder: tools then nest by the current context
      return null;
    }
  }

  private ReactiveToolContext() {}
}
