package dev.llmotel.smoke.unsupported;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/** One chat call with an openai-java release below the supported range, inside an app span. */
public final class UnsupportedSdkApp {
  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(args[0]).apiKey("sk-unsupported-0123456789abcdef")
        .build();
    Span span = GlobalOpenTelemetry.getTracer("smoke-app").spanBuilder("scenario unsupported").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      String answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
          .model(ChatModel.GPT_4O_MINI).addUserMessage("hello").build())
          .choices().get(0).message().content().orElse("");
      System.out.println("RESULT unsupported ok " + answer);
    } catch (RuntimeException e) {
      System.out.println("RESULT unsupported error " + e.getClass().getName());
    } finally {
      span.end();
    }
    System.out.println("DONE");
    System.exit(0);
  }
}
