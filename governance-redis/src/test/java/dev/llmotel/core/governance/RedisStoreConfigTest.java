package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisStoreConfigTest {
  @AfterEach
  void clear() {
    System.clearProperty(RedisStoreConfig.PASSWORD);
    System.clearProperty(RedisStoreConfig.TIMEOUT_MS);
    System.clearProperty(RedisStoreConfig.KEY_PREFIX);
    System.clearProperty("otel.service.name");
    System.clearProperty("otel.resource.attributes");
  }

  @Test
  void readsUserPasswordHostPortDatabaseAndTls() {
    System.setProperty("otel.service.name", "checkout");
    RedisStoreConfig c = RedisStoreConfig.load("rediss://ops:p%40ss@redis.internal:6380/2");
    assertTrue(c.tls);
    assertEquals("redis.internal", c.host);
    assertEquals(6380, c.port);
    assertEquals(2, c.database);
    assertEquals("ops", c.user);
    assertEquals("p@ss", c.password);
    assertEquals(50, c.timeoutMillis);
    assertEquals("llm-otel:{checkout}:", c.keyBase);
    assertEquals("rediss://redis.internal:6380/2", c.toString(), "no credentials in what is logged");
    assertFalse(c.describe().contains("p@ss"));
  }

  @Test
  void defaultsAndThePasswordFromItsOwnSetting() {
    System.setProperty(RedisStoreConfig.PASSWORD, "from-property");
    System.setProperty(RedisStoreConfig.TIMEOUT_MS, "20");
    System.setProperty(RedisStoreConfig.KEY_PREFIX, "team-a");
    System.setProperty("otel.resource.attributes", "deployment.environment=prod,service.name=billing");
    RedisStoreConfig c = RedisStoreConfig.load("redis://localhost");
    assertFalse(c.tls);
    assertEquals(6379, c.port);
    assertEquals(0, c.database);
    assertNull(c.user);
    assertEquals("from-property", c.password);
    assertEquals(20, c.timeoutMillis);
    assertEquals("team-a:{billing}:", c.keyBase);
    System.clearProperty(RedisStoreConfig.PASSWORD);
    assertEquals("secret", RedisStoreConfig.load("redis://:secret@h:1").password);
  }

  @Test
  void aWrongUrlIsRefusedWithoutQuotingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RedisStoreConfig.load("http://user:hunter2@h:1"));
    assertFalse(e.getMessage().contains("hunter2"));
    assertThrows(IllegalArgumentException.class, () -> RedisStoreConfig.load("redis://h:1/notanumber"));
    // The factory then keeps the local store.
    LocalPolicyStore local = new LocalPolicyStore(10, 1000);
    assertTrue(SharedPolicyStores.create("memcached://x", local, 1000) == local);
  }
}
