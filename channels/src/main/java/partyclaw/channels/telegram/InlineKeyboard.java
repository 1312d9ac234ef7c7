package partyclaw.channels.telegram;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import partyclaw.actors.outbox.ReplyOption;
import partyclaw.core.json.Json;

/**
 * A message's options as Telegram's inline keyboard: two buttons per row, the value as {@code callback_data}
 * (pressing one sends the value back as the presser's message, spec §2.1.4). Telegram refuses a whole message
 * whose {@code callback_data} exceeds 64 bytes, which the reference does not check: such options become text
 * lines in the message instead of buttons.
 *
 * @param markup the {@code reply_markup} object, or null when no option fits a button
 * @param textOnly the options that must be shown as text
 */
record InlineKeyboard(ObjectNode markup, List<ReplyOption> textOnly) {
  static final int BUTTONS_PER_ROW = 2;

  static InlineKeyboard of(List<ReplyOption> options) {
    List<ReplyOption> buttons = new ArrayList<>();
    List<ReplyOption> text = new ArrayList<>();
    for (ReplyOption o : options) (o.fitsCallbackData() ? buttons : text).add(o);
    if (buttons.isEmpty()) return new InlineKeyboard(null, List.copyOf(text));
    ObjectNode markup = Json.object();
    ArrayNode rows = markup.putArray("inline_keyboard");
    ArrayNode row = null;
    for (int i = 0; i < buttons.size(); i++) {
      if (i % BUTTONS_PER_ROW == 0) row = rows.addArray();
      row.addObject().put("text", buttons.get(i).label()).put("callback_data", buttons.get(i).value());
    }
    return new InlineKeyboard(markup, List.copyOf(text));
  }
}
