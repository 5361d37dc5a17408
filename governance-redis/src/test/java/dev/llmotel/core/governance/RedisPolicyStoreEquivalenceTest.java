package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same random sequence of admissions and settlements, on the local store and on the Redis
 * store: every decision, every failure (check, scope, window, limit, value) and every budget's
 * spend are the same. Amounts are multiples of 1/64 USD so that sums are exact in binary whatever
 * order the two stores add their buckets in; the clock jumps by up to two minutes, so windows
 * slide, buckets leave them, and late settlements fall outside.
 */
class RedisPolicyStoreEquivalenceTest {
  static RedisServer server;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.launch();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) server.stop();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void sameDecisionsAsTheLocalStore(long seed) {
    Random rnd = new Random(seed);
    // The local store never retires a trace here: Redis expires trace state on the wall clock, this test's clock is its own.
    LocalPolicyStore local = new LocalPolicyStore(1000, Long.MAX_VALUE / 4);
    RedisStoreConfig c = RedisPolicyStoreTest.config(server.port, "equivalence-" + seed, null, 1000);
    RedisPolicyStore redis = new RedisPolicyStore(SharedPolicyStores.client(c), c.keyBase, 3_600_000);
    long now = 1_700_000_000_000L + rnd.nextInt(1_000_000);
    List<Object[]> open = new ArrayList<>();
    String[] budgets = {"cost/process", "cost/workflow/a"};
    int refused = 0;
    int failures = 0;
    int settled = 0;
    for (int step = 0; step < 600; step++) {
      int jump = rnd.nextInt(10);
      now += jump < 6 ? rnd.nextInt(1500) : jump < 9 ? rnd.nextInt(20_000) : rnd.nextInt(120_000);
      if (!open.isEmpty() && rnd.nextInt(3) == 0) {
        Object[] r = open.remove(rnd.nextInt(open.size()));
        double actual = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(16) / 64.0;
        settled++;
        local.settle(r[0], actual, now);
        redis.settle(r[1], actual, now);
      } else {
        double estimate = rnd.nextInt(8) / 64.0;
        AdmissionRequest a = request(rnd, now, estimate);
        Admission l = local.admit(a);
        Admission d = redis.admit(a);
        String where = "seed " + seed + " step " + step;
        assertEquals(l.refused(), d.refused(), where);
        assertEquals(l.reservation == null, d.reservation == null, where);
        assertEquals(describe(l), describe(d), where);
        if (l.refused()) refused++;
        failures += l.failures.size();
        if (l.reservation != null) open.add(new Object[] {l.reservation, d.reservation});
      }
      for (String b : budgets) {
        assertArrayEquals(local.spent(b, now), redis.spent(b, now), 1e-12, "seed " + seed + " step " + step + " " + b);
      }
    }
    // The sequence exercised what it compares.
    org.junit.jupiter.api.Assertions.assertTrue(refused > 30 && failures > 60 && settled > 50,
        "refused " + refused + ", failures " + failures + ", settled " + settled);
  }

  private static AdmissionRequest request(Random rnd, long now, double estimate) {
    // The same choices made for both stores: one request object, read by both.
    AdmissionRequest r = new AdmissionRequest(now, estimate);
    if (rnd.nextBoolean()) r.rate("rate/openai/m" + rnd.nextInt(2), 3 + rnd.nextInt(8), rnd.nextInt(4) > 0);
    if (rnd.nextBoolean()) {
      r.budget("cost/process", "process", rnd.nextInt(3) * 0.25, rnd.nextInt(3) * 0.75, rnd.nextInt(2) * 2.5,
          rnd.nextInt(4) > 0);
    }
    if (rnd.nextBoolean()) r.budget("cost/workflow/a", "workflow a", 0.5, 0, 1.5, rnd.nextBoolean());
    if (rnd.nextInt(3) > 0) {
      r.trace("trace-" + rnd.nextInt(3), rnd.nextBoolean() ? 0.5 : 0, rnd.nextBoolean(),
          rnd.nextInt(3) == 0 ? null : (long) rnd.nextInt(4) - 2, 1 + rnd.nextInt(4), rnd.nextInt(4) > 0);
    }
    return r;
  }

  private static String describe(Admission a) {
    StringBuilder s = new StringBuilder();
    for (Admission.Failure f : a.failures) {
      s.append(f.check).append('|').append(f.scope).append('|').append(f.window).append('|').append(f.limit)
          .append('|').append(f.value).append('|').append(f.enforced).append('\n');
    }
    return s.toString();
  }
}
