package partyclaw.channels.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.stream.BoundedSourceQueue;
import akka.stream.QueueOfferResult;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.actors.outbox.TextDelta;
import partyclaw.core.json.Json;

/** What one /v1/chat/completions request makes of the deltas and deliveries of its conversation. */
class OpenAiPendingTest {

  /** Records what the SSE stream would carry. */
  static final class Recorded implements BoundedSourceQueue<String> {
    final List<String> items = new ArrayList<>();
    boolean completed;

    @Override
    public QueueOfferResult offer(String elem) {
      items.add(elem);
      return QueueOfferResult.enqueued();
    }

    @Override
    public void complete() {
      completed = true;
    }

    @Override
    public void fail(Throwable ex) {
      completed = true;
    }

    @Override
    public int size() {
      return items.size();
    }

    List<String> contents() throws Exception {
      List<String> out = new ArrayList<>();
      for (String item : items) {
        if (item.equals("[DONE]")) {
          out.add("[DONE]");
          continue;
        }
        JsonNode choice = Json.parse(item).path("choices").get(0);
        out.add(choice.path("finish_reason").isNull() ? choice.path("delta").path("content").asText("<none>")
            : "finish:" + choice.path("finish_reason").asText());
      }
      return out;
    }
  }

  private static TextDelta delta(int round, String text) {
    return new TextDelta("web:k", "t1", round, 1, text);
  }

  @Test
  void streamsEachRoundsTextThenStopsAtTheReplyWithoutRepeatingIt() throws Exception {
    Recorded q = new Recorded();
    OpenAiEndpoint.Pending p = new OpenAiEndpoint.Pending("k", "main", q);
    p.delta(delta(1, "ignored: not active yet"));
    p.activate();
    p.delta(delta(1, "Let me look."));
    p.delta(delta(2, "Found "));
    p.delta(delta(2, "it."));
    p.delivered("reply", "Found it.");
    p.delta(delta(2, " late"));
    assertEquals(List.of("Let me look.", "\n\nFound ", "it.", "finish:stop", "[DONE]"), q.contents());
    assertTrue(q.completed);
    assertEquals("Found it.", p.answer.get());
  }

  @Test
  void aTellIsPartOfTheAnswerAndACommandAnswerThatDidNotStreamIsSentWhole() throws Exception {
    Recorded q = new Recorded();
    OpenAiEndpoint.Pending p = new OpenAiEndpoint.Pending("k", "main", q);
    p.activate();
    p.delivered("tell", "Working on it");
    p.delivered("command", "Model: main");
    assertEquals(List.of("Working on it", "\n\nModel: main", "finish:stop", "[DONE]"), q.contents());
    assertEquals("Working on it\n\nModel: main", p.answer.get());
  }

  @Test
  void aFailureEndsTheStreamWithAnErrorObject() throws Exception {
    Recorded q = new Recorded();
    OpenAiEndpoint.Pending p = new OpenAiEndpoint.Pending("k", "main", q);
    p.activate();
    p.fail("no answer within 30 minutes");
    assertEquals("{\"error\":{\"message\":\"no answer within 30 minutes\",\"type\":\"server_error\"}}", q.items.get(0));
    assertEquals("[DONE]", q.items.get(1));
    assertTrue(p.answer.isCompletedExceptionally());
  }
}
