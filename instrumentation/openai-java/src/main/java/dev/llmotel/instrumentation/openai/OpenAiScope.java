package dev.llmotel.instrumentation.openai;

import dev.llmotel.core.LlmCall;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/** What the enter advice hands to the exit advice: the call, its context and the open scope. */
public final class OpenAiScope {
  final LlmCall call;
  final Context context;
  private final Scope scope;

  OpenAiScope(LlmCall call, Context context) {
    this.call = call;
    this.context = context;
    this.scope = context.makeCurrent();
  }

  void closeScope() {
    scope.close();
  }
}
