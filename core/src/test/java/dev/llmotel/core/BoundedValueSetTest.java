package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedValueSetTest {

  @Test
  void keepsTheFirstValuesAndAnswersThemAgain() {
    BoundedValueSet set = new BoundedValueSet(2);
    assertTrue(set.admit("a"));
    assertTrue(set.admit("b"));
    assertFalse(set.admit("c"));
    assertTrue(set.admit("a"), "an admitted value stays admitted once the set is full");
    assertEquals(2, set.size());
  }

  /** 32 threads released together, each with values no other thread has: never more than the bound. */
  @Test
  void aFloodOfNewValuesFromManyThreadsStopsExactlyAtTheBound() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      for (int round = 0; round < 300; round++) {
        BoundedValueSet set = new BoundedValueSet(10);
        Set<String> saidYes = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < 4; i++) {
              String value = "w-" + thread + "-" + i;
              if (set.admit(value)) saidYes.add(value);
              // A value shared by every thread: admitted once at most, whoever comes first.
              if (set.admit("shared")) saidYes.add("shared");
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> f : done) f.get(10, TimeUnit.SECONDS);
        assertEquals(10, set.size(), "round " + round);
        assertEquals(10, saidYes.size(), "every value answered yes was kept, round " + round);
        for (String v : saidYes) assertTrue(set.contains(v));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
