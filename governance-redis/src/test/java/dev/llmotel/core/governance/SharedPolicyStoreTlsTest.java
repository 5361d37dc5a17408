package dev.llmotel.core.governance;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

/**
 * The store over TLS ({@code governance.store=rediss://...}) against real redis-servers that speak
 * TLS only, with self-signed certificates this test makes, trusted the way an operator trusts them:
 * a PKCS12 truststore named by {@code javax.net.ssl.trustStore}. Every store is built from its URL by
 * the agent's entry point, {@link SharedPolicyStores#create(String, PolicyStore, long)}. Over
 * rediss:// bursts admit exactly their limit across two replicas, counted in Redis. A redis:// client
 * on the TLS port, a rediss:// client shown a certificate the truststore does not hold, and one shown
 * a trusted certificate issued for another name each decide on their local state with the same
 * limit: no call throws or waits, one log line says why.
 *
 * <p>The JVM makes its default SSLContext, which Jedis uses when given no socket factory (and the
 * store gives none), once, from the javax.net.ssl properties as they are then. This class first
 * makes it itself, before naming the truststore, as any earlier TLS test of the same surefire fork
 * would; then does what the JVM does at start with an operator's {@code -Djavax.net.ssl.trustStore}
 * (a context whose trust managers read those properties) and installs that as the default; after
 * the class, the previous default and properties are put back.
 */
