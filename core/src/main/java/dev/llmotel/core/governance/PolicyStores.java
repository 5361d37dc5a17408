package dev.llmotel.core.governance;

import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.governance.Admission.Check;
import dev.llmotel.core.governance.Admission.Failure;
import dev.llmotel.core.governance.AdmissionRequest.BudgetCheck;
import dev.llmotel.core.governance.AdmissionRequest.RateCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JVM's one {@link PolicyStore}. The agent injects a copy of these classes into every class
 * loader that has an instrumented library (the app's, the platform loader for the JDK's
 * HttpClient, each web app's), and each copy's statics are its own; a limit that each copy kept
 * for itself would be N limits. So the store lives in the agent's extension class loader, which
 * exists once per JVM and outlives every application class loader, and every other copy reaches
 * it through a {@link Function} over plain JDK values ({@link Codec}), the only types all loaders
 * share. Without the agent (unit tests, the library used on its own) the store is this copy's.
 */
public final class PolicyStores {
  private static final Logger logger = Logger.getLogger(PolicyStores.class.getName());
  static final String PREFIX = PolicySettings.PREFIX;

  private static volatile PolicyStore jvm;
  private static volatile PolicyStore hosted;

  /** The JVM's store, found once. */
  static PolicyStore get() {
    PolicyStore s = jvm;
    if (s == null) {
      synchronized (PolicyStores.class) {
        s = jvm;
        if (s == null) {
          s = find();
          jvm = s;
        }
      }
    }
    return s;
  }

  private static PolicyStore find() {
    try {
      Function<Object[], Object> remote = dev.llmotel.core.JvmHost.endpoint(PolicyStores.class, "endpoint");
      if (remote != null) return new Codec.Client(remote);
    } catch (Throwable t) {
      // The extension loader should always have these classes; if it does not, a per-loader store
      // still enforces every limit within this loader.
      logger.log(Level.WARNING, "llm-otel: the JVM-wide policy state could not be reached from "
          + PolicyStores.class.getClassLoader() + "; policies hold per class loader here", t);
    }
    return hostedStore();
  }

  /** This copy's own store: the JVM's when this copy is the extension loader's. */
  static PolicyStore hostedStore() {
    PolicyStore s = hosted;
    if (s == null) {
      synchronized (PolicyStores.class) {
        s = hosted;
        if (s == null) {
          int maxTraces = LlmOtelConfig.readInt(PREFIX + "governance.max-traces", 50_000, 100, 10_000_000);
          int idleMinutes = LlmOtelConfig.readInt(PREFIX + "governance.trace-idle-minutes", 60, 1, 7 * 24 * 60);
          s = new LocalPolicyStore(maxTraces, idleMinutes * 60_000L);
          // Fleet-wide governance (issue 19): with governance.store set, the state is shared (Redis) and
          // this local store is its fallback.
          s = sharedOrLocal(s, idleMinutes * 60_000L);
          hosted = s;
        }
      }
    }
    return s;
  }

  /**
   * Fleet-wide governance (issue 19): when {@code governance.store} is set, the shared store that
   * module llm-otel-governance-redis builds around {@code local}. Found by name in this copy's own
   * class loader: only the agent's extension loader has that module (it is never injected), so only
   * its copy ever hosts a shared store; anywhere else, and on any failure, {@code local}.
   */
  private static PolicyStore sharedOrLocal(PolicyStore local, long traceIdleMillis) {
    String url = LlmOtelConfig.raw(PREFIX + "governance.store");
    if (url == null || url.isEmpty()) return local;
    try {
      Class<?> factory = Class.forName("dev.llmotel.core.governance.SharedPolicyStores", true,
          PolicyStores.class.getClassLoader());
      return (PolicyStore) factory.getMethod("create", String.class, PolicyStore.class, long.class)
          .invoke(null, url, local, traceIdleMillis);
    } catch (Throwable t) {
      logger.log(Level.WARNING, "llm-otel: " + PREFIX + "governance.store is set but the shared policy store "
          + "is not available in " + PolicyStores.class.getClassLoader() + " (" + t + "); limits hold per JVM");
      return local;
    }
  }

  /**
   * The entry point other class loaders' copies call, on the extension loader's copy only. Public
   * and typed with JDK types only, so that a copy in any loader can cast what it returns.
   */
  public static Function<Object[], Object> endpoint() {
    return new Codec.Server(hostedStore());
  }

  /** For tests: forget the store so the next {@link #get} finds it again. */
  static void reset() {
    synchronized (PolicyStores.class) {
      jvm = null;
      hosted = null;
    }
  }

  /**
   * Store operations as arrays of JDK values, the one form two copies of these classes in different
   * class loaders both understand. A reservation crosses as an opaque {@code Object}: only the
   * store that made it reads it.
   */
  static final class Codec {
    static final String ADMIT = "admit";
    static final String SETTLE = "settle";
    static final String SPENT = "spent";

    static Object[] request(AdmissionRequest r) {
      int nr = r.rates.size();
      String[] rateKeys = new String[nr];
      long[] rateLimits = new long[nr];
      boolean[] rateEnforced = new boolean[nr];
      for (int i = 0; i < nr; i++) {
        RateCheck c = r.rates.get(i);
        rateKeys[i] = c.key;
        rateLimits[i] = c.limit;
        rateEnforced[i] = c.enforced;
      }
      int nb = r.budgets.size();
      String[] budgetKeys = new String[nb];
      String[] labels = new String[nb];
      double[] caps = new double[3 * nb];
      boolean[] budgetEnforced = new boolean[nb];
      for (int i = 0; i < nb; i++) {
        BudgetCheck c = r.budgets.get(i);
        budgetKeys[i] = c.key;
        labels[i] = c.label;
        caps[3 * i] = c.perMinute;
        caps[3 * i + 1] = c.perHour;
        caps[3 * i + 2] = c.perDay;
        budgetEnforced[i] = c.enforced;
      }
      return new Object[] {ADMIT, r.nowMillis, r.estimateUsd, rateKeys, rateLimits, rateEnforced, budgetKeys,
          labels, caps, budgetEnforced, r.traceId, r.perTraceUsd, r.traceBudgetEnforced, r.repeatHash,
          r.maxRepeats, r.loopGuardEnforced};
    }

    static AdmissionRequest request(Object[] a) {
      AdmissionRequest r = new AdmissionRequest((Long) a[1], (Double) a[2]);
      String[] rateKeys = (String[]) a[3];
      long[] rateLimits = (long[]) a[4];
      boolean[] rateEnforced = (boolean[]) a[5];
      for (int i = 0; i < rateKeys.length; i++) r.rate(rateKeys[i], rateLimits[i], rateEnforced[i]);
      String[] budgetKeys = (String[]) a[6];
      String[] labels = (String[]) a[7];
      double[] caps = (double[]) a[8];
      boolean[] budgetEnforced = (boolean[]) a[9];
      for (int i = 0; i < budgetKeys.length; i++) {
        r.budget(budgetKeys[i], labels[i], caps[3 * i], caps[3 * i + 1], caps[3 * i + 2], budgetEnforced[i]);
      }
      if (a[10] != null) {
        r.trace((String) a[10], (Double) a[11], (Boolean) a[12], (Long) a[13], (Long) a[14], (Boolean) a[15]);
      }
      return r;
    }

    static Object[] admission(Admission d) {
      int n = d.failures.size();
      String[] checks = new String[n];
      String[] scopes = new String[n];
      String[] windows = new String[n];
      double[] limits = new double[n];
      double[] values = new double[n];
      boolean[] enforced = new boolean[n];
      for (int i = 0; i < n; i++) {
        Failure f = d.failures.get(i);
        checks[i] = f.check.name();
        scopes[i] = f.scope;
        windows[i] = f.window;
        limits[i] = f.limit;
        values[i] = f.value;
        enforced[i] = f.enforced;
      }
      return new Object[] {d.reservation, d.traceStatesEvicted, checks, scopes, windows, limits, values, enforced};
    }

    static Admission admission(Object[] a) {
      String[] checks = (String[]) a[2];
      List<Failure> failures = checks.length == 0 ? null : new ArrayList<Failure>(checks.length);
      for (int i = 0; i < checks.length; i++) {
        failures.add(new Failure(Check.valueOf(checks[i]), ((String[]) a[3])[i], ((String[]) a[4])[i],
            ((double[]) a[5])[i], ((double[]) a[6])[i], ((boolean[]) a[7])[i]));
      }
      return new Admission(a[0], failures, (Long) a[1]);
    }

    /** A copy's view of the store another class loader hosts. */
    static final class Client implements PolicyStore {
      private final Function<Object[], Object> remote;

      Client(Function<Object[], Object> remote) {
        this.remote = remote;
      }

      @Override
      public Admission admit(AdmissionRequest request) {
        if (request.isEmpty()) return Admission.NOTHING;
        return admission((Object[]) remote.apply(request(request)));
      }

      @Override
      public void settle(Object reservation, double actualUsd, long nowMillis) {
        if (reservation != null) remote.apply(new Object[] {SETTLE, reservation, actualUsd, nowMillis});
      }

      @Override
      public double[] spent(String budgetKey, long nowMillis) {
        return (double[]) remote.apply(new Object[] {SPENT, budgetKey, nowMillis});
      }
    }

    /** The hosting copy's side: decodes, runs on its store, encodes. */
    static final class Server implements Function<Object[], Object> {
      private final PolicyStore store;

      Server(PolicyStore store) {
        this.store = store;
      }

      @Override
      public Object apply(Object[] a) {
        String op = (String) a[0];
        if (ADMIT.equals(op)) return admission(store.admit(request(a)));
        if (SETTLE.equals(op)) {
          store.settle(a[1], (Double) a[2], (Long) a[3]);
          return null;
        }
        if (SPENT.equals(op)) return store.spent((String) a[1], (Long) a[2]);
        throw new IllegalArgumentException("unknown policy store operation " + op);
      }
    }

    private Codec() {}
  }

  private PolicyStores() {}
}
