package dev.llmotel.core.http;

import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.LlmOtelAttributes;

/** A server-sent event stream: parsed event by event as the app reads it. */
final class StreamTap extends MappingTap implements SseParser.Listener {
  private final WireFormat.StreamEvents events;
  private final SseParser parser = new SseParser(this, HttpLlmExchange.MAX_BODY);
  private boolean finished;

  StreamTap(OwnedCallExchange exchange, WireFormat.StreamEvents events) {
    super(exchange);
    this.events = events;
  }

  @Override
  public synchronized void bytes(byte[] b, int off, int len) {
    try {
      parser.feed(b, off, len);
    } catch (Throwable t) {
      SafeHooks.failed("http stream parsing", t);
    }
  }

  @Override
  public void onEvent(String event, String data) {
    try {
      SafeHooks.checkpoint("chunk");
      if (!"[DONE]".equals(data)) call.response().onChunk();
      events.onEvent(event, events.wants(event, data) ? JsonMaps.parseObject(data) : null, data);
    } catch (Throwable t) {
      SafeHooks.failed("http stream event", t);
    }
  }

  @Override
  public void onOversizedEvent() {
    call.response().responseTruncated(true);
  }

  @Override
  synchronized void finish(boolean readToEnd) {
    if (finished || exchange.ended()) return;
    finished = true;
    try {
      if (readToEnd) parser.end();
      SafeHooks.checkpoint("stream-end");
      events.finish();
      if (!events.finished() && exchange.status < 400) call.response().streamEnd(LlmOtelAttributes.STREAM_END_CLOSED_EARLY);
    } catch (Throwable t) {
      SafeHooks.failed("http stream finish", t);
    }
  }
}
