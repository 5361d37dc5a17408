package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.Accessors;
import dev.llmotel.core.Retrieval;
import dev.llmotel.core.SafeHooks;
import io.opentelemetry.context.Context;
import java.util.Collection;

/**
 * One similarity search of a Spring AI vector store: a retrieval span. The store's observation
 * context lives in the optional spring-ai-vector-store module, so it is read by accessor name.
 */
final class RetrievalOperation extends ObservedOperation {
  private final Object ai;
  private final Retrieval retrieval;

  private RetrievalOperation(Object ai, Retrieval retrieval) {
    this.ai = ai;
    this.retrieval = retrieval;
  }

  /** A query of the store; null for its add and delete operations, which are not retrievals. */
  static RetrievalOperation of(Object ai) {
    if (!"query".equals(Accessors.call(ai, "getOperationName"))) return null;
    Object collection = Accessors.call(ai, "getCollectionName");
    Object dbSystem = Accessors.call(ai, "getDatabaseSystem");
    String id = collection instanceof String && !((String) collection).isEmpty() ? (String) collection
        : dbSystem instanceof String ? (String) dbSystem : "vector_store";
    Retrieval retrieval = new Retrieval(id).dbSystem(dbSystem instanceof String ? (String) dbSystem : null);
    Object topK = Accessors.call(Accessors.call(ai, "getQueryRequest"), "getTopK");
    if (topK instanceof Number) retrieval.topK(((Number) topK).longValue());
    return new RetrievalOperation(ai, retrieval);
  }

  @Override
  protected Context begin(Context parent) {
    return SpringAiTelemetry.AGENTS.startRetrieval(parent, retrieval);
  }

  @Override
  protected void finish(Context context, Throwable error) {
    try {
      Object documents = Accessors.call(ai, "getQueryResponse");
      if (documents instanceof Collection) {
        retrieval.documentCount((long) ((Collection<?>) documents).size());
        // Each document's text, for injection detection (scanned at the span's end, never exported).
        for (Object d : (Collection<?>) documents) {
          Object text = Accessors.call(d, "getText");
          retrieval.addDocumentText(text instanceof String ? (String) text : null);
        }
      }
    } catch (Throwable t) {
      SafeHooks.failed("spring ai retrieval result", t);
    }
    SpringAiTelemetry.AGENTS.endRetrieval(context, retrieval, error);
  }
}
