package partyclaw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * One Bot API call received by {@link FakeTelegramServer}: its parameters (JSON body or the text fields of a
 * multipart body), uploaded files by field name, and the HTTP status it was answered with (0 while held open).
 */
public record ApiCall(String method, JsonNode params, Map<String, UploadedFile> files, Instant at, int status) {

  public long chatId() {
    return params.path("chat_id").asLong();
  }

  ApiCall withStatus(int newStatus) {
    return new ApiCall(method, params, files, at, newStatus);
  }
}
