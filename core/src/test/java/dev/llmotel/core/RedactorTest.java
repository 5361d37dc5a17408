package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorTest {
  private final Redactor all = new Redactor(true, true, Collections.emptyList());

  @Test
  void keysOfCommonProvidersAndTokenFormats() {
    String[] secrets = {"sk-ant-api03-abcdefghijklmnopqrstuv", "AKIAABCDEFGHIJKLMNOP",
        "AIzaSyA1234567890abcdefghijklmnopqrstuv", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "xoxb-1234567890-abcdefghij", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"};
    for (String secret : secrets) {
      String out = all.redact("value " + secret + " end");
      assertEquals("value [REDACTED] end", out, secret);
    }
    assertEquals("config [REDACTED] here", all.redact("config password=hunter2hunter2 here"));
    assertEquals("Authorization: [REDACTED]", all.redact("Authorization: Bearer abc.def.ghi12345"));
  }

  @Test
  void emailsAndCardNumbersThatPassTheLuhnCheck() {
    assertEquals("mail [EMAIL], or [EMAIL].", all.redact("mail jane.doe@example.com, or j+x@mail.example.co.uk."));
    assertEquals("card [CARD] and [CARD]!", all.redact("card 4111 1111 1111 1111 and 5500-0000-0000-0004!"));
    // Order numbers and phone numbers of card length that fail the Luhn check stay readable.
    assertEquals("order 1234567890123 shipped", all.redact("order 1234567890123 shipped"));
    assertEquals("an @ alone, user@localhost, a@b.c", all.redact("an @ alone, user@localhost, a@b.c"));
  }

  @Test
  void builtInsForPersonalDataCanBeLeftOutButKeysNeverAre() {
    Redactor keysOnly = new Redactor(false, false, Collections.emptyList());
    assertEquals("jane@example.com 4111111111111111 [REDACTED]",
        keysOnly.redact("jane@example.com 4111111111111111 sk-abcdefghijklmnop1234"));
  }

  @Test
  void operatorRulesFromAFileApplyAfterTheBuiltIns(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rules.json");
    Files.write(file, ("{\"rules\": [{\"pattern\": \"TCK-[0-9]+\", \"replacement\": \"[TICKET]\"},"
        + " {\"pattern\": \"(unclosed\"}, {\"replacement\": \"x\"}, {\"pattern\": \"Acme\\\\s+Corp\","
        + " \"replacement\": \"$1 literal\"}]}").getBytes(StandardCharsets.UTF_8));
    List<Redactor.Rule> rules = Redactor.rules(file.toString());
    assertEquals(2, rules.size(), "the invalid pattern and the rule without one are skipped");
    Redactor r = new Redactor(true, true, rules);
    assertEquals("[TICKET] for $1 literal ([EMAIL])", r.redact("TCK-4711 for Acme  Corp (ops@acme.example)"));
  }

  @Test
  void anUnreadableRulesFileLeavesTheBuiltIns(@TempDir Path dir) {
    assertEquals(Collections.emptyList(), Redactor.rules(dir.resolve("missing.json").toString()));
  }

  @Test
  void aLongRunWithoutSecretsComesBackUnchanged() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 200_000; i++) sb.append('a');
    sb.append('@');
    for (int i = 0; i < 200_000; i++) sb.append("1 ");
    String text = sb.toString();
    // A backtracking pattern would not return from this for hours.
    assertEquals(text, all.redact(text));
  }

  @Test
  void capturedTextIsDataNeverInterpreted() {
    String injection = "${jndi:ldap://x/y} {{7*7}} %s $1 \\\\ \"}]";
    assertEquals(injection, all.redact(injection));
    assertFalse(ContentJson.messages(Collections.singletonList(new LlmMessage("user")
        .add(LlmMessage.Part.text(injection))), 1000).json.contains("49"));
  }

  @Test
  void thePrescanNeverHidesWhatTheFullScanWouldFind() {
    // Every built-in format is hinted by the one-pass scan, in any letter case the patterns accept.
    String[] texts = {"x sk-abcdefghijklmnop1234", "BEARER abcdefgh1234", "AKIAABCDEFGHIJKLMNOP",
        "ASIAABCDEFGHIJKLMNOP", "AIzaSyA1234567890abcdefghijklmnopqrstuv", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "xoxb-1234567890-abcdefghij", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
        "API_KEY=abcdef123", "Secret: hunter2hunter2", "PASSWORD=hunter2hunter2", "access-token=abcdefgh"};
    for (String text : texts) {
      assertTrue((Redactor.hints(text) & Redactor.HINT_KEY) != 0, text);
      assertTrue(all.redact(text).contains("[REDACTED]"), text);
    }
    assertEquals(0, Redactor.hints("Once upon a time, in 1984, a quiet town."));
  }
}
