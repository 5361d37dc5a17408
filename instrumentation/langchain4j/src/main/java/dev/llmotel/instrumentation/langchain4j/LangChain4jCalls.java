package dev.llmotel.instrumentation.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmotel.core.AgentInstrumenter;
import dev.llmotel.core.AgentRun;
import dev.llmotel.core.CallRefusal;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmScope;
import dev.llmotel.core.LlmStream;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.Retrieval;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.SkippedCall;
import dev.llmotel.core.ToolCall;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Entry points for the advice: each takes the library's objects, maps them through the mappers and
 * hands them to the shared instrumenters. Nothing here ever throws into the application.
 */
public final class LangChain4jCalls {
  private static final LlmInstrumenter CALLS = LangChain4jTelemetry.CALLS;
  private static final AgentInstrumenter AGENTS = LangChain4jTelemetry.AGENTS;

  /**
   * What an enter advice hands to its exit advice for an agent run, a tool or a retrieval: the
   * subject, its context, and the scope that made the context current.
   */
  public static final class OpenScope<T> {
    final T subject;
    final Context context;
    final Scope scope;

    OpenScope(T subject, Context context) {
      this.subject = subject;
      this.context = context;
      this.scope = context.makeCurrent();
    }

    @SuppressWarnings("unchecked")
    static <T> OpenScope<T> of(Object state, Class<T> subjectType) {
      return state instanceof OpenScope && subjectType.isInstance(((OpenScope<?>) state).subject)
          ? (OpenScope<T>) state : null;
    }
  }

  // ---- agent: one AI service method invocation ----

  public static Object startAgent(Object proxy, Method method) {
    try {
      if (isStreamingAgentMethod(method)) {
        // Its run starts at TokenStream.start(), but the method reads the chat memory now.
        STREAMING_MEMORY.set(new String[1]);
        return null;
      }
      if (!isAgentMethod(method)) return null;
      AgentRun run = new AgentRun(agentName(proxy, method));
      Context context = AGENTS.startAgent(Context.current(), run);
      return context == null ? null : new OpenScope<>(run, context);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j agent start", t);
      return null;
    }
  }

  /** A chat memory was read: inside an agent run, its id is the run's conversation. */
  public static void memoryRead(Object memory) {
    try {
      if (!(memory instanceof dev.langchain4j.memory.ChatMemory)) return;
      AgentRun run = AgentInstrumenter.currentRun(Context.current());
      if (run != null) {
        if (run.conversationId() == null) run.conversationId(((dev.langchain4j.memory.ChatMemory) memory).id());
        return;
      }
      String[] streaming = STREAMING_MEMORY.get();
      if (streaming != null && streaming[0] == null) {
        Object id = ((dev.langchain4j.memory.ChatMemory) memory).id();
        streaming[0] = id == null ? null : String.valueOf(id);
      }
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j chat memory", t);
    }
  }

  /**
   * An AI service method that runs the model: not Object's methods, default methods (their body
   * calls the others) or chat-memory access; and not streaming methods, whose work starts later,
   * at TokenStream.start().
   */
  static boolean isAgentMethod(Method method) {
    return isServiceMethod(method) && !returnsTokenStream(method);
  }

  static boolean isStreamingAgentMethod(Method method) {
    return isServiceMethod(method) && returnsTokenStream(method);
  }

  private static boolean isServiceMethod(Method method) {
    Class<?> declaring = method.getDeclaringClass();
    if (declaring == Object.class || method.isDefault()) return false;
    return !declaring.getName().equals("dev.langchain4j.service.memory.ChatMemoryAccess");
  }

  private static boolean returnsTokenStream(Method method) {
    return method.getReturnType().getName().equals("dev.langchain4j.service.TokenStream");
  }

  /** The AI service interface: the proxy implements exactly that one. */
  private static String agentName(Object proxy, Method method) {
    Class<?>[] interfaces = proxy.getClass().getInterfaces();
    return interfaces.length > 0 ? interfaces[0].getSimpleName() : method.getDeclaringClass().getSimpleName();
  }

