package dev.llmotel.core.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault file, the environment gate and the seeded draws, without a client. */
class FaultsTest {
  @Test
  void injectionIsRefusedUnlessTheEnablingKeyNamesTheServicesNonProductionEnvironment() {
    assertTrue(Faults.refusal(null, "staging").contains("is not set"));
    assertTrue(Faults.refusal("staging", null).contains("no deployment.environment.name"));
    assertTrue(Faults.refusal("staging", "production").contains("runs in \"production\""));
    assertTrue(Faults.refusal("prod", "prod").contains("production environment"));
    assertTrue(Faults.refusal("Production", "Production").contains("production environment"));
    assertNull(Faults.refusal("staging", "staging"));
  }

  @Test
  void aSeededRunDrawsTheSameFaultsAndTheProbabilityHolds() {
    String file = "{\"seed\": 42, \"faults\": [{\"fault\": \"http_429\", \"probability\": 0.3}]}";
    List<Boolean> first = draws(Faults.parse(file), 1000);
    List<Boolean> second = draws(Faults.parse(file), 1000);
    assertEquals(first, second, "the same seed, the same calls: the same faults");
    long fired = first.stream().filter(b -> b).count();
    assertTrue(fired > 240 && fired < 360, "about 30% of 1000: " + fired);
    List<Boolean> otherSeed = draws(Faults.parse(file.replace("\"seed\": 42", "\"seed\": 43")), 1000);
    assertTrue(!first.equals(otherSeed), "another seed, other draws");
  }

  private static List<Boolean> draws(Faults faults, int calls) {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < calls; i++) out.add(faults.decide("openai", "gpt-4o-mini", "w", "chat", false, true) != null);
    return out;
  }

  @Test
  void rulesSelectByProviderModelWorkflowAndOperationAndCombineLatencyWithOneOutcome() {
    Faults faults = Faults.parse("{\"faults\": ["
        + "{\"fault\": \"latency\", \"ms\": 200, \"provider\": \"openai\"},"
        + "{\"fault\": \"latency\", \"ms\": 50},"
        + "{\"fault\": \"http_503\", \"model\": \"gpt-4o.*\", \"workflow\": \"checkout\", \"times\": 1},"
        + "{\"fault\": \"timeout\", \"operation\": \"embeddings\", \"ms\": 10},"
        + "{\"fault\": \"stream_cut\", \"after_chunks\": 2},"
        + "{\"fault\": \"unknown_tool_call\", \"provider\": \"anthropic\"}]}");
    InjectedFault checkout = faults.decide("openai", "gpt-4o-mini", "checkout", "chat", false, true);
    assertEquals(250, checkout.latencyMillis, "every latency rule adds up");
    assertEquals(FaultKind.HTTP_503, checkout.kind);
    InjectedFault again = faults.decide("openai", "gpt-4o-mini", "checkout", "chat", false, true);
    assertNull(again.kind, "times: 1");
    assertEquals(250, again.latencyMillis);
    assertEquals(FaultKind.TIMEOUT, faults.decide("anthropic", "m", null, "embeddings", false, true).kind);
    assertEquals(10, faults.decide("anthropic", "m", null, "embeddings", false, true).timeoutMillis());
    InjectedFault stream = faults.decide("gcp.gemini", "g", null, "chat", true, false);
    assertEquals(FaultKind.STREAM_CUT, stream.kind, "a stream cut only for streams");
    assertEquals(2, stream.afterChunks());
    assertEquals(FaultKind.UNKNOWN_TOOL_CALL, faults.decide("anthropic", "m", null, "chat", false, true).kind);
    assertNull(faults.decide("anthropic", "m", null, "chat", false, false).kind, "no tool call where the format has none");
  }

  @Test
  void aBrokenFaultFileSaysWhatIsWrong() {
    assertThrows(IllegalArgumentException.class, () -> Faults.parse("{\"faults\": []}"));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> Faults.parse("{\"faults\": [{\"fault\": \"http_418\"}]}"));
    assertTrue(unknown.getMessage().contains("unknown fault \"http_418\""), unknown.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Faults.parse("{\"faults\": [{\"fault\": \"http_429\", \"probability\": 2}]}"));
  }

  @Test
  void theEnvironmentComesFromTheResourceAttributes() {
    String before = System.getProperty("otel.resource.attributes");
    try {
      System.setProperty("otel.resource.attributes", "service.namespace=shop, deployment.environment.name=staging");
      assertEquals("staging", Faults.deploymentEnvironment());
      System.setProperty("otel.resource.attributes", "deployment.environment=qa");
      assertEquals("qa", Faults.deploymentEnvironment());
    } finally {
      if (before == null) System.clearProperty("otel.resource.attributes");
      else System.setProperty("otel.resource.attributes", before);
    }
    assertNotNull(FaultKind.HTTP_429.wireName());
  }
}
