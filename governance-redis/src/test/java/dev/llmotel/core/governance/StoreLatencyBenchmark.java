package dev.llmotel.core.governance;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import redis.clients.jedis.JedisPooled;

/**
 * docs/benchmarks.md's figures for the shared store: latency and CPU per admission (one admission
 * of a typical call, rate limit + process budget + workflow budget + trace budget + loop guard,
 * then its settlement) on the local store and on Redis on loopback. Single thread, after warm-up.
 * Run: java -cp ... dev.llmotel.core.governance.StoreLatencyBenchmark [iterations]
 */
public final class StoreLatencyBenchmark {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    try (RedisServer server = RedisServer.launch()) {
      LocalPolicyStore local = new LocalPolicyStore(50_000, 3_600_000);
      RedisStoreConfig c = new RedisStoreConfig(false, "127.0.0.1", server.port, 0, null, null, 50, 32, "bench",
          "bench");
      JedisPooled client = SharedPolicyStores.client(c);
      RedisPolicyStore redis = new RedisPolicyStore(client, c.keyBase, 3_600_000);
      JedisPooled admin = new JedisPooled("127.0.0.1", server.port);
      for (int round = 0; round < 2; round++) {
        report("local", local, n, null);
        report("redis", redis, n, admin);
      }
    }
  }

  static void report(String name, PolicyStore store, int n, JedisPooled admin) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] admit = new long[n];
    long[] settle = new long[n];
    double serverCpu0 = admin == null ? 0 : serverCpu(admin);
    long cpu0 = threads.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long now = System.currentTimeMillis();
      AdmissionRequest r = new AdmissionRequest(now, 0.000001).rate("rate/openai/gpt-4o-mini", 1_000_000_000L, true)
          .budget("cost/process", "process", 0, 1e9, 1e9, true)
          .budget("cost/workflow/checkout", "workflow checkout", 0, 1e9, 0, true)
          .trace("trace-" + (i / 10), 1e9, true, (long) (i % 7), 1_000_000, true);
      long t0 = System.nanoTime();
      Admission a = store.admit(r);
      long t1 = System.nanoTime();
      store.settle(a.reservation, 0.0000005, now);
      long t2 = System.nanoTime();
      admit[i] = t1 - t0;
      settle[i] = t2 - t1;
    }
    long wall = System.nanoTime() - wall0;
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    double serverCpu = admin == null ? 0 : serverCpu(admin) - serverCpu0;
    Arrays.sort(admit);
    Arrays.sort(settle);
    System.out.printf("%-5s n=%d admit p50 %.1f us p99 %.1f us | settle p50 %.1f us p99 %.1f us | "
        + "client CPU %.1f us/call (admit+settle) | redis-server CPU %.1f us/call | wall %.1f us/call%n",
        name, n, admit[n / 2] / 1e3, admit[n * 99 / 100] / 1e3, settle[n / 2] / 1e3, settle[n * 99 / 100] / 1e3,
        cpu / 1e3 / n, serverCpu * 1e6 / n, wall / 1e3 / n);
  }

  /** used_cpu_sys + used_cpu_user of the server, in seconds. */
  static double serverCpu(JedisPooled admin) {
    String info = new String((byte[]) admin.sendCommand(redis.clients.jedis.Protocol.Command.INFO, "cpu"),
        java.nio.charset.StandardCharsets.UTF_8);
    double total = 0;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return total;
  }

  private StoreLatencyBenchmark() {}
}
