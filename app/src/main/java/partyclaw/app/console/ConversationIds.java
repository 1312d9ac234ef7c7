package partyclaw.app.console;

/** The shape of a conversation id a terminal may name: {@code <channel id>:<chat id>}. */
final class ConversationIds {
  private ConversationIds() {}

  /** Why {@code id} cannot be a conversation id, or null when it can. */
  static String problem(String id) {
    if (id.length() > 256) return "conversation id is longer than 256 characters";
    int colon = id.indexOf(':');
    if (colon <= 0 || colon == id.length() - 1) {
      return "conversation id '" + id + "' must look like <channel id>:<chat id>, e.g. telegram-main:12345";
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) return "conversation id must not contain control characters";
    }
    return null;
  }
}
