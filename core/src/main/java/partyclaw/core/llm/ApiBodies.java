package partyclaw.core.llm;

import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;

/**
 * Request and reply bodies as the upstream API sees them, for the {@code api} log stream (spec §4.5). How much is
 * logged is {@code AGENT_FRAME_LOG_API_BODIES}: {@code full}, {@code off}, or by default a preview (the last message
 * of a request and the reply, each cut at {@link #PREVIEW_CHARS}). No header, hence no API key, is ever part of it.
 */
public final class ApiBodies {
  public static final int PREVIEW_CHARS = 1000;

  public enum Mode { FULL, PREVIEW, OFF }

  private ApiBodies() {}

  public static Mode mode(String setting) {
    if (setting == null) return Mode.PREVIEW;
    return switch (setting.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "full" -> Mode.FULL;
      case "off", "none", "0", "false" -> Mode.OFF;
      default -> Mode.PREVIEW;
    };
  }

  /** The request body to log, or null for {@link Mode#OFF}. */
  public static String request(Mode mode, LlmEndpoint endpoint, ChatRequest request) {
    return switch (mode) {
      case OFF -> null;
      case FULL -> ChatCompletionsRequestEncoder.encode(endpoint, request).utf8String();
      case PREVIEW -> request.messages().isEmpty() ? "" : cut(message(request.messages().get(
          request.messages().size() - 1)));
    };
  }

  /** The reply message to log, or null for {@link Mode#OFF}. */
  public static String reply(Mode mode, ChatMessage message) {
    return switch (mode) {
      case OFF -> null;
      case FULL -> message(message);
      case PREVIEW -> cut(message(message));
    };
  }

  private static String message(ChatMessage m) {
    return Json.write(ChatCompletionsRequestEncoder.message(m));
  }

  private static String cut(String s) {
    return s.length() <= PREVIEW_CHARS ? s : s.substring(0, PREVIEW_CHARS) + "…(" + s.length() + " chars)";
  }
}
