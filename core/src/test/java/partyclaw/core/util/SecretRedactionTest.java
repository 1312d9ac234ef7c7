package partyclaw.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecretRedactionTest {
  @AfterEach
  void forget() {
    SecretRedaction.clear();
  }

  @Test
  void registeredSecretsAreBlankedEverywhereLongestFirst() {
    SecretRedaction.register("sk-or-abcdef");
    SecretRedaction.register("sk-or-abcdef-and-more");
    SecretRedaction.register("  ");
    SecretRedaction.register("short");
    assertEquals("key [REDACTED] and [REDACTED]; a short word stays",
        SecretRedaction.redact("key sk-or-abcdef-and-more and sk-or-abcdef; a short word stays"));
  }

  @Test
  void telegramTokensAreBlankedInUrisEvenWhenNobodyRegisteredThem() {
    assertEquals("POST http://127.0.0.1:8081/bot4242:[REDACTED]/getUpdates failed",
        SecretRedaction.redact("POST http://127.0.0.1:8081/bot4242:AAbb-CC_dd/getUpdates failed"));
    assertEquals("GET /file/bot99:[REDACTED]/photos/1.jpg",
        SecretRedaction.redact("GET /file/bot99:x-Y_z/photos/1.jpg"));
    assertEquals("token 123456789:[REDACTED] leaked",
        SecretRedaction.redact("token 123456789:" + "AAHdqTcvCH1vGWJxfSeofSAs0K5" + "PALDsawq leaked")); // built at run time: no token-shaped literal in the source
    assertEquals("time 12:30:15 and port 127.0.0.1:8080 stay",
        SecretRedaction.redact("time 12:30:15 and port 127.0.0.1:8080 stay"));
  }

  @Test
  void theScanAgreesWithTheRegularExpressionsItReplaced() {
    // The definition the scan implements, kept here as the oracle.
    Pattern path = Pattern.compile("(?i)(/bot|/file/bot)(\\d+):[A-Za-z0-9_-]+");
    Pattern bare = Pattern.compile("\\b(\\d{5,}):[A-Za-z0-9_-]{30,}");
    String secret = "AAHdqTcvCH1vGWJxfSeofSAs0K5" + "PALDsawq";
    List<String> samples = new ArrayList<>(List.of(
        "/BOT42:x/getMe", "/file/bot7:ab-c_d", "/bot:abc", "/bot12:", "x/botty12:abcd", "abc12345:" + secret,
        "_12345:" + secret, "é12345:" + secret, "1234:" + secret, "12345:" + secret.substring(0, 29),
        "(12345:" + secret + ")", "a:b:c", ":::", "12345:" + secret + ":" + secret, "/bot1:a/bot2:b 99999:" + secret,
        "{\"k\":\"123456:" + secret + "\"}", "中文 12345:" + secret + " 中文"));
    Random random = new Random(7);
    String alphabet = "0123456789:/botBOTfile_-aZ é";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder b = new StringBuilder();
      int len = random.nextInt(60);
      for (int i = 0; i < len; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      if (random.nextInt(4) == 0) b.insert(random.nextInt(b.length() + 1), "12345:" + secret);
      samples.add(b.toString());
    }
    int blanked = 0;
    for (String sample : samples) {
      String expected = bare.matcher(path.matcher(sample).replaceAll("$1$2:" + SecretRedaction.MARK))
          .replaceAll("$1:" + SecretRedaction.MARK);
      assertEquals(expected, SecretRedaction.redact(sample), sample);
      if (!expected.equals(sample)) blanked++;
    }
    assertTrue(blanked > 1000, "samples that had something to blank: " + blanked);
  }
}
