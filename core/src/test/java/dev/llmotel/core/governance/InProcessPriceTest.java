package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/** A model run in the app's own process (gen_ai.provider.name in_process) costs nothing: priced at 0. */
class InProcessPriceTest {
  @Test
  void anyInProcessModelIsPricedAtZero() {
    PriceTable.Price price = PriceTable.bundled().find("in_process", "all-minilm-l6-v2");
    assertNotNull(price, "priced, so no 'no price' warning and no unpriced count");
    assertEquals(0.0, price.cost(1000, 1000, 0, 0));
  }
}
