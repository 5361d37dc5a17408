package dev.llmotel.instrumentation.bedrock;

import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/** The app's ConverseStream handler, seen from the side (see {@link EventStreamObserver}). */
final class TracedConverseStreamHandler implements ConverseStreamResponseHandler {
  private final ConverseStreamResponseHandler delegate;
  private final EventStreamObserver<ConverseStreamOutput> observer;

  TracedConverseStreamHandler(ConverseStreamResponseHandler delegate, EventStreamObserver<ConverseStreamOutput> observer) {
    this.delegate = delegate;
    this.observer = observer;
  }

  @Override
  public void responseReceived(ConverseStreamResponse response) {
    delegate.responseReceived(response);
  }

  @Override
  public void onEventStream(SdkPublisher<ConverseStreamOutput> publisher) {
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
