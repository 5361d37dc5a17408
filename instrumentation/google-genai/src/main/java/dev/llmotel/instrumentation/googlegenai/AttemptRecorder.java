package dev.llmotel.instrumentation.googlegenai;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.SafeHooks;
import io.opentelemetry.context.Context;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The SDK's RetryInterceptor (the OkHttp-based releases) proceeds once per attempt on the chain it
 * is given; handing it a chain that notes each attempt's outcome shows every retry and why. The
 * chain is a proxy of OkHttp's own interface, so nothing here is compiled against OkHttp.
 */
final class AttemptRecorder implements InvocationHandler {
  private final Object chain;
  private final LlmCall call;

  private AttemptRecorder(Object chain, LlmCall call) {
    this.chain = chain;
    this.call = call;
  }

  static Object wrap(Object chain) {
    try {
      LlmCall call = LlmInstrumenter.currentCall(Context.current());
      if (call == null || chain == null) return chain;
      Class<?> chainType = chainInterface(chain.getClass());
      if (chainType == null) return chain;
      return Proxy.newProxyInstance(chainType.getClassLoader(), new Class<?>[] {chainType},
          new AttemptRecorder(chain, call));
    } catch (Throwable t) {
      SafeHooks.failed("google-genai retry tracking", t);
      return chain;
    }
  }

  private static Class<?> chainInterface(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if ("okhttp3.Interceptor$Chain".equals(i.getName())) return i;
      }
    }
    return null;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Object result;
    try {
      result = method.invoke(chain, args);
    } catch (InvocationTargetException e) {
      if ("proceed".equals(method.getName())) record(null, e.getCause());
      throw e.getCause();
    }
    if ("proceed".equals(method.getName())) record(result, null);
    return result;
  }

  private void record(Object response, Throwable error) {
    try {
      SafeHooks.checkpoint("attempt");
      Integer status = null;
      String retryAfter = null;
      if (response != null) {
        status = (Integer) response.getClass().getMethod("code").invoke(response);
        retryAfter = (String) response.getClass().getMethod("header", String.class).invoke(response, "retry-after");
      }
      call.attemptLog().recordAttempt(status, retryAfter, error, null);
    } catch (Throwable t) {
      SafeHooks.failed("google-genai attempt", t);
    }
  }
}
