package dev.llmotel.core.evaluation;

import dev.llmotel.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request to a judge (an OpenAI-compatible chat completions endpoint) and its answer, with the
 * JDK alone: the online {@link JudgeClient} wraps it in a traced, budgeted call, the offline command
 * (which runs from the extension jar, without the OpenTelemetry API) uses it as it is. The whole
 * exchange stays within the timeout (a judge that trickles its answer is slow too); the answer read
 * is bounded. Never retried.
 */
public final class JudgeExchange {
  /** Largest judge answer read: a verdict is a few hundred bytes. */
  static final int MAX_ANSWER_BYTES = 256 * 1024;

  private final String baseUrl;
  private final String apiKey;
  private final long timeoutMillis;

  public JudgeExchange(String baseUrl, String apiKey, long timeoutMillis) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Posts the request body and returns the chat completion the judge answered, parsed; or a
   * {@link JudgeFailure}: {@code judge_timeout}, {@code judge_error} (an HTTP error status, a broken
   * connection; its cause is the I/O exception), {@code judge_invalid} (not a chat completion, too large).
   */
  public Map<?, ?> send(String body) throws JudgeFailure {
    String answer;
    try {
      answer = post(body);
    } catch (SocketTimeoutException e) {
      throw new JudgeFailure(JudgeFailure.TIMEOUT, "the judge did not answer within " + timeoutMillis + " ms", e);
    } catch (IOException | RuntimeException e) {
      throw new JudgeFailure(JudgeFailure.ERROR, "the judge call failed: " + e.getClass().getSimpleName(), e);
    }
    Map<?, ?> completion = asMap(answer);
    if (completion == null) throw new JudgeFailure(JudgeFailure.INVALID, "the judge's response is not a chat completion");
    return completion;
  }

  /** choices[0].message.content of a chat completion: the verdict's text, or null. */
  public static String content(Map<?, ?> completion) {
    Object choices = completion.get("choices");
    if (!(choices instanceof List) || ((List<?>) choices).isEmpty()) return null;
    Object first = ((List<?>) choices).get(0);
    if (!(first instanceof Map)) return null;
    Object message = ((Map<?, ?>) first).get("message");
    if (!(message instanceof Map)) return null;
    Object content = ((Map<?, ?>) message).get("content");
    return content instanceof String ? (String) content : null;
  }

  private String post(String body) throws IOException, JudgeFailure {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    URL url = new URL(baseUrl.replaceAll("/+$", "") + "/chat/completions");
    HttpURLConnection http = (HttpURLConnection) url.openConnection();
    try {
      http.setConnectTimeout((int) Math.min(timeoutMillis, 5_000));
      http.setReadTimeout((int) timeoutMillis);
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setRequestProperty("Content-Type", "application/json");
      if (apiKey != null && !apiKey.isEmpty()) http.setRequestProperty("Authorization", "Bearer " + apiKey);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      http.setFixedLengthStreamingMode(bytes.length);
      try (OutputStream out = http.getOutputStream()) {
        out.write(bytes);
      }
      int status = http.getResponseCode();
      if (status / 100 != 2) {
        drain(http.getErrorStream());
        throw new JudgeFailure(JudgeFailure.ERROR, "the judge answered HTTP " + status);
      }
      return read(http.getInputStream(), deadline);
    } finally {
      http.disconnect();
    }
  }

  private static String read(InputStream in, long deadline) throws IOException, JudgeFailure {
    if (in == null) return null;
    try (InputStream s = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
      byte[] buf = new byte[8192];
      for (int n; (n = s.read(buf)) > 0; ) {
        if (out.size() + n > MAX_ANSWER_BYTES) throw new JudgeFailure(JudgeFailure.INVALID, "the judge's answer is too large");
        if (System.nanoTime() > deadline) throw new SocketTimeoutException("the judge's answer took too long");
        out.write(buf, 0, n);
      }
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
  }

  private static void drain(InputStream in) {
    if (in == null) return;
    try (InputStream s = in) {
      byte[] buf = new byte[8192];
      int total = 0;
      for (int n; (n = s.read(buf)) > 0 && total < MAX_ANSWER_BYTES; ) total += n;
    } catch (IOException ignored) {
      // the status already says what went wrong
    }
  }

  private static Map<?, ?> asMap(String text) {
    if (text == null) return null;
    try {
      Object o = Json.parse(text);
      return o instanceof Map ? (Map<?, ?>) o : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
