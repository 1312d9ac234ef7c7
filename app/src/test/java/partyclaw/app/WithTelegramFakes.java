package partyclaw.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.FakeTelegramServer;

/** A fresh fake model and fake Bot API for each test of a Telegram end-to-end test class. */
abstract class WithTelegramFakes {
  FakeLlmServer llm;
  FakeTelegramServer fake;

  @BeforeEach
  void startFakes() {
    llm = TelegramITSupport.llm();
    fake = TelegramITSupport.telegram();
  }

  @AfterEach
  void stopFakes() {
    fake.close();
    llm.close();
  }
}
