package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.PolicyDecision;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spend is never silently zero: a call to a model without a price is counted in
 * llm_otel.cost.unpriced every time and warned about once per model; refusing such calls is the
 * operator's choice and, like every refusal, only in enforce mode.
 */
class UnpricedModelsTest {
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final List<LogRecord> warnings = new ArrayList<>();
  private final Logger logger = Logger.getLogger(Governance.class.getName());
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void meterAndLog() {
    GovernanceMetrics.useMeter(SdkMeterProvider.builder().registerMetricReader(reader).build().get("test"));
    logger.addHandler(handler);
  }

  @AfterEach
  void restore() {
    logger.removeHandler(handler);
  }

  @Test
  void everyUnpricedCallIsCountedAndEachModelWarnedAboutOnce() {
    Governance g = GovernanceSettlementTest.governance(new PolicySettings());
    for (String model : new String[] {"acme-llm-1", "acme-llm-1", "acme-llm-2", "gpt-4o-mini"}) {
      LlmCall c = GovernanceSettlementTest.call(model, 10);
      g.beforeCall(Context.root(), c);
      c.response().usage(100L, 10L);
      g.afterCall(c, 1_000_000);
      if (model.startsWith("acme")) assertNull(c.governance().costUsd(), "no price, no cost for " + model);
    }
    assertEquals(2, warnings.size(), "one warning per unpriced model");
    assertEquals("acme-llm-1", warnings.get(0).getParameters()[1]);
    assertEquals("acme-llm-2", warnings.get(1).getParameters()[1]);
    assertEquals(2L, unpricedCount("acme-llm-1"));
    assertEquals(1L, unpricedCount("acme-llm-2"));
    assertEquals(0L, unpricedCount("gpt-4o-mini"));
  }

  @Test
  void refusingUnpricedModelsOnlyRecordsWhatItWouldDoInMonitorMode() {
    PolicySettings s = GovernanceSettlementTest.budget();
    s.costMode = PolicySettings.Mode.MONITOR;
    s.unpricedRefused = true;
    LlmCall c = GovernanceSettlementTest.call("acme-llm-3", 10);
    GovernanceSettlementTest.governance(s).beforeCall(Context.root(), c);
    assertNull(c.governance().refusal(), "monitor mode never refuses");
    PolicyDecision d = c.governance().policyDecisions().stream().filter(x -> "cost".equals(x.policy)).findFirst()
        .orElseThrow(() -> new AssertionError("no cost decision: " + c.governance().policyDecisions()));
    assertEquals(PolicyDecision.WOULD_REFUSE, d.decision);
    assertTrue(d.message.contains("no price is known for openai acme-llm-3"), d.message);
  }

  /** A call that names no model at all is warned about as such, once, not as a model called "null". */
  @Test
  void aCallThatNamesNoModelIsWarnedAboutAsSuch() {
    Governance g = GovernanceSettlementTest.governance(new PolicySettings());
    for (int i = 0; i < 3; i++) {
      LlmCall c = GovernanceSettlementTest.call(null, 10);
      g.beforeCall(Context.root(), c);
      c.response().usage(100L, 10L);
      g.afterCall(c, 1_000_000);
      assertNull(c.governance().costUsd());
    }
    assertEquals(1, warnings.size(), "one warning for the calls without a model");
    String message = java.text.MessageFormat.format(warnings.get(0).getMessage(), warnings.get(0).getParameters());
    assertTrue(message.contains("calls of openai that name no model"), message);
    assertTrue(!message.contains("null"), message);
    assertTrue(!message.contains("price file"), "a price file cannot name a model the call does not name: " + message);
  }

  private long unpricedCount(String model) {
    long sum = 0;
    for (MetricData m : reader.collectAllMetrics()) {
      if (!m.getName().equals("llm_otel.cost.unpriced")) continue;
      for (LongPointData p : m.getLongSumData().getPoints()) {
        if (model.equals(p.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))) sum += p.getValue();
      }
    }
    return sum;
  }
}
