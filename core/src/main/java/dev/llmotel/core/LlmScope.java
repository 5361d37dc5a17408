package dev.llmotel.core;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * What an enter advice hands to its exit advice: the call, its context, and the scope that makes
 * the context current while the library's method runs (so HTTP spans and inner layers nest).
 */
public final class LlmScope {
  public final LlmCall call;
  public final Context context;
  private final Scope scope;

  public LlmScope(LlmCall call, Context context) {
    this.call = call;
    this.context = context;
    this.scope = context.makeCurrent();
  }

  public void closeScope() {
    scope.close();
  }
}
