package partyclaw.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
