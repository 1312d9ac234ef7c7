package partyclaw.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message posted to a fake DingTalk webhook. {@code target} is {@code session:<id>} for a session webhook and
 * {@code robot:<access token>} for a robot's configured webhook; {@code accepted} whether the fake answered errcode 0.
 */
public record DingtalkWebhookPost(String target, JsonNode body, boolean accepted) {
  /** The {@code text.content} of a text message. */
  public String content() {
    return body.path("text").path("content").asText(null);
  }
}
