package dev.llmotel.instrumentation.openai;

import com.openai.core.RequestOptions;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/** ClientOptions need an HTTP client; the mapping tests never send anything. */
final class NoHttpClient implements HttpClient {
  @Override
  public HttpResponse execute(HttpRequest request, RequestOptions options) {
    throw new UnsupportedOperationException("mapping tests make no HTTP calls");
  }

  @Override
  public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
    throw new UnsupportedOperationException("mapping tests make no HTTP calls");
  }

  @Override
  public void close() {}
}