  public static void endAgent(Object state, Throwable error) {
    OpenScope<AgentRun> scope = OpenScope.of(state, AgentRun.class);
    if (scope == null) return;
    try {
      scope.scope.close();
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j agent scope", t);
    }
    // A run handed to an adapted stream ends with that stream, unless the method itself failed.
    if (handedToStreams.remove(scope.subject) != null && error == null) return;
    AGENTS.endAgent(scope.context, scope.subject, unwrap(error));
  }

  // ---- chat: one model call ----

  public static Object startChat(Object model, Object request) {
    try {
      LlmCall call = ChatMapper.request(model, (ChatRequest) request);
      Context context = CALLS.start(Context.current(), call);
      if (context == null) return null;
      CallRefusal refused = refuse(model, context, call);
      if (refused != null) return refused;
      // The exit throws the rejection of an answer the output_validation policy cannot let through.
      call.outputReview().failWith(decision -> LangChain4jErrors.unusableAnswer(model, decision));
      return new LlmScope(call, context);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j chat start", t);
      return null;
    }
  }

  /**
   * When a policy refused the call: ends its span with LangChain4j's own exception for that
   * condition, for the advice to throw (or hand the stream's handler) instead of calling the model.
   * Models on the OpenAI SDK leave the failure to the SDK layer.
   */
  private static CallRefusal refuse(Object model, Context context, LlmCall call) {
    PolicyDecision refusal = call.governance().refusal();
    if (refusal == null) return null;
    if (LangChain4jErrors.sdkRefusesInstead(model)) {
      call.governance().deferRefusalToSdk();
      return null;
    }
    RuntimeException exception = LangChain4jErrors.refusal(refusal);
    CALLS.end(context, call, exception);
    return new CallRefusal(exception);
  }

  public static void endChat(Object state, Object response, Throwable error) {
    if (state instanceof LlmScope) CALLS.end((LlmScope) state, response, error, ChatMapper::response);
  }

  // ---- streaming chat: the span ends when the provider calls the handler back ----

  /**
   * The streams in flight, by the handler the app passed: the provider calls exactly that object
   * back (on its own thread), where the span ends. Weak keys: a handler never called back (a
   * connection the provider dropped silently) does not stay here.
   */
  private static final java.util.Map<Object, StreamState> streams =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** A stream in flight, and the context its call started in (an agent run's, or the app's). */
  private static final class StreamState {
    final LlmStream stream;
    final Context parent;

    StreamState(LlmStream stream, Context parent) {
      this.stream = stream;
      this.parent = parent;
    }
  }

  public static Object startStreamingChat(Object model, Object request, Object handler) {
    try {
      LlmCall call = ChatMapper.request(model, (ChatRequest) request).request().streaming(true).call();
      Context parent = Context.current();
      Context context = CALLS.start(parent, call);
      if (context == null) return null;
      CallRefusal refused = refuse(model, context, call);
      if (refused != null) return refused;
      // Handed to the handler in place of the answer: see streamCompleted.
      call.outputReview().failWith(decision -> LangChain4jErrors.unusableAnswer(model, decision));
      streams.put(handler, new StreamState(new LlmStream(CALLS, context, call, () -> {}), parent));
      return new LlmScope(call, context);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j streaming chat start", t);
      return null;
    }
  }

  /** The streaming method returned: the scope closes; the span waits for the handler, unless it threw. */
  public static void streamingChatReturned(Object state, Object handler, Throwable error) {
    if (state instanceof CallRefusal) {
      // A refused stream fails the way a provider's error does: through the handler.
      ((StreamingChatResponseHandler) handler).onError(((CallRefusal) state).exception());
      return;
    }
    if (!(state instanceof LlmScope)) return;
    try {
      ((LlmScope) state).closeScope();
      if (error != null) {
        StreamState failed = streams.remove(handler);
        if (failed != null) failed.stream.end(error, false);
      }
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j streaming chat scope", t);
    }
  }

