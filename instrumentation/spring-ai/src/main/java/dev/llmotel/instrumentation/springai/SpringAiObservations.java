package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.Accessors;
import dev.llmotel.core.AgentInstrumenter;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.ToolCall;
import io.micrometer.observation.Observation;
import io.opentelemetry.context.Context;
import java.util.function.Supplier;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;
import reactor.core.publisher.Flux;

/**
 * Entry points for the advice. Nothing here ever throws into the application, except a policy
 * refusal on purpose (from the observation's start, see {@link TracedObservation}) and a rejected
 * answer (from a blocking call's stop).
 */
public final class SpringAiObservations {
  private static final String CHAT_CLIENT_CONTEXT =
      "org.springframework.ai.chat.client.observation.ChatClientObservationContext";
  private static final String VECTOR_STORE_CONTEXT =
      "org.springframework.ai.vectorstore.observation.VectorStoreObservationContext";

  /**
   * After {@code ObservationDocumentation.observation(...)} returned: when the documentation is one
   * of Spring AI's and the context one we trace, the observation Spring AI gets is ours, wrapping
   * the one it would have had. With a no-op registry Micrometer never asked for the context; Spring
   * AI's suppliers all return a context built beforehand, so asking again is free.
   */
  public static Object wrap(Object documentation, Object observation, Supplier<?> contextSupplier) {
    try {
      if (!(observation instanceof Observation) || observation instanceof TracedObservation) return observation;
      if (documentation == null || !documentation.getClass().getName().startsWith("org.springframework.ai.")) {
        return observation;
      }
      Observation original = (Observation) observation;
      Object context = original.isNoop() ? contextSupplier.get() : original.getContext();
      if (!(context instanceof Observation.Context)) return observation;
      ObservedOperation operation = operationFor(context);
      return new TracedObservation(original, (Observation.Context) context,
          operation != null ? operation : new PassThroughOperation());
    } catch (Throwable t) {
      SafeHooks.failed("spring ai observation", t);
      return observation;
    }
  }

  static ObservedOperation operationFor(Object context) {
    if (context instanceof ChatModelObservationContext) {
      ChatModelObservationContext ai = (ChatModelObservationContext) context;
      return new ModelCallOperation(ChatMapper.request(ai), ai::getResponse, ChatMapper::response);
    }
    if (context instanceof EmbeddingModelObservationContext) {
      EmbeddingModelObservationContext ai = (EmbeddingModelObservationContext) context;
      return new ModelCallOperation(EmbeddingMapper.request(ai), ai::getResponse, EmbeddingMapper::response);
    }
    if (context instanceof ToolCallingObservationContext) {
      return new ToolOperation((ToolCallingObservationContext) context);
    }
    String type = context.getClass().getName();
    if (type.equals(CHAT_CLIENT_CONTEXT)) return new AgentOperation(AgentNames.current(), context);
    if (type.equals(VECTOR_STORE_CONTEXT)) return RetrievalOperation.of(context);
    return null; // an advisor, a vector store write: passed through
  }

  /**
   * Spring AI turns a tool's exception into a message for the model (unless configured to
   * rethrow), so the tool's observation never sees it: the tool span records it here.
   */
  public static void toolFailed(Throwable exception) {
    try {
      ToolCall tool = AgentInstrumenter.currentTool(Context.current());
      if (tool == null || exception == null) return;
      Throwable cause = exception.getCause();
      tool.failure(cause != null ? cause : exception);
    } catch (Throwable t) {
      SafeHooks.failed("spring ai tool failure", t);
    }
  }

  /**
   * Whether llm-otel makes the span of the Spring AI observation with this context (a model call, a
   * tool, a ChatClient call, a vector store query), so another tracer must not make a second one.
   */
  public static boolean spanOwnedByLlmOtel(Object context) {
    try {
      if (context instanceof ChatModelObservationContext || context instanceof EmbeddingModelObservationContext
          || context instanceof ToolCallingObservationContext) {
        return true;
      }
      if (context == null) return false;
      String type = context.getClass().getName();
      return type.equals(CHAT_CLIENT_CONTEXT)
          || (type.equals(VECTOR_STORE_CONTEXT) && "query".equals(Accessors.call(context, "getOperationName")));
    } catch (Throwable t) {
      SafeHooks.failed("spring ai observation ownership", t);
      return false;
    }
  }

  /** Before ToolCallingManager.executeToolCalls(prompt, response): see {@link ToolRound}. */
  public static Object toolRoundStarting(Object response) {
    try {
      return ToolRound.begin(response);
    } catch (Throwable t) {
      SafeHooks.failed("spring ai tool round", t);
      return null;
    }
  }

  public static void toolRoundEnded(Object previous) {
    try {
      ToolRound.end(previous);
    } catch (Throwable t) {
      SafeHooks.failed("spring ai tool round", t);
    }
  }

  /** After a chat model's stream(Prompt) returned its Flux. */
  @SuppressWarnings("unchecked")
  public static Object wrapStream(Object flux, Object model) {
    try {
      return flux instanceof Flux ? StreamSubscription.wrap((Flux<Object>) flux, ModelEndpoints.baseUrlOf(model)) : flux;
    } catch (Throwable t) {
      SafeHooks.failed("spring ai stream", t);
      return flux;
    }
  }

  private SpringAiObservations() {}
}
