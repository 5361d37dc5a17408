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
    observer.exceptionOccurred(throwable, delegate::exceptionOccurred);
  }

  @Override
  public void complete() {
    observer.complete(delegate::exceptionOccurred, delegate::complete);
  }
}