  public static void streamPartial(Object handler) {
    try {
      SafeHooks.checkpoint("chunk");
      StreamState state = streams.get(handler);
      if (state != null) state.stream.call().response().onChunk();
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j stream chunk", t);
    }
  }

  /**
   * The provider delivered the answer: the span ends, and for the rest of the handler's callback the
   * context the call started in is current again. The provider's thread carries the ended call's
   * context; without this, what the callback does next (a framework running the tools the model
   * asked for, then calling the model again) would hang under the finished call, or get no span.
   * Returns the scope for the exit advice to close; or, when the output_validation policy rejected
   * the answer, a {@link RejectedAnswer}: the handler gets the rejection through onError instead.
   */
  public static Object streamCompleted(Object handler, Object response) {
    try {
      StreamState state = streams.remove(handler);
      if (state == null) return null;
      ChatMapper.response(state.stream.call(), response);
      state.stream.end(null, true);
      Throwable rejection = state.stream.call().outputReview().rejection();
      Scope scope = state.parent.makeCurrent();
      return rejection == null ? scope : new RejectedAnswer(scope, rejection);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j stream end", t);
      return null;
    }
  }

  /** A streamed answer the policy rejected: the handler's onCompleteResponse is skipped for its onError. */
  public static final class RejectedAnswer extends SkippedCall {
    final Scope scope;
    final Throwable rejection;

    RejectedAnswer(Scope scope, Throwable rejection) {
      this.scope = scope;
      this.rejection = rejection;
    }
  }

  /** After the handler's onCompleteResponse, or in its place for a rejected answer. */
  public static void streamCompleteReturned(Object handler, Object state) {
    if (!(state instanceof RejectedAnswer)) {
      closeScope(state);
      return;
    }
    RejectedAnswer rejected = (RejectedAnswer) state;
    try {
      ((StreamingChatResponseHandler) handler).onError(rejected.rejection);
    } finally {
      rejected.scope.close();
    }
  }

  public static Object streamFailed(Object handler, Throwable error) {
    try {
      StreamState state = streams.remove(handler);
      if (state == null) return null;
      state.stream.end(error, false);
      return state.parent.makeCurrent();
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j stream error", t);
      return null;
    }
  }

  public static void closeScope(Object scope) {
    if (scope instanceof Scope) ((Scope) scope).close();
  }

  // ---- streaming agent: an AI service method returning a TokenStream ----

  /**
   * The TokenStreams that AI service methods returned, with the agent's name and the caller's
   * context: the run starts when the app calls start(), often later.
   */
  private static final java.util.Map<Object, StreamingAgent> tokenStreams =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private static final class StreamingAgent {
    final AgentRun run;
    final Context parent;
    volatile Context context;

    StreamingAgent(AgentRun run, Context parent) {
      this.run = run;
      this.parent = parent;
    }
  }

  /**
   * The chat memory a streaming AI service method read while it built its TokenStream (its id, or
   * null), for the run that starts later; set for the method's duration on its thread.
   */
  private static final ThreadLocal<String[]> STREAMING_MEMORY = new ThreadLocal<>();

  /** At the AI service method's exit: a TokenStream result is remembered for its start(), with the memory it read. */
  public static void agentReturned(Object proxy, Method method, Object result) {
    try {
      if (!isStreamingAgentMethod(method)) return;
      String[] memory = STREAMING_MEMORY.get();
      STREAMING_MEMORY.remove();
      if (result == null) return;
      AgentRun run = new AgentRun(agentName(proxy, method));
      if (memory != null && memory[0] != null) run.conversationId(memory[0]);
      tokenStreams.put(result, new StreamingAgent(run, Context.current()));
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j streaming agent", t);
    }
  }

