package dev.llmotel.instrumentation.mcp;

import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.McpAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The open MCP sessions of one side (client or server), with when each opened and over which
 * transport: a session's duration is recorded once, when it ends. Weakly held, so a session the app
 * drops without closing it is forgotten, not leaked.
 */
final class McpSessionClock {
  private final Map<Object, Object[]> open = Collections.synchronizedMap(new WeakHashMap<>());
  private final Supplier<DoubleHistogram> histogram;
  private final Function<Object, String> protocolVersion;
  private final String what;

  McpSessionClock(Supplier<DoubleHistogram> histogram, Function<Object, String> protocolVersion, String what) {
    this.histogram = histogram;
    this.protocolVersion = protocolVersion;
    this.what = what;
  }

  void opened(Object session, String transport) {
    try {
      open.put(session, new Object[] {System.nanoTime(), transport});
    } catch (Throwable t) {
      SafeHooks.failed(what, t);
    }
  }

  /** The session ended: its duration, by transport and negotiated protocol version; nothing the second time. */
  void closed(Object session) {
    try {
      Object[] opened = open.remove(session);
      if (opened == null) return;
      AttributesBuilder a = Attributes.builder();
      if (opened[1] != null) a.put(McpAttributes.NETWORK_TRANSPORT, (String) opened[1]);
      String version = protocolVersion.apply(session);
      if (version != null) a.put(McpAttributes.MCP_PROTOCOL_VERSION, version);
      histogram.get().record((System.nanoTime() - (Long) opened[0]) / 1e9, a.build());
    } catch (Throwable t) {
      SafeHooks.failed(what, t);
    }
  }
}
