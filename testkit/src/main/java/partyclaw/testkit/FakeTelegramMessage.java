package partyclaw.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds one incoming message for {@link FakeTelegramServer}; {@link #inject()} queues it as an update.
 * Example: {@code fake.message(-100, "group", 7).text("hi @partyclaw_test_bot").inject()}.
 */
public final class FakeTelegramMessage {
  private final FakeTelegramServer server;
  final long chatId;
  final String chatType;
  final long fromId;
  String firstName;
  String username;
  String text;
  String caption;
  Long replyTo;
  String mediaGroupId;
  String fileKind;
  String fileName;
  String mimeType;
  byte[] fileBytes;
  Long leftMemberId;

  FakeTelegramMessage(FakeTelegramServer server, long chatId, String chatType, long fromId) {
    this.server = server;
    this.chatId = chatId;
    this.chatType = chatType;
    this.fromId = fromId;
    this.firstName = "User" + fromId;
    this.username = "user" + fromId;
  }

  /** A service message: the user {@code id} (the bot's id: the bot was removed) left the chat. */
  public FakeTelegramMessage leftChatMember(long id) {
    leftMemberId = id;
    return this;
  }

  public FakeTelegramMessage text(String value) {
    this.text = value;
    return this;
  }

  public FakeTelegramMessage caption(String value) {
    this.caption = value;
    return this;
  }

  public FakeTelegramMessage from(String first, String user) {
    this.firstName = first;
    this.username = user;
    return this;
  }

  /** Makes it a reply to message {@code messageId} of the same chat (the bot's or a user's). */
  public FakeTelegramMessage replyTo(long messageId) {
    this.replyTo = messageId;
    return this;
  }

  public FakeTelegramMessage mediaGroup(String id) {
    this.mediaGroupId = id;
    return this;
  }

  /** A photo (sent by Telegram as three sizes; the last is the largest and holds these bytes). */
  public FakeTelegramMessage photo(byte[] jpeg) {
    return file("photo", null, "image/jpeg", jpeg);
  }

  public FakeTelegramMessage document(String name, String mime, byte[] bytes) {
    return file("document", name, mime, bytes);
  }

  public FakeTelegramMessage voice(byte[] ogg) {
    return file("voice", null, "audio/ogg", ogg);
  }

  private FakeTelegramMessage file(String kind, String name, String mime, byte[] bytes) {
    this.fileKind = kind;
    this.fileName = name;
    this.mimeType = mime;
    this.fileBytes = bytes.clone();
    return this;
  }

  /** Queues the message as a new update; returns its {@code update_id}. */
  public long inject() {
    return server.bot().injectMessage(this);
  }

  /** The {@code message} object, given its id and the stored files. */
  ObjectNode toJson(long messageId, ObjectNode chat, ObjectNode replied, FakeTelegramBot.StoredFile file) {
    ObjectNode m = FakeTelegramBot.MAPPER.createObjectNode();
    m.put("message_id", messageId);
    m.put("date", System.currentTimeMillis() / 1000);
    m.set("chat", chat);
    ObjectNode from = m.putObject("from");
    from.put("id", fromId).put("is_bot", false).put("first_name", firstName);
    if (username != null) from.put("username", username);
    if (text != null) {
      m.put("text", text);
      if (text.startsWith("/")) {
        int end = text.indexOf(' ');
        ArrayNode entities = m.putArray("entities");
        entities.addObject().put("type", "bot_command").put("offset", 0).put("length", end < 0 ? text.length() : end);
      }
    }
    if (caption != null) m.put("caption", caption);
    if (leftMemberId != null) {
      m.putObject("left_chat_member").put("id", leftMemberId).put("is_bot", leftMemberId == server.botId())
          .put("first_name", "member" + leftMemberId);
    }
    if (replied != null) m.set("reply_to_message", replied);
    if (mediaGroupId != null) m.put("media_group_id", mediaGroupId);
    if (file != null) {
      switch (fileKind) {
        case "photo" -> {
          ArrayNode sizes = m.putArray("photo");
          sizes.addObject().put("file_id", file.fileId() + "_s").put("file_unique_id", file.uniqueId() + "s")
              .put("width", 90).put("height", 90).put("file_size", 10);
          sizes.addObject().put("file_id", file.fileId()).put("file_unique_id", file.uniqueId())
              .put("width", 1280).put("height", 960).put("file_size", file.bytes().length);
        }
        case "document" -> {
          ObjectNode d = m.putObject("document");
          d.put("file_id", file.fileId()).put("file_unique_id", file.uniqueId()).put("file_size", file.bytes().length);
          if (fileName != null) d.put("file_name", fileName);
          if (mimeType != null) d.put("mime_type", mimeType);
        }
        default -> m.putObject(fileKind).put("file_id", file.fileId()).put("file_unique_id", file.uniqueId())
            .put("file_size", file.bytes().length).put("mime_type", mimeType).put("duration", 1);
      }
    }
    return m;
  }
}
