package partyclaw.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/** An acknowledgement frame the client sent on a fake DingTalk Stream: {@code code}, {@code headers.messageId}, {@code data}. */
public record DingtalkStreamAck(int connection, String messageId, int code, String message, String data, JsonNode frame) {}
