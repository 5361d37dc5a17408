package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.api.EncodingType;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tokenizer's vocabulary loads on a daemon thread; until then the documented estimate answers. */
class TokenizersBackgroundTest {
  private CountDownLatch gate;

  @BeforeEach
  void holdTheLoaderBack() {
    Tokenizers.resetForTests();
    gate = new CountDownLatch(1);
    Tokenizers.loadGate = gate;
  }

  @AfterEach
  void release() {
    gate.countDown();
    Tokenizers.loadGate = null;
  }

  private static LlmCall call(String model) {
    LlmCall call = new LlmCall("openai", "chat").request().requestModel(model).call();
    call.request().systemInstructions().add(LlmMessage.Part.text("You are terse."));
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("Hello world")));
    return call;
  }

  @Test
  void theEstimateAnswersUntilTheVocabularyIsLoadedInTheBackgroundThenTheTokenizer() throws Exception {
    LlmCall call = call("gpt-4o-mini");
    long estimate = Fingerprints.estimateInputTokens(call);
    // The loader is held back: a call that blocked on it would time out here.
    long now = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Tokenizers.inputTokensNow(call));
    assertEquals(estimate, now);
    assertFalse(Tokenizers.isReady(EncodingType.O200K_BASE));
    Thread loader = loaderThread();
    assertTrue(loader != null && loader.isDaemon(), "a daemon thread named " + Tokenizers.THREAD_NAME);
    assertEquals(estimate, Tokenizers.inputTokensNow(call), "still loading: still the estimate");

    gate.countDown();
    assertTrue(Tokenizers.awaitReady(EncodingType.O200K_BASE, 120_000));
    // o200k: "You are terse." = 4 tokens, "Hello world" = 2, "user" = 1; 3 per message, 3 to prime the reply.
    assertEquals(3 + (3 + 4) + (3 + 1 + 2), Tokenizers.inputTokensNow(call));
    assertEquals(Tokenizers.countInputTokens(call), Tokenizers.inputTokensNow(call));
    // Another vocabulary is loaded the same way when first needed.
    LlmCall older = call("gpt-4-turbo");
    assertFalse(Tokenizers.isReady(EncodingType.CL100K_BASE));
    assertEquals(Fingerprints.estimateInputTokens(older), Tokenizers.inputTokensNow(older));
    assertTrue(Tokenizers.awaitReady(EncodingType.CL100K_BASE, 120_000));
    assertEquals(Tokenizers.countInputTokens(older), Tokenizers.inputTokensNow(older));
  }

  @Test
  void prepareStartsLoadingAndReturnsAtOnce() throws Exception {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      Tokenizers.prepare();
      Tokenizers.prepare();
    });
    assertTrue(loaderThread() != null);
    assertFalse(Tokenizers.isReady(EncodingType.O200K_BASE));
    gate.countDown();
    assertTrue(Tokenizers.awaitReady(EncodingType.O200K_BASE, 120_000));
  }

  @Test
  void otherModelsAreEstimatedAndLoadNothing() {
    LlmCall claude = new LlmCall("anthropic", "chat").request().requestModel("claude-sonnet-4").call();
    claude.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("12345678")));
    assertEquals(Fingerprints.estimateInputTokens(claude), Tokenizers.inputTokensNow(claude));
    assertFalse(Tokenizers.isStarted(EncodingType.O200K_BASE) || Tokenizers.isStarted(EncodingType.CL100K_BASE));
  }

  @Test
  void theTextEstimateIsFourCharactersAToken() {
    assertEquals(0, Tokenizers.estimateTextTokens(0));
    assertEquals(1, Tokenizers.estimateTextTokens(1));
    assertEquals(1, Tokenizers.estimateTextTokens(4));
    assertEquals(2, Tokenizers.estimateTextTokens(5));
    assertEquals(50_000, Tokenizers.estimateTextTokens(200_000));
  }

  @Test
  void theBoundCoversTheTokenizerAndTheEstimateAlike() {
    // Text that tokenizes densely (digits and symbols: about one token per 1-3 characters).
    StringBuilder dense = new StringBuilder();
    for (int i = 0; i < 3000; i++) dense.append(i * 7919 % 1000).append("#{}|");
    LlmCall call = call("gpt-4o-mini");
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text(dense.toString())));
    gate.countDown();
    long counted = Tokenizers.countInputTokens(call);
    long estimated = Fingerprints.estimateInputTokens(call);
    assertTrue(Tokenizers.mayExceed(call, counted - 1));
    assertTrue(Tokenizers.mayExceed(call, estimated - 1));
  }

  private static Thread loaderThread() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (Tokenizers.THREAD_NAME.equals(t.getName()) && t.isAlive()) return t;
    }
    return null;
  }
}
