package partyclaw.channels.web;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import partyclaw.core.json.Json;

/** Small response builders shared by the web channel's routes. */
final class HttpReplies {
  private HttpReplies() {}

  static HttpResponse json(int status, Object body) {
    return HttpResponse.create().withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, Json.write(body).getBytes(StandardCharsets.UTF_8))
        .addHeader(RawHeader.create("Cache-Control", "no-store"));
  }

  /** {@code {"error": message}}: the REST routes' error shape. */
  static HttpResponse error(int status, String message) {
    ObjectNode body = Json.object();
    body.put("error", message);
    HttpResponse r = json(status, body);
    return status == 401 ? r.addHeader(RawHeader.create("WWW-Authenticate", "Bearer")) : r;
  }

  static HttpResponse text(int status, String text) {
    return HttpResponse.create().withStatus(status)
        .withEntity(ContentTypes.TEXT_PLAIN_UTF8, text.getBytes(StandardCharsets.UTF_8));
  }

  /** OpenAI's error shape: {@code {"error":{"message","type","param","code"}}}. */
  static HttpResponse openAiError(int status, String type, String code, String message) {
    ObjectNode body = Json.object();
    ObjectNode e = body.putObject("error");
    e.put("message", message);
    e.put("type", type);
    e.putNull("param");
    if (code == null) e.putNull("code");
    else e.put("code", code);
    HttpResponse r = json(status, body);
    return status == 401 ? r.addHeader(RawHeader.create("WWW-Authenticate", "Bearer")) : r;
  }
}
