package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmScope;
import dev.llmotel.core.PolicyDecision;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A call's budget reservation from admission to settlement, whatever the call's end: the estimate
 * is held while the call runs and replaced by what it really cost when it ends (nothing for a call
 * that failed before the provider counted anything, the estimate of a stream that reported no usage).
 * The ends by an enforced timeout and by the app's cancelling an async call go through {@link
 * LlmInstrumenter}, as a library's advice does: a real socket that times out at the policy's ceiling, a
 * future the app cancels.
 */
class GovernanceSettlementTest {
  /** gpt-4o-mini as bundled: 0.15 USD per million input tokens, 0.60 per million output tokens. */
  static final double IN = 0.15e-6;
  static final double OUT = 0.60e-6;

  static Governance governance(PolicySettings s) {
    return new Governance(PromptRegistry.EMPTY, PriceTable.bundled(), s, 100);
  }

  static PolicySettings budget() {
    PolicySettings s = new PolicySettings();
    s.costMode = PolicySettings.Mode.ENFORCE;
    s.processCaps.perHour = 1.0;
    return s;
  }

  static LlmCall call(String model, long maxTokens) {
    LlmCall c = new LlmCall("openai", "chat").request().requestModel(model).maxTokens(maxTokens).call();
    c.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("What is the capital of France?")));
    return c;
  }

  static double spent(Governance g) {
    return g.spent("cost/process")[1];
  }

  @Test
  void theEstimateIsHeldWhileTheCallRunsAndSettlesToTheRealCost() {
    Governance g = governance(budget());
    LlmCall c = call("gpt-4o-mini", 500);
    g.beforeCall(Context.root(), c);
    assertNull(c.governance().refusal());
    double estimate = c.governance().estimatedCostUsd();
    assertEquals(Fingerprints.estimateInputTokens(c) * IN + 500 * OUT, estimate, 1e-15);
    assertEquals(estimate, spent(g), 1e-15, "reserved before the call is sent");
    c.response().usage(14L, 9L);
    g.afterCall(c, 1_000_000);
    assertEquals(14 * IN + 9 * OUT, spent(g), 1e-15, "settled to the reported usage");
  }

  @Test
  void aFailedCallGivesItsReservationBack() {
    Governance g = governance(budget());
    LlmCall c = call("gpt-4o-mini", 500);
    g.beforeCall(Context.root(), c);
    assertTrue(spent(g) > 0);
    g.afterCall(c, 1_000_000); // a 500 or a timeout: no usage reported
    assertEquals(0.0, spent(g), 1e-15);
  }

  @Test
  void aCancelledStreamSettlesToItsEstimatedUsageAndSaysSo() {
    Governance g = governance(budget());
    LlmCall c = call("gpt-4o-mini", 500);
    c.request().streaming(true);
    g.beforeCall(Context.root(), c);
    c.response().onChunk();
    c.response().addOutputCharacters(400); // what the app read before it closed the stream
    g.afterCall(c, 1_000_000);
    assertTrue(c.response().usageEstimated());
    assertEquals(Long.valueOf(100), c.response().outputTokens(), "400 characters at about 4 a token");
    assertEquals(Long.valueOf(Fingerprints.estimateInputTokens(c)), c.response().inputTokens());
    assertEquals(c.response().inputTokens() * IN + 100 * OUT, spent(g), 1e-15);
    assertEquals(spent(g), c.governance().costUsd(), 1e-15);
  }

  @Test
  void aStreamThatFailedBeforeItsFirstChunkSpentNothing() {
    Governance g = governance(budget());
    LlmCall c = call("gpt-4o-mini", 500);
    c.request().streaming(true);
    g.beforeCall(Context.root(), c);
    g.afterCall(c, 1_000_000);
    assertFalse(c.response().usageEstimated());
    assertEquals(0.0, spent(g), 1e-15);
  }

  @Test
  void aCallWithoutAnOutputCapReservesTheConfiguredEstimate() {
    PolicySettings s = budget();
    s.estimatedOutputTokens = 2000;
    Governance g = governance(s);
    LlmCall c = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    c.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("hi")));
    g.beforeCall(Context.root(), c);
    assertEquals(Fingerprints.estimateInputTokens(c) * IN + 2000 * OUT, c.governance().estimatedCostUsd(), 1e-15);
  }

  @Test
  void unpricedModelsPassByDefaultAndAreRefusedWhenTheOperatorSaysSo() {
    LlmCall allowed = call("acme-llm-9000", 10);
    governance(budget()).beforeCall(Context.root(), allowed);
    assertNull(allowed.governance().refusal());
    PolicySettings strict = budget();
    strict.unpricedRefused = true;
    LlmCall refused = call("acme-llm-9000", 10);
    governance(strict).beforeCall(Context.root(), refused);
    PolicyDecision d = refused.governance().refusal();
    assertNotNull(d);
    assertEquals("cost", d.policy);
    assertTrue(d.message.contains("no price is known for openai acme-llm-9000"), d.message);
    LlmCall priced = call("gpt-4o-mini", 10);
    governance(strict).beforeCall(Context.root(), priced);
    assertNull(priced.governance().refusal(), "only unpriced models are refused");
  }

  @Test
  void aCallThatMayNotBeRefusedIsStillCountedAgainstTheLimits() {
    PolicySettings s = new PolicySettings();
    s.rateLimitMode = PolicySettings.Mode.ENFORCE;
    s.callsPerMinute = 1;
    Governance g = governance(s);
    LlmCall unread = call("gpt-4o-mini", 10);
    unread.governance().policiesMonitorOnly(); // a plain-HTTP body that could not be read before sending
    g.beforeCall(Context.root(), unread);
    assertNull(unread.governance().refusal());
    LlmCall next = call("gpt-4o-mini", 10);
    g.beforeCall(Context.root(), next);
    assertEquals("rate_limit", next.governance().refusal().policy, "the unread call took the one slot");
    LlmCall unreadAgain = call("gpt-4o-mini", 10);
    unreadAgain.governance().policiesMonitorOnly();
    g.beforeCall(Context.root(), unreadAgain);
    assertNull(unreadAgain.governance().refusal());
    assertEquals(PolicyDecision.WOULD_REFUSE, unreadAgain.governance().policyDecisions().get(0).decision);
  }

  /** A budget that fits the estimate of one {@code call("gpt-4o-mini", 500)}, not two. */
  static PolicySettings budgetForOneCall() {
    PolicySettings s = new PolicySettings();
    s.costMode = PolicySettings.Mode.ENFORCE;
    s.processCaps.perHour = 1.5 * (Fingerprints.estimateInputTokens(call("gpt-4o-mini", 500)) * IN + 500 * OUT);
    return s;
  }

  static LlmInstrumenter instrumenter() {
    return LlmInstrumenter.create(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build())
        .build(), "settlement-test", "1.0");
  }

  /**
   * Runs the body with {@code g} as the JVM's governance, the one {@link LlmInstrumenter} uses, and puts
   * the previous one back.
   */
  static void withGovernance(Governance g, Executable body) throws Throwable {
    Field instance = Governance.class.getDeclaredField("instance");
    instance.setAccessible(true);
    Object previous = instance.get(null);
    instance.set(null, g);
    try {
      body.execute();
    } finally {
      instance.set(null, previous);
    }
  }

  /** Starts a call as a library would; returns the policy that refused it (null: admitted). Ends it. */
  static PolicyDecision nextCall(LlmInstrumenter instrumenter) {
    LlmCall c = call("gpt-4o-mini", 500);
    Context context = instrumenter.start(Context.root(), c);
    PolicyDecision refusal = c.governance().refusal();
    instrumenter.end(context, c, refusal == null ? null : new IOException("refused by " + refusal.policy));
    return refusal;
  }

  /** A POST with the read timeout the policy sets, the way an SDK applies it as its own. */
  static HttpURLConnection post(int port, long readTimeoutMillis) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/v1/chat/completions")
        .openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout((int) readTimeoutMillis);
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    try (OutputStream out = c.getOutputStream()) {
      out.write("{\"model\":\"gpt-4o-mini\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8));
    }
    return c;
  }

  @Test
  void aCallEndedByTheEnforcedTimeoutGivesItsReservationBack() throws Throwable {
    PolicySettings s = budgetForOneCall();
    s.timeoutMode = PolicySettings.Mode.ENFORCE;
    s.timeoutMillis = 300;
    Governance g = governance(s);
    LlmInstrumenter instrumenter = instrumenter();
    // A provider that takes the request and never answers (the kernel accepts the connection).
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      withGovernance(g, () -> {
        LlmCall c = call("gpt-4o-mini", 500);
        Context context = instrumenter.start(Context.root(), c);
        assertNull(c.governance().refusal());
        assertEquals(c.governance().estimatedCostUsd(), spent(g), 1e-15, "reserved while the call waits");
        assertEquals("cost", nextCall(instrumenter).policy, "the reservation leaves no room for a second call");
        long ceiling = LlmInstrumenter.enforcedTimeoutsMillis(c)[0];
        assertEquals(300, ceiling, "the ceiling the library applies as its own timeout");
        long t0 = System.nanoTime();
        SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class,
            () -> post(silent.getLocalPort(), ceiling).getResponseCode());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(ceiling), "ended by the timeout");
        instrumenter.end(context, c, timeout);
        assertEquals(0.0, spent(g), 1e-15, "settled: the provider counted nothing");
        assertNull(nextCall(instrumenter), "the budget is free again");
      });
    }
  }

  @Test
  void aStreamEndedByTheEnforcedTimeoutSettlesToWhatItDelivered() throws Throwable {
    PolicySettings s = budgetForOneCall();
    s.timeoutMode = PolicySettings.Mode.ENFORCE;
    s.timeoutMillis = 10_000;
    s.firstChunkMillis = 300;
    Governance g = governance(s);
    LlmInstrumenter instrumenter = instrumenter();
    String answer = "The capital of France is Paris, I think."; // 40 characters: 10 tokens at about 4 a token
    CountDownLatch done = new CountDownLatch(1);
    // A provider that sends one chunk of its stream, then stalls.
    try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread server = new Thread(() -> {
        try (Socket socket = stalling.accept()) {
          InputStream in = socket.getInputStream();
          for (int last = 0, b; (b = in.read()) >= 0; ) {
            last = last << 8 | b;
            if (last == 0x0D0A0D0A) break; // the end of the request's headers
          }
          socket.getOutputStream().write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"
              + "data: {\"choices\":[{\"delta\":{\"content\":\"" + answer + "\"}}]}\n\n")
              .getBytes(StandardCharsets.UTF_8));
          socket.getOutputStream().flush();
          done.await(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // the test has ended
        }
      });
      server.setDaemon(true);
      server.start();
      try {
        withGovernance(g, () -> {
          LlmCall c = call("gpt-4o-mini", 500);
          c.request().streaming(true);
          Context context = instrumenter.start(Context.root(), c);
          assertNull(c.governance().refusal());
          double estimate = c.governance().estimatedCostUsd();
          assertEquals(estimate, spent(g), 1e-15);
          long wait = LlmInstrumenter.enforcedTimeoutsMillis(c)[1];
          assertEquals(300, wait, "the longest wait for data the library applies as its read timeout");
          HttpURLConnection connection = post(stalling.getLocalPort(), wait);
          SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class, () -> {
            BufferedReader lines = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
              if (line.startsWith("data: ")) { // the library's stream mapping
                c.response().onChunk();
                c.response().addOutputCharacters(answer.length());
              }
            }
          });
          assertEquals(1, c.response().chunkCount(), "one chunk came before the timeout");
          instrumenter.end(context, c, timeout);
          assertTrue(c.response().usageEstimated(), "the provider reported no usage: llm-otel estimated it");
          double delivered = Fingerprints.estimateInputTokens(c) * IN + 10 * OUT;
          assertEquals(delivered, spent(g), 1e-15, "settled to what the stream delivered, not the reservation");
          assertTrue(delivered < estimate / 10);
          assertNull(nextCall(instrumenter), "the budget has room for the next call again");
        });
      } finally {
        done.countDown();
      }
    }
  }

  @Test
  void anAsyncCallTheAppCancelsGivesItsReservationBack() throws Throwable {
    Governance g = governance(budgetForOneCall());
    LlmInstrumenter instrumenter = instrumenter();
    withGovernance(g, () -> {
      LlmCall c = call("gpt-4o-mini", 500);
      Context context = instrumenter.start(Context.root(), c);
      assertNull(c.governance().refusal());
      // What the SDK's async method returns; its exit advice hands it to endWhenComplete.
      CompletableFuture<Object> future = new CompletableFuture<>();
      instrumenter.endWhenComplete(new LlmScope(c, context), future, null,
          (call, response) -> fail("a cancelled call has no response to map"));
      assertEquals(c.governance().estimatedCostUsd(), spent(g), 1e-15, "held while the call is pending");
      assertEquals("cost", nextCall(instrumenter).policy, "no room for a second call meanwhile");
      assertTrue(future.cancel(true), "the app gives up on the call");
      assertTrue(c.ended());
      assertEquals(0.0, spent(g), 1e-15, "settled: nothing was answered");
      assertNull(nextCall(instrumenter), "the budget is free again");
    });
  }

  @Test
  void anAsyncCallCancelledWithItsRequestInFlightSettlesWhenTheRequestEnds() throws Throwable {
    Governance g = governance(budgetForOneCall());
    LlmInstrumenter instrumenter = instrumenter();
    withGovernance(g, () -> {
      LlmCall c = call("gpt-4o-mini", 500);
      int attempt = cancelWithItsRequestInFlight(instrumenter, c);
      // The app's future is cancelled, but the request it started still runs and may still be billed.
      assertFalse(c.ended(), "the call waits for its request in flight");
      assertEquals(c.governance().estimatedCostUsd(), spent(g), 1e-15, "and so does its reservation");
      assertEquals("cost", nextCall(instrumenter).policy);
      c.attemptLog().finishAttempt(attempt, null, null, new IOException("Canceled"), null);
      assertTrue(c.ended());
      assertEquals(0.0, spent(g), 1e-15, "settled once the request failed: nothing was answered");
      assertNull(nextCall(instrumenter), "the budget is free again");
    });
  }

  /**
   * The app cancels while its request is in flight, and the provider answers after all: billed,
   * so the call keeps what its reservation assumed, as estimated usage, instead of counting nothing.
   */
  @Test
  void anAsyncCallCancelledWhileTheProviderAnswersKeepsItsEstimate() throws Throwable {
    Governance g = governance(budgetForOneCall());
    LlmInstrumenter instrumenter = instrumenter();
    withGovernance(g, () -> {
      LlmCall c = call("gpt-4o-mini", 500);
      c.attemptLog().finishAttempt(cancelWithItsRequestInFlight(instrumenter, c), 200, null, null, "req-1");
      assertTrue(c.ended());
      assertTrue(c.response().usageEstimated(), "the answer was never read: its usage is estimated");
      assertEquals(500L, c.response().outputTokens(), "the request's maximum output");
      assertEquals(c.governance().estimatedCostUsd(), spent(g), 1e-15, "settled to what the reservation assumed");
      assertEquals("cost", nextCall(instrumenter).policy, "and the budget stays spent");
    });
  }

  /**
   * Starts the call as an async SDK call whose HTTP request is under way, then the app cancels the
   * future it was given: returns the number of the attempt still in flight.
   */
  private static int cancelWithItsRequestInFlight(LlmInstrumenter instrumenter, LlmCall c) {
    Context context = instrumenter.start(Context.root(), c);
    int attempt = c.attemptLog().startAttempt();
    CompletableFuture<Object> future = new CompletableFuture<>();
    instrumenter.endWhenComplete(new LlmScope(c, context), future, null,
        (call, response) -> fail("a cancelled call has no response to map"));
    assertTrue(future.cancel(true), "the app gives up on the call");
    return attempt;
  }
}