  /**
   * Agent runs whose method returned an adapted stream (a Flux): their span, started when the
   * method was called, ends with the TokenStream the adapter was given, not when the method returns.
   */
  private static final java.util.Map<AgentRun, Boolean> handedToStreams =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /**
   * Inside an AI service method, LangChain4j hands the TokenStream it built to an adapter (Flux):
   * the running agent's span moves to that stream and ends just before the app's subscriber is
   * told the stream ended or failed.
   */
  public static void tokenStreamAdapting(Object tokenStream) {
    try {
      Context current = Context.current();
      AgentRun run = AgentInstrumenter.currentRun(current);
      if (run == null || tokenStream == null || tokenStreams.containsKey(tokenStream)) return;
      StreamingAgent agent = new StreamingAgent(run, null);
      agent.context = current;
      tokenStreams.put(tokenStream, agent);
      handedToStreams.put(run, Boolean.TRUE);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j adapted stream", t);
    }
  }

  /**
   * At TokenStream.start(): the agent span starts (or, for an adapted stream, is already running),
   * current while start() sends the first request.
   */
  public static Object tokenStreamStarting(Object tokenStream) {
    try {
      StreamingAgent agent = tokenStreams.get(tokenStream);
      if (agent == null) return null;
      Context context = agent.context != null ? agent.context : AGENTS.startAgent(agent.parent, agent.run);
      if (context == null) return null;
      agent.context = context;
      return context.makeCurrent();
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j streaming agent start", t);
      return null;
    }
  }

  public static void tokenStreamStarted(Object tokenStream, Object scope, Throwable error) {
    closeScope(scope);
    if (error != null) endStreamingAgent(tokenStream, error);
  }

  /** The app's completion and error callbacks, wrapped so the agent span ends just before they run. */
  public static Object wrapTokenStreamCallback(Object tokenStream, Object consumer, boolean isErrorCallback) {
    if (!(consumer instanceof java.util.function.Consumer)) return consumer;
    @SuppressWarnings("unchecked")
    java.util.function.Consumer<Object> app = (java.util.function.Consumer<Object>) consumer;
    return (java.util.function.Consumer<Object>) value -> {
      endStreamingAgent(tokenStream, isErrorCallback && value instanceof Throwable ? (Throwable) value : null);
      app.accept(value);
    };
  }

  private static void endStreamingAgent(Object tokenStream, Throwable error) {
    try {
      StreamingAgent agent = tokenStreams.remove(tokenStream);
      if (agent != null && agent.context != null) AGENTS.endAgent(agent.context, agent.run, error);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j streaming agent end", t);
    }
  }

  // ---- embeddings ----

  public static Object startEmbeddings(Object model, Object input) {
    try {
      LlmCall call = EmbeddingMapper.request(model, input);
      Context context = CALLS.start(Context.current(), call);
      return context == null ? null : new LlmScope(call, context);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j embeddings start", t);
      return null;
    }
  }

  public static void endEmbeddings(Object state, Object response, Throwable error) {
    if (state instanceof LlmScope) CALLS.end((LlmScope) state, response, error, EmbeddingMapper::response);
  }

  // ---- retrieval: an embedding store searched for a RAG flow ----

  /**
   * An EmbeddingStoreContentRetriever's search. The store is named by the retriever's display name
   * when the app gave one, else by the store's type (InMemoryEmbeddingStore, PgVectorEmbeddingStore).
   */
  public static Object startRetrieval(String displayName, Object store) {
    try {
      String id = displayName != null && !displayName.isEmpty() && !displayName.equals("Default") ? displayName
          : store != null ? store.getClass().getSimpleName() : "EmbeddingStore";
      Retrieval retrieval = new Retrieval(id);
      Context context = AGENTS.startRetrieval(Context.current(), retrieval);
      return context == null ? null : new OpenScope<>(retrieval, context);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j retrieval start", t);
      return null;
    }
  }

