package partyclaw.actors.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.core.tokens.TokenCalibration;
import partyclaw.core.tokens.TokenEstimator;
import partyclaw.core.transcript.ChatMessage;

class ContextMeterTest {
  private static final String MODEL = "gpt-4o";

  @Test
  void aTranscriptCountsTheSameWhetherItGrewChangedOrShrank() {
    ContextMeter meter = new ContextMeter(new TokenCalibration());
    List<ChatMessage> transcript = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      transcript.add(ChatMessage.user("question number " + i + " " + "word ".repeat(i)));
      if (i == 20) transcript.set(3, ChatMessage.user("a summary that replaced the third message"));
      if (i == 30) transcript.subList(0, 10).clear();
      assertEquals(fromScratch(transcript), meter.raw(MODEL, "prompt", List.of(), List.copyOf(transcript), List.of()),
          "after message " + i);
    }
  }

  private static long fromScratch(List<ChatMessage> transcript) {
    ContextMeter fresh = new ContextMeter(new TokenCalibration());
    long total = fresh.fixed(MODEL, "prompt", List.of());
    TokenEstimator estimator = fresh.estimator(MODEL);
    for (ChatMessage m : transcript) total += estimator.messageTokens(m);
    return total;
  }
}
