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
    observer.exceptionOccurred(throwable, delegate::exceptionOccurred);
  }

  @Override
  public void complete() {
    observer.complete(delegate::exceptionOccurred, delegate::complete);
  }
}
