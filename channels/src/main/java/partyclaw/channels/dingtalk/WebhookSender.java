package partyclaw.channels.dingtalk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import partyclaw.core.json.Json;

/**
 * Posts one plain text message to a DingTalk webhook (a conversation's session webhook or a robot's configured
 * one): {@code {"msgtype":"text","text":{"content":…}}}. It counts as sent only on HTTP 2xx with {@code errcode} 0
 * (spec 2.2); anything else fails with a {@link DingtalkHttpException} that names neither the URL nor its token.
 */
final class WebhookSender {
  private final DingtalkHttp http;
  private final DingtalkSettings settings;

  WebhookSender(DingtalkHttp http, DingtalkSettings settings) {
    this.http = http;
    this.settings = settings;
  }

  CompletionStage<Void> send(String webhookUrl, String content) {
    ObjectNode body = Json.object().put("msgtype", "text");
    body.putObject("text").put("content", content);
    return http.postJson("webhook send", webhookUrl, body, Map.of(), settings.requestTimeout()).thenApply(a -> {
      if (!a.ok()) throw new DingtalkHttpException("webhook send: HTTP " + a.status() + errmsg(a), a.status(), null);
      long errcode = a.body().path("errcode").asLong(0);
      if (errcode != 0) {
        throw new DingtalkHttpException("webhook send: errcode " + errcode + errmsg(a), a.status(), errcode);
      }
      return null;
    });
  }

  private static String errmsg(DingtalkHttp.Answer a) {
    String m = a.body().path("errmsg").asText("");
    if (m.isBlank()) return "";
    return " (" + (m.length() > 200 ? m.substring(0, 200) + "…" : m) + ")";
  }
}
