package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Many threads started together against every check of the policy store: each limit admits
 * exactly what it allows, whatever the interleaving. Each test repeats its burst; a check-then-take
 * race shows up as one admission too many in some round.
 */
class PolicyStoreConcurrencyTest {
  static final int THREADS = 64;
  static final int ROUNDS = 30;
  static final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  /** Runs the task on THREADS threads released together; returns their results. */
  static <T> List<T> burst(Callable<T> task) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      futures.add(pool.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        return task.call();
      }));
    }
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) out.add(f.get(30, TimeUnit.SECONDS));
    return out;
  }

  static long admitted(List<Admission> results) {
    return results.stream().filter(a -> !a.refused()).count();
  }

  @Test
  void rateLimitAdmitsExactlyItsLimit() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      LocalPolicyStore store = new LocalPolicyStore(1000, 3_600_000);
      long now = 1_000_000 + round;
      List<Admission> results = burst(() -> store.admit(new AdmissionRequest(now, 0).rate("m", 10, true)));
      assertEquals(10, admitted(results), "round " + round);
      Admission refused = results.stream().filter(Admission::refused).findFirst().get();
      assertEquals(Admission.Check.RATE_LIMIT, refused.failures.get(0).check);
      assertEquals(10.0, refused.failures.get(0).value, "a refused call saw the limit taken, not more");
    }
  }

  @Test
  void budgetAdmitsOnlyWhatItsEstimatesFitThenSettlesToTheRealCost() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      LocalPolicyStore store = new LocalPolicyStore(1000, 3_600_000);
      long now = 5_000_000;
      // A budget of 0.09 USD per hour fits nine calls estimated at 0.01 USD each.
      List<Admission> results = burst(() -> store.admit(new AdmissionRequest(now, 0.01)
          .budget("b", "workflow w", 0, 0.09, 0, true)));
      assertEquals(9, admitted(results), "round " + round);
      assertEquals(0.09, store.spent("b", now)[1], 1e-9, "nine reservations held");
      // Each admitted call turns out to cost 0.004: settling frees the difference for later calls.
      for (Admission a : results) {
        if (!a.refused()) store.settle(a.reservation, 0.004, now + 10);
      }
      assertEquals(0.036, store.spent("b", now + 10)[1], 1e-9);
      List<Admission> more = burst(() -> store.admit(new AdmissionRequest(now + 20, 0.01)
          .budget("b", "workflow w", 0, 0.09, 0, true)));
      assertEquals(5, admitted(more), "0.054 USD left fits five more estimates of 0.01");
    }
  }

  @Test
  void settlingTwiceOrAfterAFailureChangesNothingMore() {
    LocalPolicyStore store = new LocalPolicyStore(1000, 3_600_000);
    Admission a = store.admit(new AdmissionRequest(0, 0.5).budget("b", "process", 1.0, 0, 0, true));
    assertFalse(a.refused());
    store.settle(a.reservation, 0, 5); // the call failed: it cost nothing
    store.settle(a.reservation, 0.7, 6); // a late second settlement is ignored
    assertEquals(0.0, store.spent("b", 6)[0], 1e-12);
  }

  @Test
  void loopGuardAdmitsExactlyMaxRepeatsOfOneRequestInOneTrace() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      LocalPolicyStore store = new LocalPolicyStore(1000, 3_600_000);
      List<Admission> results = burst(() -> store.admit(new AdmissionRequest(0, 0)
          .trace("trace-1", 0, false, 42L, 3, true)));
      assertEquals(3, admitted(results), "round " + round);
      // Another request in the same trace, and the same request in another trace, are not repeats.
      assertFalse(store.admit(new AdmissionRequest(0, 0).trace("trace-1", 0, false, 43L, 3, true)).refused());
      assertFalse(store.admit(new AdmissionRequest(0, 0).trace("trace-2", 0, false, 42L, 3, true)).refused());
    }
  }

  @Test
  void perTraceBudgetHoldsForConcurrentCallsOfOneTrace() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      LocalPolicyStore store = new LocalPolicyStore(1000, 3_600_000);
      List<Admission> results = burst(() -> store.admit(new AdmissionRequest(0, 0.1)
          .trace("run", 0.35, true, null, 0, false)));
      assertEquals(3, admitted(results), "round " + round);
    }
  }

  @Test
  void aCallRefusedByOneCheckTakesNothingFromTheOthers() {
    LocalPolicyStore store = new LocalPolicyStore(1000, 3_600_000);
    // The workflow's budget is spent; its calls must not use up the model's rate limit.
    Admission first = store.admit(new AdmissionRequest(0, 1.0).budget("w", "workflow w", 1.0, 0, 0, true));
    assertFalse(first.refused());
    for (int i = 0; i < 5; i++) {
      Admission a = store.admit(new AdmissionRequest(1, 0.5).rate("m", 2, true)
          .budget("w", "workflow w", 1.0, 0, 0, true).trace("t", 0, false, 7L, 1, true));
      assertTrue(a.refused());
      assertNull(a.reservation);
    }
    assertFalse(store.admit(new AdmissionRequest(2, 0).rate("m", 2, true).trace("t", 0, false, 7L, 1, true))
        .refused(), "no rate-limit slot and no repeat was taken by the refused calls");
  }

  @Test
  void monitoredChecksAdmitEverythingAndReportWhatWouldHaveBeenRefused() throws Exception {
    LocalPolicyStore store = new LocalPolicyStore(1000, 3_600_000);
    List<Admission> results = burst(() -> store.admit(new AdmissionRequest(0, 0).rate("m", 10, false)));
    assertEquals(THREADS, admitted(results));
    assertEquals(THREADS - 10, results.stream().filter(a -> !a.failures.isEmpty()).count());
  }

  @Test
  void rateLimitWindowSlides() {
    LocalPolicyStore store = new LocalPolicyStore(1000, 3_600_000);
    for (int i = 0; i < 3; i++) assertFalse(store.admit(new AdmissionRequest(10_000, 0).rate("m", 3, true)).refused());
    assertTrue(store.admit(new AdmissionRequest(69_000, 0).rate("m", 3, true)).refused());
    assertFalse(store.admit(new AdmissionRequest(70_500, 0).rate("m", 3, true)).refused(), "a minute later");
  }

  @Test
  void traceStateIsKeptWhileActiveExpiresWhenIdleAndEvictionsAreCounted() {
    LocalPolicyStore store = new LocalPolicyStore(100, 60_000);
    long evicted = 0;
    // A long run: its trace keeps calling while 150 other traces come and go within its idle time.
    for (int i = 0; i < 150; i++) {
      evicted += store.admit(new AdmissionRequest(i, 0).trace("long-run", 0, false, 1L, 1000, true)).traceStatesEvicted;
      evicted += store.admit(new AdmissionRequest(i, 0).trace("short-" + i, 0, false, 1L, 3, true)).traceStatesEvicted;
    }
    assertEquals(100, store.traceCount(), "bounded");
    assertEquals(51, evicted, "each trace past the bound evicted one, counted");
    Admission longRun = store.admit(new AdmissionRequest(200, 0).trace("long-run", 0, false, 1L, 150, true));
    assertTrue(longRun.refused(), "the active run kept its count of 150 repeats: the 151st is refused");
    // After the idle time without calls, states are retired on the next new trace.
    store.admit(new AdmissionRequest(200 + 60_000, 0).trace("new", 0, false, 1L, 3, true));
    assertEquals(1, store.traceCount());
  }

  @Test
  void manyKeysShareOneOverflowEntryInsteadOfGrowing() {
    LocalPolicyStore store = new LocalPolicyStore(100, 60_000);
    for (int i = 0; i < LocalPolicyStore.MAX_KEYS + 50; i++) {
      store.admit(new AdmissionRequest(0, 0).rate("model-" + i, 1_000_000, true));
    }
    // The overflow entry holds the 50 later keys' calls together.
    Admission a = store.admit(new AdmissionRequest(0, 0).rate("model-new", 50, true));
    assertTrue(a.refused());
  }

  /**
   * Two copies of these classes, as the agent makes them in two class loaders, draw on one store:
   * one copy hosts it and the other reaches it only through JDK types.
   */
  @RepeatedTest(3)
  void aCopyInAnotherClassLoaderSharesTheHostsStore() throws Exception {
    ClassLoader isolated = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader());
    Class<?> otherCopy = Class.forName(PolicyStores.class.getName(), true, isolated);
    assertTrue(otherCopy != PolicyStores.class, "a second copy of the class");
    @SuppressWarnings("unchecked")
    Function<Object[], Object> endpoint = (Function<Object[], Object>) otherCopy.getMethod("endpoint").invoke(null);
    PolicyStore viaOtherLoader = new PolicyStores.Codec.Client(endpoint);
    PolicyStore viaOtherLoaderAgain = new PolicyStores.Codec.Client(
        (Function<Object[], Object>) otherCopy.getMethod("endpoint").invoke(null));
    List<Admission> results = burst(() -> {
      PolicyStore s = Thread.currentThread().getId() % 2 == 0 ? viaOtherLoader : viaOtherLoaderAgain;
      return s.admit(new AdmissionRequest(0, 0.01).rate("shared", 20, true).budget("b", "process", 0.1, 0, 0, true));
    });
    assertEquals(10, admitted(results), "the budget (0.1 USD, 0.01 a call) is the tighter limit, held across loaders");
    Admission one = results.stream().filter(a -> !a.refused()).findFirst().get();
    assertNotNull(one.reservation);
    viaOtherLoader.settle(one.reservation, 0, 1);
    assertEquals(0.09, viaOtherLoaderAgain.spent("b", 1)[0], 1e-9, "settled through the other client");
  }

  private static URL[] classPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(new File(entry).toURI().toURL());
    }
    return urls.toArray(new URL[0]);
  }
}
