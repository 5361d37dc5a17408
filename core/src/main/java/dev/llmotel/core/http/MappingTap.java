package dev.llmotel.core.http;

import dev.llmotel.core.LlmCall;

/**
 * The tap of a call this layer owns: maps the response body onto the call as the app reads it,
 * and ends the call's span when the body ends, fails or is closed.
 */
abstract class MappingTap extends ResponseTap {
  final OwnedCallExchange exchange;
  final LlmCall call;
  final WireFormat format;

  MappingTap(OwnedCallExchange exchange) {
    this.exchange = exchange;
    this.call = exchange.call;
    this.format = exchange.endpoint.format;
  }

  @Override
  public void end() {
    finish(true);
    exchange.end(null);
  }

  @Override
  public void error(Throwable t) {
    finish(false);
    exchange.end(t);
  }

  @Override
  public void closed() {
    finish(false);
    exchange.end(null);
  }

  @Override
  public java.io.IOException rejection() {
    Throwable rejection = call.outputReview().rejection();
    return rejection instanceof java.io.IOException ? (java.io.IOException) rejection : null;
  }

  /** Maps what the app read onto the call, once, before the span ends; {@code readToEnd} when it read it all. */
  abstract void finish(boolean readToEnd);
}
