package dev.llmotel.core.governance;

import dev.llmotel.core.governance.Admission.Check;
import dev.llmotel.core.governance.Admission.Failure;
import dev.llmotel.core.governance.AdmissionRequest.BudgetCheck;
import dev.llmotel.core.governance.AdmissionRequest.RateCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * {@link LocalPolicyStore}'s semantics on a Redis server, for every replica of a service at once.
 * An admission is one Lua script ({@code redis-admit.lua}): it reads every window the call
 * touches, decides every check, and takes the call's rate-limit slots, its estimate in every
 * budget window and its repeat count only when no enforced check failed; Redis runs a script
 * alone, so N replicas times M threads against a limit admit at most the limit. A settlement is
 * one script too. Windows are hashes of per-period sums (a minute of 1-s buckets, an hour of 1-min
 * buckets, a day of 1-h buckets) that expire with their window; a trace's state expires after its
 * idle time. Times are the callers' clocks, as in the local store.
 *
 * <p>Every operation is remote and may throw: {@link SharedPolicyStore} turns an exception into a
 * fallback to the local store, never into a refusal.
 */
final class RedisPolicyStore implements PolicyStore {
  private final UnifiedJedis redis;
  private final String keyBase;
  private final long traceIdleMillis;
  private static final Script ADMIT = Script.load("redis-admit.lua");
  private static final Script SETTLE = Script.load("redis-settle.lua");
  private static final Script SPENT = Script.load("redis-spent.lua");

  RedisPolicyStore(UnifiedJedis redis, String keyBase, long traceIdleMillis) {
    this.redis = redis;
    this.keyBase = keyBase;
    this.traceIdleMillis = traceIdleMillis;
  }

  @Override
  public Admission admit(AdmissionRequest r) {
    if (r.isEmpty()) return Admission.NOTHING;
    int nr = r.rates.size();
    int nb = r.budgets.size();
    boolean hasTrace = r.traceId != null;
    List<String> keys = new ArrayList<>(nr + 3 * nb + 1);
    List<String> args = new ArrayList<>(5 + 2 * nr + 4 * nb + 7);
    args.add(Long.toString(r.nowMillis));
    args.add(Double.toString(r.estimateUsd));
    args.add(Integer.toString(nr));
    args.add(Integer.toString(nb));
    args.add(hasTrace ? "1" : "0");
    for (RateCheck c : r.rates) {
      keys.add(keyBase + c.key);
      args.add(Long.toString(c.limit));
      args.add(flag(c.enforced));
    }
    List<String> budgetKeys = nb == 0 ? null : new ArrayList<String>(3 * nb);
    for (BudgetCheck c : r.budgets) {
      addBudgetKeys(budgetKeys, c.key);
      args.add(Double.toString(c.perMinute));
      args.add(Double.toString(c.perHour));
      args.add(Double.toString(c.perDay));
      args.add(flag(c.enforced));
    }
    if (budgetKeys != null) keys.addAll(budgetKeys);
    String traceKey = null;
    if (hasTrace) {
      traceKey = traceKey(r.traceId);
      keys.add(traceKey);
      args.add(Double.toString(r.perTraceUsd));
      args.add(flag(r.traceBudgetEnforced));
      args.add(r.repeatHash == null ? "" : Long.toString(r.repeatHash));
      args.add(Long.toString(r.maxRepeats));
      args.add(flag(r.loopGuardEnforced));
      args.add(Long.toString(traceIdleMillis));
      args.add(Integer.toString(LocalPolicyStore.MAX_REPEAT_HASHES));
    }
    List<?> reply = (List<?>) ADMIT.run(redis, keys, args);
    boolean refused = asLong(reply.get(0)) == 1;
    List<Failure> failures = null;
    for (int i = 1; i + 5 < reply.size(); i += 6) {
      failures = Admission.add(failures, failure(r, reply, i));
    }
    if (refused) return new Admission(null, failures, 0);
    boolean reserves = r.estimateUsd > 0 || nb > 0 || (hasTrace && r.perTraceUsd > 0);
    Object reservation = reserves ? new Reservation(this, r.nowMillis, r.estimateUsd, budgetKeys, traceKey) : null;
    return new Admission(reservation, failures, 0);
  }

