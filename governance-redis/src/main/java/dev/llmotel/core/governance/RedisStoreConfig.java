package dev.llmotel.core.governance;

import dev.llmotel.core.LlmOtelConfig;
import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URLDecoder;

/**
 * Where the shared policy state lives and how long a call may wait for it, from
 * {@code otel.instrumentation.llm-otel.governance.store=redis://[user:password@]host:port[/db]}
 * ({@code rediss://} for TLS) and its companions. The password never leaves this object: {@link
 * #toString()} and {@link #describe()} name the server only.
 */
final class RedisStoreConfig {
  static final String STORE = PolicySettings.PREFIX + "governance.store";
  static final String PASSWORD = STORE + ".password";
  static final String TIMEOUT_MS = STORE + ".timeout-ms";
  static final String KEY_PREFIX = STORE + ".prefix";
  static final String POOL_SIZE = STORE + ".pool-size";
  static final int DEFAULT_TIMEOUT_MS = 50;
  static final String DEFAULT_PREFIX = "llm-otel";

  final boolean tls;
  final String host;
  final int port;
  final int database;
  final String user;
  final String password;
  final int timeoutMillis;
  final int poolSize;
  /** Every key of this service: {@code prefix:{service}:}; the braces make it one Redis Cluster hash slot. */
  final String keyBase;

  RedisStoreConfig(boolean tls, String host, int port, int database, String user, String password,
      int timeoutMillis, int poolSize, String prefix, String service) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.timeoutMillis = timeoutMillis;
    this.poolSize = poolSize;
    this.keyBase = prefix + ":{" + service.replace('{', '_').replace('}', '_') + "}:";
  }

  /**
   * Reads the configuration; throws {@link IllegalArgumentException} with a message that quotes
   * nothing of the URL (it may hold a password) when the URL is not one this store takes.
   */
  static RedisStoreConfig load(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (Exception e) {
      throw new IllegalArgumentException("not a URL of the form redis://[user:password@]host:port[/db]");
    }
    String scheme = uri.getScheme();
    boolean tls;
    if ("redis".equalsIgnoreCase(scheme)) {
      tls = false;
    } else if ("rediss".equalsIgnoreCase(scheme)) {
      tls = true;
    } else {
      throw new IllegalArgumentException("its scheme is neither redis nor rediss");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) throw new IllegalArgumentException("it names no host");
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    int database = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("its path is not a database number");
      }
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = decode(userInfo);
      } else {
        user = colon == 0 ? null : decode(userInfo.substring(0, colon));
        password = decode(userInfo.substring(colon + 1));
      }
    }
    String separate = LlmOtelConfig.raw(PASSWORD);
    if (separate != null && !separate.isEmpty()) password = separate;
    if (password != null && password.isEmpty()) password = null;
    int timeout = LlmOtelConfig.readInt(TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 1, 60_000);
    int pool = LlmOtelConfig.readInt(POOL_SIZE, 32, 1, 1024);
    String prefix = LlmOtelConfig.raw(KEY_PREFIX);
    if (prefix == null || prefix.isEmpty()) prefix = DEFAULT_PREFIX;
    return new RedisStoreConfig(tls, host, port, database, user, password, timeout, pool, prefix, serviceName());
  }

  /** The service's name as the SDK resolves it: otel.service.name, then service.name in the resource attributes. */
  static String serviceName() {
    String name = LlmOtelConfig.raw("otel.service.name");
    if (name != null && !name.isEmpty()) return name;
    String attributes = LlmOtelConfig.raw("otel.resource.attributes");
    if (attributes != null) {
      for (String pair : attributes.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals("service.name")) {
          String value = decode(pair.substring(eq + 1).trim());
          if (!value.isEmpty()) return value;
        }
      }
    }
    return "unknown_service:java";
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), "UTF-8");
    } catch (UnsupportedEncodingException | IllegalArgumentException e) {
      return s;
    }
  }

  /** The server, without credentials: safe for a log line. */
  String describe() {
    return (tls ? "rediss://" : "redis://") + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return describe();
  }
}