  public static void endRetrieval(Object state, Object contents, Throwable error) {
    OpenScope<Retrieval> scope = OpenScope.of(state, Retrieval.class);
    if (scope == null) return;
    try {
      scope.scope.close();
      if (contents instanceof java.util.Collection) {
        scope.subject.documentCount((long) ((java.util.Collection<?>) contents).size());
        // Each document's text, for injection detection (scanned at the span's end, never exported).
        for (Object c : (java.util.Collection<?>) contents) {
          if (c instanceof dev.langchain4j.rag.content.Content) {
            dev.langchain4j.data.segment.TextSegment segment = ((dev.langchain4j.rag.content.Content) c).textSegment();
            scope.subject.addDocumentText(segment == null ? null : segment.text());
          }
        }
      }
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j retrieval end", t);
    }
    AGENTS.endRetrieval(scope.context, scope.subject, unwrap(error));
  }

  // ---- tools ----

  public static Object startTool(Object request) {
    try {
      ToolExecutionRequest r = (ToolExecutionRequest) request;
      ToolCall tool = new ToolCall(r.name(), r.id()).arguments(r.arguments());
      Context context = AGENTS.startTool(Context.current(), tool);
      return context == null ? null : new OpenScope<>(tool, context);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j tool start", t);
      return null;
    }
  }

  public static void endTool(Object state, Object result, Throwable error) {
    OpenScope<ToolCall> scope = OpenScope.of(state, ToolCall.class);
    if (scope == null) return;
    try {
      scope.scope.close();
      scope.subject.result(ToolResults.text(result));
      if (ToolResults.isError(result) && scope.subject.failure() == null) {
        scope.subject.failure(new ToolResults.ToolReportedError());
      }
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j tool end", t);
    }
    AGENTS.endTool(scope.context, scope.subject, unwrap(error));
  }

  /** A chaos drill's fault for the tool span in progress, at the tool method's start (see ToolFaults). */
  public static Object toolFaultEnter() {
    return dev.llmotel.core.ToolFaults.enter(Context.current(), LangChain4jCalls.class.getClassLoader());
  }

  /** An injected failure as the reflective call of the tool method would throw the tool's own: wrapped. */
  public static Throwable toolFaultThrown(Object fault, Throwable error) {
    return dev.llmotel.core.ToolFaults.thrown(fault, error, java.lang.reflect.InvocationTargetException::new);
  }

  /**
   * The tool's result with a drill's result fault applied: a text result as it is, LangChain4j 1.x's
   * ToolExecutionResult (the reflective executor's own return from 1.4) rebuilt around the new text.
   */
  public static Object toolFaultResult(Object fault, Object result) {
    if (!(fault instanceof dev.llmotel.core.faults.ToolFault) || result == null || result instanceof String) {
      return dev.llmotel.core.ToolFaults.result(fault, result);
    }
    try {
      Object text = result.getClass().getMethod("resultText").invoke(result);
      Object replaced = dev.llmotel.core.ToolFaults.result(fault, text);
      Object builder = result.getClass().getMethod("builder").invoke(null);
      builder.getClass().getMethod("result", Object.class).invoke(builder, replaced);
      builder.getClass().getMethod("resultText", String.class).invoke(builder, String.valueOf(replaced));
      return builder.getClass().getMethod("build").invoke(builder);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j tool fault result", t);
      return result;
    }
  }

  /**
   * The tool method itself threw (LangChain4j catches it and hands the model the message): the
   * tool span in progress records the exception, so it ends in error.
   */
  public static void toolMethodThrew(Throwable error) {
    try {
      ToolCall tool = AgentInstrumenter.currentTool(Context.current());
      if (tool != null && error != null) tool.failure(unwrap(error));
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j tool failure", t);
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof InvocationTargetException && error.getCause() != null ? error.getCause() : error;
  }

  private LangChain4jCalls() {}
}
