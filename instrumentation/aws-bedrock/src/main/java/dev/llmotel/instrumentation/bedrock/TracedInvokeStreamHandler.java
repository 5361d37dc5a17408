package dev.llmotel.instrumentation.bedrock;

import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

/** The app's InvokeModelWithResponseStream handler, seen from the side (see {@link EventStreamObserver}). */
final class TracedInvokeStreamHandler implements InvokeModelWithResponseStreamResponseHandler {
  private final InvokeModelWithResponseStreamResponseHandler delegate;
  private final EventStreamObserver<ResponseStream> observer;

  TracedInvokeStreamHandler(InvokeModelWithResponseStreamResponseHandler delegate, EventStreamObserver<ResponseStream> observer) {
    this.delegate = delegate;
    this.observer = observer;
  }

  @Override
  public void responseReceived(InvokeModelWithResponseStreamResponse response) {
    delegate.responseReceived(response);
  }

  @Override
  public void onEventStream(SdkPublisher<ResponseStream> publisher) {
    delegate.onEventStream(observer.observe(publisher));
  }

  @Override
  public void exceptionOccurred(Throwable throwable) {
    try {
      delegate.exceptionOccurred(throwable);
    } finally {
      observer.failed(throwable);
    }
  }

  /** The span ends first: an answer the output_validation policy rejected reaches the app as the handler's exception. */
  @Override
  public void complete() {
    Throwable rejection = null;
    try {
      rejection = observer.completed();
    } catch (Throwable t) {
      dev.llmotel.core.SafeHooks.failed("bedrock stream end", t);
    }
    if (rejection != null) {
      delegate.exceptionOccurred(rejection);
    } else {
      delegate.complete();
    }
  }
}