  private static Failure failure(AdmissionRequest r, List<?> reply, int i) {
    String kind = text(reply.get(i));
    int index = Integer.parseInt(text(reply.get(i + 1)));
    String window = text(reply.get(i + 2));
    double limit = Double.parseDouble(text(reply.get(i + 3)));
    double value = Double.parseDouble(text(reply.get(i + 4)));
    boolean enforced = "1".equals(text(reply.get(i + 5)));
    switch (kind) {
      case "R":
        return new Failure(Check.RATE_LIMIT, r.rates.get(index).key, window, limit, value, enforced);
      case "B":
        return new Failure(Check.BUDGET, r.budgets.get(index).label, window, limit, value, enforced);
      case "T":
        return new Failure(Check.TRACE_BUDGET, "trace", "trace", limit, value, enforced);
      default:
        return new Failure(Check.LOOP_GUARD, "trace", "trace", limit, value, enforced);
    }
  }

  @Override
  public void settle(Object reservation, double actualUsd, long nowMillis) {
    if (!(reservation instanceof Reservation)) return;
    Reservation r = (Reservation) reservation;
    if (!r.settled.compareAndSet(false, true)) return;
    double delta = Math.max(0, actualUsd) - r.estimateUsd;
    if (delta == 0) return;
    int nb = r.budgetKeys == null ? 0 : r.budgetKeys.size() / 3;
    List<String> keys = new ArrayList<>(3 * nb + 1);
    if (r.budgetKeys != null) keys.addAll(r.budgetKeys);
    if (r.traceKey != null) keys.add(r.traceKey);
    List<String> args = new ArrayList<>(5);
    args.add(Long.toString(r.atMillis));
    args.add(Long.toString(nowMillis));
    args.add(Double.toString(delta));
    args.add(Integer.toString(nb));
    args.add(r.traceKey != null ? "1" : "0");
    SETTLE.run(redis, keys, args);
  }

  @Override
  public double[] spent(String budgetKey, long nowMillis) {
    List<String> keys = new ArrayList<>(3);
    addBudgetKeys(keys, budgetKey);
    List<?> reply = (List<?>) SPENT.run(redis, keys, java.util.Collections.singletonList(Long.toString(nowMillis)));
    return new double[] {Double.parseDouble(text(reply.get(0))), Double.parseDouble(text(reply.get(1))),
        Double.parseDouble(text(reply.get(2)))};
  }

  /** Answers when the server takes commands and scripts: the probe's check before returning to Redis. */
  void check() {
    redis.ping();
    ADMIT.ensureLoaded(redis);
    SETTLE.ensureLoaded(redis);
    SPENT.ensureLoaded(redis);
  }

  String key(String policyKey) {
    return keyBase + policyKey;
  }

  String traceKey(String traceId) {
    return keyBase + "trace/" + traceId;
  }

  private void addBudgetKeys(List<String> keys, String budgetKey) {
    String k = keyBase + budgetKey;
    keys.add(k + ":m");
    keys.add(k + ":h");
    keys.add(k + ":d");
  }

  private static String flag(boolean b) {
    return b ? "1" : "0";
  }

  private static long asLong(Object o) {
    if (o instanceof Long) return (Long) o;
    return Long.parseLong(text(o));
  }

  private static String text(Object o) {
    if (o instanceof byte[]) return new String((byte[]) o, StandardCharsets.UTF_8);
    return String.valueOf(o);
  }

  /** Only the store that made a reservation settles it; a reservation settles once. */
  static final class Reservation {
    final RedisPolicyStore store;
    final long atMillis;
    final double estimateUsd;
    final List<String> budgetKeys;
    final String traceKey;
    final AtomicBoolean settled = new AtomicBoolean();

    Reservation(RedisPolicyStore store, long atMillis, double estimateUsd, List<String> budgetKeys, String traceKey) {
      this.store = store;
      this.atMillis = atMillis;
      this.estimateUsd = estimateUsd;
      this.budgetKeys = budgetKeys;
      this.traceKey = traceKey;
    }
  }

  /** A Lua script run by its SHA-1 (EVALSHA), sent whole (EVAL) when the server does not have it yet. */
  static final class Script {
    final String source;
    final String sha;

    Script(String source) {
      this.source = source;
      this.sha = sha1(source);
    }

    static Script load(String resource) {
      try (InputStream in = RedisPolicyStore.class.getResourceAsStream(resource)) {
        if (in == null) throw new IllegalStateException("missing " + resource);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        return new Script(new String(out.toByteArray(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + resource, e);
      }
    }

    Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
      try {
        return redis.evalsha(sha, keys, args);
      } catch (JedisNoScriptException e) {
        return redis.eval(source, keys, args);
      }
    }

    void ensureLoaded(UnifiedJedis redis) {
      redis.scriptLoad(source);
    }

    private static String sha1(String s) {
      try {
        byte[] d = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder(40);
        for (byte b : d) hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        return hex.toString();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
