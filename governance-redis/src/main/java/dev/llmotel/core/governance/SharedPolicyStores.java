package dev.llmotel.core.governance;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLParameters;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * Builds the shared policy store when {@code governance.store} is set. Called by name from {@link
 * PolicyStores#hostedStore()} of the copy in the agent's extension class loader, the only loader
 * that has this module: its classes and the Redis client it bundles are never injected into an
 * application's class loaders.
 */
public final class SharedPolicyStores {
  private static final Logger logger = Logger.getLogger(SharedPolicyStores.class.getName());

  /**
   * The store for {@code url} with {@code local} as its fallback, or {@code local} itself when the
   * URL is not one it takes (one log line that quotes nothing of it: it may hold a password). Never
   * connects here: the first admission does, or falls back.
   */
  public static PolicyStore create(String url, PolicyStore local, long traceIdleMillis) {
    RedisStoreConfig config;
    try {
      config = RedisStoreConfig.load(url);
    } catch (IllegalArgumentException e) {
      // Only the extension loader's copy gets here, once: a plain warning, not ConfigProblems' once-per-loader one.
      logger.log(Level.WARNING, "llm-otel: {0} is not used ({1}); limits hold per JVM",
          new Object[] {RedisStoreConfig.STORE, e.getMessage()});
      return local;
    }
    PolicyStore store = create(config, (LocalPolicyStore) local, traceIdleMillis, new StoreMetrics());
    logger.log(Level.INFO, "llm-otel: policy state shared through {0} under {1} (timeout {2} ms)",
        new Object[] {config.describe(), config.keyBase, String.valueOf(config.timeoutMillis)});
    return store;
  }

  static SharedPolicyStore create(RedisStoreConfig config, LocalPolicyStore local, long traceIdleMillis,
      StoreMetrics metrics) {
    final JedisPooled redis = client(config);
    SharedPolicyStore store = new SharedPolicyStore(new RedisPolicyStore(redis, config.keyBase, traceIdleMillis),
        local, config.describe(), () -> redis.getPool().clear(), () -> prepare(redis), metrics);
    store.warmUp();
    return store;
  }

  private static void prepare(JedisPooled redis) {
    try {
      redis.getPool().preparePool();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JedisPooled client(RedisStoreConfig config) {
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(config.poolSize);
    pool.setMaxIdle(config.poolSize);
    // Opened ahead of the first calls by the warm-up and after a recovery; more are opened as calls need them.
    pool.setMinIdle(Math.min(8, config.poolSize));
    pool.setBlockWhenExhausted(true);
    // No app thread waits for a connection longer than for an answer.
    pool.setMaxWait(Duration.ofMillis(config.timeoutMillis));
    pool.setJmxEnabled(false);
    pool.setTestOnBorrow(false);
    pool.setTestWhileIdle(false);
    DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(config.timeoutMillis)
        .socketTimeoutMillis(config.timeoutMillis)
        .database(config.database)
        .clientName("llm-otel")
        .ssl(config.tls);
    if (config.tls) {
      // The certificate must name the host of the URL, as HTTPS checks it: Jedis checks nothing by itself.
      SSLParameters checkHost = new SSLParameters();
      checkHost.setEndpointIdentificationAlgorithm("HTTPS");
      client.sslParameters(checkHost);
    }
    if (config.user != null) client.user(config.user);
    if (config.password != null) client.password(config.password);
    return new JedisPooled(pool, new HostAndPort(config.host, config.port), client.build());
  }

  private SharedPolicyStores() {}
}