class SharedPolicyStoreTlsTest {
  static final String PASSWORD = "tls-test-pw";
  static final String PREFIX = "llm-otel-tls";
  /** Generous: a TLS handshake on a busy 2-core machine; no fallback here may be a timeout's. */
  static final int TIMEOUT_MS = 2000;
  static final int THREADS = 32;
  static final int ROUNDS = 5;
  static final int LIMIT = 10;
  static final String[] PROPERTIES = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
      "javax.net.ssl.trustStoreType", "otel.service.name", RedisStoreConfig.TIMEOUT_MS, RedisStoreConfig.KEY_PREFIX};
  static final Map<String, String> propertiesBefore = new LinkedHashMap<>();
  static final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  static final AtomicInteger services = new AtomicInteger();

  @TempDir
  static Path dir;
  static SSLContext defaultBefore;
  /** Its certificate, for IP 127.0.0.1, is in the truststore. */
  static RedisServer trusted;
  /** Its certificate, for IP 127.0.0.1 too (another subject), is not. */
  static RedisServer untrusted;
  /** Its certificate is in the truststore but names redis.example.com only. */
  static RedisServer otherName;

  final CapturedLog log = new CapturedLog(SharedPolicyStore.class, SharedPolicyStores.class);
  final List<LogRecord> logged = log.records;
  final List<SharedPolicyStore> stores = new ArrayList<>();

  @BeforeAll
  static void startTlsServers() throws Exception {
    Assumptions.assumeTrue(RedisServer.binary() != null, "redis-server not found on PATH (install Debian's "
        + "redis-server; .ci/run does): skipping the TLS tests against a real Redis");
    for (String p : PROPERTIES) propertiesBefore.put(p, System.getProperty(p));
    // Made now, before the truststore exists, as by any earlier TLS test of this fork: it trusts the JDK's cacerts.
    defaultBefore = SSLContext.getDefault();

    X509Certificate trustedCert = selfSigned("trusted", "CN=127.0.0.1", "IP:127.0.0.1");
    selfSigned("untrusted", "CN=127.0.0.1, O=untrusted", "IP:127.0.0.1");
    X509Certificate otherNameCert = selfSigned("other-name", "CN=redis.example.com", "DNS:redis.example.com");
    KeyStore truststore = KeyStore.getInstance("PKCS12");
    truststore.load(null, null);
    truststore.setCertificateEntry("redis-trusted", trustedCert);
    truststore.setCertificateEntry("redis-other-name", otherNameCert);
    Path truststoreFile = dir.resolve("truststore.p12");
    try (OutputStream out = Files.newOutputStream(truststoreFile)) {
      truststore.store(out, PASSWORD.toCharArray());
    }

    // The operator's -Djavax.net.ssl.trustStore=... and the store's settings.
    System.setProperty("javax.net.ssl.trustStore", truststoreFile.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    System.setProperty(RedisStoreConfig.TIMEOUT_MS, String.valueOf(TIMEOUT_MS));
    System.setProperty(RedisStoreConfig.KEY_PREFIX, PREFIX);
    // What the JVM makes of those properties at start: no key or trust managers given, so its trust
    // managers read javax.net.ssl.trustStore*. The default made above predates them; this replaces it.
    SSLContext operators = SSLContext.getInstance("TLS");
    operators.init(null, null, null);
    SSLContext.setDefault(operators);

    trusted = RedisServer.launchTls(dir.resolve("trusted.crt"), dir.resolve("trusted.key"));
    untrusted = RedisServer.launchTls(dir.resolve("untrusted.crt"), dir.resolve("untrusted.key"));
    otherName = RedisServer.launchTls(dir.resolve("other-name.crt"), dir.resolve("other-name.key"));
  }

  @AfterAll
  static void stopAndRestore() throws Exception {
    pool.shutdownNow();
    for (RedisServer s : new RedisServer[] {trusted, untrusted, otherName}) {
      if (s != null) s.stop();
    }
    if (defaultBefore != null) SSLContext.setDefault(defaultBefore);
    for (Map.Entry<String, String> e : propertiesBefore.entrySet()) {
      if (e.getValue() == null) {
        System.clearProperty(e.getKey());
      } else {
        System.setProperty(e.getKey(), e.getValue());
      }
    }
  }

  @BeforeEach
  void captureLog() {
    log.attach();
  }

  @AfterEach
  void stopProbes() {
    log.detach();
    for (SharedPolicyStore s : stores) s.stopProbe();
  }

  /**
   * A self-signed RSA certificate made by the JDK's keytool, written for redis-server as {@code
   * name.crt} and {@code name.key} (PEM, the key unencrypted PKCS#8).
   */
  static X509Certificate selfSigned(String name, String dname, String san) throws Exception {
    Path p12 = dir.resolve(name + ".p12");
    String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", dname, "-ext", "SAN=" + san, "-storetype", "PKCS12", "-keystore", p12.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + output);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    X509Certificate cert = (X509Certificate) ks.getCertificate(name);
    writePem(dir.resolve(name + ".crt"), "CERTIFICATE", cert.getEncoded());
    writePem(dir.resolve(name + ".key"), "PRIVATE KEY", ((PrivateKey) ks.getKey(name, PASSWORD.toCharArray())).getEncoded());
    return cert;
  }

  static void writePem(Path file, String type, byte[] der) throws Exception {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII)).encodeToString(der);
    Files.write(file, ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n").getBytes(US_ASCII));
  }

  /** A replica's store as the agent builds it from {@code governance.store=url}, for {@code service}. */
  SharedPolicyStore replica(String url, String service) {
    System.setProperty("otel.service.name", service);
    PolicyStore s = SharedPolicyStores.create(url, new LocalPolicyStore(1000, 3_600_000), 3_600_000);
    assertTrue(s instanceof SharedPolicyStore, "a shared store for " + url + ": " + s);
    stores.add((SharedPolicyStore) s);
    return (SharedPolicyStore) s;
  }

  static String newService() {
    return "tls-svc-" + services.incrementAndGet();
  }

  List<String> lines(String needle, Level level) {
    List<String> out = new ArrayList<>();
    SimpleFormatter f = new SimpleFormatter();
    for (LogRecord r : logged) {
      String m = f.formatMessage(r);
      if (r.getLevel() == level && m.contains(needle)) out.add(m);
    }
    return out;
  }

  static List<Admission> burst(List<SharedPolicyStore> replicas, AdmissionRequest request) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<Admission>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      SharedPolicyStore replica = replicas.get(i % replicas.size());
      futures.add(pool.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        return replica.admit(request);
      }));
    }
    List<Admission> out = new ArrayList<>();
    for (Future<Admission> f : futures) out.add(f.get(30, TimeUnit.SECONDS));
    return out;
  }

  static long admitted(List<Admission> results) {
    return results.stream().filter(a -> !a.refused()).count();
  }

  /** A client of the trusted server's, beside the store: over TLS too, there is no plain port. */
  static JedisPooled admin() {
    return new JedisPooled(new HostAndPort("127.0.0.1", trusted.port),
        DefaultJedisClientConfig.builder().ssl(true).socketTimeoutMillis(5000).build());
  }

  @Test
  void overRedissABurstAdmitsExactlyItsLimitAcrossTwoReplicasCountedInRedis() throws Exception {
    String url = "rediss://127.0.0.1:" + trusted.port;
    try (JedisPooled admin = admin()) {
      assertEquals(List.of("port", "0"), BuilderFactory.STRING_LIST.build(admin.sendCommand(Protocol.Command.CONFIG,
          "GET", "port")), "the server has no plain port");
      for (int round = 0; round < ROUNDS; round++) {
        String service = newService();
        List<SharedPolicyStore> replicas = List.of(replica(url, service), replica(url, service));
        long now = System.currentTimeMillis();
        List<Admission> results = burst(replicas, new AdmissionRequest(now, 0).rate("rate/tls/m", LIMIT, true));
        assertEquals(LIMIT, admitted(results), "round " + round + ": " + THREADS + " calls against a limit of " + LIMIT);
        Admission refused = results.stream().filter(Admission::refused).findFirst().get();
        assertEquals(Admission.Check.RATE_LIMIT, refused.failures.get(0).check);
        for (SharedPolicyStore r : replicas) assertFalse(r.onFallback(), "round " + round + ": stayed on Redis");
        double inRedis = admin.hgetAll(PREFIX + ":{" + service + "}:rate/tls/m").values().stream()
            .mapToDouble(Double::parseDouble).sum();
        assertEquals(LIMIT, inRedis, "round " + round + ": the admissions were counted in Redis, over TLS");
      }
    }
    assertEquals(List.of(), lines("is unavailable", Level.WARNING));
    List<String> shared = lines("policy state shared through", Level.INFO);
    assertEquals(2 * ROUNDS, shared.size());
    assertTrue(shared.get(0).contains("rediss://127.0.0.1:" + trusted.port + "/0"), shared.get(0));
  }

  /**
   * {@code url}'s store: every call answered at once (none throws), on the local state with the same
   * limit, one warning line whose reason contains one of {@code reasons}.
   */
  void fallsBackToItsLocalState(String url, String... reasons) {
    SharedPolicyStore store = replica(url, newService());
    List<Admission> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      out.add(store.admit(new AdmissionRequest(System.currentTimeMillis(), 0).rate("rate/tls/m", 3, true)));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(ms < TIMEOUT_MS, "call " + i + " took " + ms + " ms: it failed, not timed out");
    }
    assertTrue(store.onFallback(), "on its local state");
    assertEquals(3, admitted(out), "the local state enforces the same limit");
    List<String> warnings = lines("is unavailable", Level.WARNING);
    assertEquals(1, warnings.size(), "one line at the transition: " + warnings);
    String line = warnings.get(0);
    assertTrue(line.contains(url.substring(0, url.indexOf(':')) + "://127.0.0.1:"), line);
    boolean named = false;
    for (String reason : reasons) named |= line.contains(reason);
    assertTrue(named, "the line names the reason: " + line);
  }

  @Test
  void aPlainRedisClientOnTheTlsPortFallsBack() {
    // The server drops a connection whose first bytes are no TLS handshake (a reset, or the end of the stream).
    fallsBackToItsLocalState("redis://127.0.0.1:" + trusted.port, "JedisConnectionException");
  }

  @Test
  void aRedissClientShownACertificateTheTruststoreDoesNotHoldFallsBack() {
    fallsBackToItsLocalState("rediss://127.0.0.1:" + untrusted.port, "unable to find valid certification path");
  }

  @Test
  void aRedissClientShownATrustedCertificateForAnotherNameFallsBack() {
    fallsBackToItsLocalState("rediss://127.0.0.1:" + otherName.port, "No subject alternative names matching");
  }
}
