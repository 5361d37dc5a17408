package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The metric attribute sets' cache under many threads started together, past its bound. */
class AttributeSetCacheTest {
  @Test
  void everyThreadGetsTheSetOfItsOwnValuesAndTheCacheStaysBounded() throws Exception {
    AttributeSetCache<String> cache = new AttributeSetCache<>(100);
    AtomicInteger builds = new AtomicInteger();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      results.add(pool.submit(() -> {
        start.await();
        int wrong = 0;
        for (int i = 0; i < 20_000; i++) {
          // 300 combinations, a null among the values as a missing attribute is: three times the bound.
          int k = (i * 31 + seed * 7) % 300;
          List<Object> values = Arrays.<Object>asList("openai", "model-" + k, k % 2 == 0 ? null : "wf", (long) (k % 5));
          String set = cache.get(values, v -> {
            builds.incrementAndGet();
            return String.valueOf(v);
          });
          if (!set.equals(String.valueOf(values))) wrong++;
        }
        return wrong;
      }));
    }
    start.countDown();
    for (Future<Integer> r : results) assertEquals(0, (int) r.get(60, TimeUnit.SECONDS), "sets of other values");
    pool.shutdown();
    assertTrue(cache.size() <= 100, "bounded: " + cache.size());
    // Past the bound sets are built per use; within it, once per combination (a race may build one twice).
    assertTrue(builds.get() > 300, "uncached combinations were built per use: " + builds.get());
  }

  @Test
  void theSameValuesGiveTheSameSet() {
    AttributeSetCache<Object> cache = new AttributeSetCache<>(10);
    Object first = cache.get(Arrays.<Object>asList("a", null, 1L), v -> new Object());
    Object again = cache.get(Arrays.<Object>asList("a", null, 1L), v -> new Object());
    assertTrue(first == again, "built once, then reused");
  }
}
