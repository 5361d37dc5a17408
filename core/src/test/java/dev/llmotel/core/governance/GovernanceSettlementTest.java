package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.PolicyDecision;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

/**
 * A call's budget reservation from admission to settlement, whatever the call's end: the estimate
 * is held while the call runs and replaced by what it really cost when it ends (nothing for a call
 * that failed before the provider counted anything, the estimate of a stream that reported no usage).
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
    LlmCall c = new LlmCall("openai", "chat").requestModel(model).maxTokens(maxTokens);
    c.inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("What is the capital of France?")));
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
    assertNull(c.refusal());
    double estimate = c.estimatedCostUsd();
    assertEquals(Fingerprints.estimateInputTokens(c) * IN + 500 * OUT, estimate, 1e-15);
    assertEquals(estimate, spent(g), 1e-15, "reserved before the call is sent");
    c.usage(14L, 9L);
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
    c.streaming(true);
    g.beforeCall(Context.root(), c);
    c.onChunk();
    c.addOutputCharacters(400); // what the app read before it closed the stream
    g.afterCall(c, 1_000_000);
    assertTrue(c.usageEstimated());
    assertEquals(Long.valueOf(100), c.outputTokens(), "400 characters at about 4 a token");
    assertEquals(Long.valueOf(Fingerprints.estimateInputTokens(c)), c.inputTokens());
    assertEquals(c.inputTokens() * IN + 100 * OUT, spent(g), 1e-15);
    assertEquals(spent(g), c.costUsd(), 1e-15);
  }

  @Test
  void aStreamThatFailedBeforeItsFirstChunkSpentNothing() {
    Governance g = governance(budget());
    LlmCall c = call("gpt-4o-mini", 500);
    c.streaming(true);
    g.beforeCall(Context.root(), c);
    g.afterCall(c, 1_000_000);
    assertFalse(c.usageEstimated());
    assertEquals(0.0, spent(g), 1e-15);
  }

  @Test
  void aCallWithoutAnOutputCapReservesTheConfiguredEstimate() {
    PolicySettings s = budget();
    s.estimatedOutputTokens = 2000;
    Governance g = governance(s);
    LlmCall c = new LlmCall("openai", "chat").requestModel("gpt-4o-mini");
    c.inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("hi")));
    g.beforeCall(Context.root(), c);
    assertEquals(Fingerprints.estimateInputTokens(c) * IN + 2000 * OUT, c.estimatedCostUsd(), 1e-15);
  }

  @Test
  void unpricedModelsPassByDefaultAndAreRefusedWhenTheOperatorSaysSo() {
    LlmCall allowed = call("acme-llm-9000", 10);
    governance(budget()).beforeCall(Context.root(), allowed);
    assertNull(allowed.refusal());
    PolicySettings strict = budget();
    strict.unpricedRefused = true;
    LlmCall refused = call("acme-llm-9000", 10);
    governance(strict).beforeCall(Context.root(), refused);
    PolicyDecision d = refused.refusal();
    assertNotNull(d);
    assertEquals("cost", d.policy);
    assertTrue(d.message.contains("no price is known for openai acme-llm-9000"), d.message);
    LlmCall priced = call("gpt-4o-mini", 10);
    governance(strict).beforeCall(Context.root(), priced);
    assertNull(priced.refusal(), "only unpriced models are refused");
  }

  @Test
  void aCallThatMayNotBeRefusedIsStillCountedAgainstTheLimits() {
    PolicySettings s = new PolicySettings();
    s.rateLimitMode = PolicySettings.Mode.ENFORCE;
    s.callsPerMinute = 1;
    Governance g = governance(s);
    LlmCall unread = call("gpt-4o-mini", 10);
    unread.policiesMonitorOnly(); // a plain-HTTP body that could not be read before sending
    g.beforeCall(Context.root(), unread);
    assertNull(unread.refusal());
    LlmCall next = call("gpt-4o-mini", 10);
    g.beforeCall(Context.root(), next);
    assertEquals("rate_limit", next.refusal().policy, "the unread call took the one slot");
    LlmCall unreadAgain = call("gpt-4o-mini", 10);
    unreadAgain.policiesMonitorOnly();
    g.beforeCall(Context.root(), unreadAgain);
    assertNull(unreadAgain.refusal());
    assertEquals(PolicyDecision.WOULD_REFUSE, unreadAgain.policyDecisions().get(0).decision);
  }
}
