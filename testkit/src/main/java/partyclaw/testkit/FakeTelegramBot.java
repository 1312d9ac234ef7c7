package partyclaw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The state and the method handlers behind {@link FakeTelegramServer}: queued updates, chats, stored files and
 * everything the bot sent. Every method runs under {@link #lock}; waiting callers use {@link #lock} as monitor.
 */
final class FakeTelegramBot {
  static final ObjectMapper MAPPER = new ObjectMapper();

  record Reply(int status, JsonNode body) {}

  record StoredFile(String fileId, String uniqueId, String path, byte[] bytes) {}

  /** A held getUpdates; completed with true when a newer getUpdates terminated it (409). */
  record Waiter(long offset, int limit, CompletableFuture<Boolean> done) {}

  final Object lock = new Object();
  final long botId;
  final String botUsername;

  private long nextUpdateId = 1000;
  private long confirmedOffset;
  private final TreeMap<Long, ObjectNode> updates = new TreeMap<>();
  private final Set<Long> delivered = new LinkedHashSet<>();
  Waiter waiter;

  private final Map<Long, Long> messageIds = new HashMap<>();
  private final Map<String, ObjectNode> messagesByKey = new HashMap<>();
  private final Map<Long, String> chatTypes = new HashMap<>();
  private final Map<Long, Integer> memberCounts = new HashMap<>();
  private final Map<Long, List<SentMessage>> sent = new LinkedHashMap<>();
  /** Every send and edit in order, for a reader that follows all chats at once (the benchmark's driver). */
  private final List<SentMessage> sentFeed = new ArrayList<>();
  private CompletableFuture<Void> sentFeedGrew = new CompletableFuture<>();
  /** While a batch is injected, a held getUpdates is answered once, with the whole batch. */
  private boolean batching;
  private final Map<Long, List<String>> chatActions = new HashMap<>();
  private final Map<String, JsonNode> commandsByScope = new LinkedHashMap<>();
  private final Map<String, StoredFile> files = new HashMap<>();
  private final Map<String, StoredFile> filesByPath = new HashMap<>();
  final List<ApiCall> calls = new ArrayList<>();

  FakeTelegramBot(long botId, String botUsername) {
    this.botId = botId;
    this.botUsername = botUsername;
  }

  // ---- script side ----

  long injectMessage(FakeTelegramMessage spec) {
    synchronized (lock) {
      chatTypes.putIfAbsent(spec.chatId, spec.chatType);
      long messageId = nextMessageId(spec.chatId);
      StoredFile file = spec.fileBytes == null ? null : storeFile(spec.fileKind, spec.fileBytes);
      ObjectNode replied = spec.replyTo == null ? null : messagesByKey.get(spec.chatId + "/" + spec.replyTo);
      ObjectNode message = spec.toJson(messageId, chat(spec.chatId), replied == null ? null : replied.deepCopy(), file);
      messagesByKey.put(spec.chatId + "/" + messageId, message);
      ObjectNode update = MAPPER.createObjectNode();
      update.set("message", message);
      return queue(update);
    }
  }

  long injectCallback(long chatId, long fromId, long messageId, String data) {
    synchronized (lock) {
      ObjectNode update = MAPPER.createObjectNode();
      ObjectNode q = update.putObject("callback_query");
      q.put("id", "cb" + nextUpdateId);
      q.putObject("from").put("id", fromId).put("is_bot", false).put("first_name", "User" + fromId);
      ObjectNode original = messagesByKey.get(chatId + "/" + messageId);
      q.set("message", original != null ? original.deepCopy()
          : MAPPER.createObjectNode().put("message_id", messageId).set("chat", chat(chatId)));
      q.put("data", data);
      return queue(update);
    }
  }

  /** Queues {@code update} as it is (a copy; its {@code update_id} is assigned here): for malformed-update tests. */
  long injectRaw(ObjectNode update) {
    synchronized (lock) {
      ObjectNode copy = update.deepCopy();
      copy.remove("update_id");
      return queue(copy);
    }
  }

  private long queue(ObjectNode update) {
    long id = nextUpdateId++;
    update.put("update_id", id);
    updates.put(id, update);
    if (waiter != null && !batching) waiter.done().complete(false);
    lock.notifyAll();
    return id;
  }

  /** Queues all of {@code specs} before a held getUpdates answers, so that it gets them in one batch. */
  List<Long> injectMessages(List<FakeTelegramMessage> specs) {
    synchronized (lock) {
      List<Long> ids = new ArrayList<>();
      batching = true;
      try {
        for (FakeTelegramMessage spec : specs) ids.add(injectMessage(spec));
      } finally {
        batching = false;
      }
      if (waiter != null && !ids.isEmpty()) waiter.done().complete(false);
      return ids;
    }
  }

  void setMemberCount(long chatId, int count) {
    synchronized (lock) {
      memberCounts.put(chatId, count);
    }
  }

  long confirmedOffset() {
    synchronized (lock) {
      return confirmedOffset;
    }
  }

  List<Long> pendingUpdateIds() {
    synchronized (lock) {
      return List.copyOf(updates.keySet());
    }
  }

  boolean wasDelivered(long updateId) {
    return delivered.contains(updateId);
  }

  List<SentMessage> sentMessages(long chatId) {
    return List.copyOf(sent.getOrDefault(chatId, List.of()));
  }

  /** Sends and edits from position {@code from} of the feed on (each edit is the edited message as it now stands). */
  List<SentMessage> sentFeed(int from) {
    return List.copyOf(sentFeed.subList(Math.min(Math.max(0, from), sentFeed.size()), sentFeed.size()));
  }

  int sentFeedSize() {
    return sentFeed.size();
  }

  /** Completes when the feed next grows. */
  CompletableFuture<Void> sentFeedGrows() {
    return sentFeedGrew;
  }

  private void feed(SentMessage m) {
    sentFeed.add(m);
    CompletableFuture<Void> grew = sentFeedGrew;
    sentFeedGrew = new CompletableFuture<>();
    grew.complete(null);
  }

  List<String> chatActions(long chatId) {
    return List.copyOf(chatActions.getOrDefault(chatId, List.of()));
  }

  JsonNode commands(String scope) {
    return commandsByScope.get(scope);
  }

  Map<Long, List<SentMessage>> allSent() {
    Map<Long, List<SentMessage>> copy = new LinkedHashMap<>();
    sent.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  StoredFile fileByPath(String path) {
    synchronized (lock) {
      return filesByPath.get(path);
    }
  }

  // ---- API side ----

  /** getUpdates: confirms everything below {@code offset}, then answers what is left (maybe nothing yet). */
  List<ObjectNode> confirmAndPeek(long offset, int limit) {
    if (offset > 0) {
      updates.headMap(offset).clear();
      confirmedOffset = Math.max(confirmedOffset, offset);
    }
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode u : updates.tailMap(offset).values()) {
      if (out.size() >= limit) break;
      out.add(u);
      delivered.add(u.get("update_id").asLong());
    }
    if (!out.isEmpty()) lock.notifyAll();
    return out;
  }

  Reply handle(String method, JsonNode p, Map<String, UploadedFile> uploads) {
    switch (method) {
      case "getMe":
        return ok(MAPPER.createObjectNode().put("id", botId).put("is_bot", true)
            .put("first_name", "Partyclaw Test Bot").put("username", botUsername));
      case "setMyCommands":
        commandsByScope.put(p.path("scope").path("type").asText("default"), p.path("commands"));
        return ok(MAPPER.getNodeFactory().booleanNode(true));
      case "deleteMyCommands":
      case "answerCallbackQuery":
      case "deleteMessage":
        return ok(MAPPER.getNodeFactory().booleanNode(true));
      case "getChatMemberCount": {
        long chatId = p.path("chat_id").asLong();
        String type = chatTypes.getOrDefault(chatId, "private");
        int count = memberCounts.getOrDefault(chatId, type.equals("private") ? 2 : 10);
        return ok(MAPPER.getNodeFactory().numberNode(count));
      }
      case "getChat":
        return ok(chat(p.path("chat_id").asLong()));
      case "sendChatAction":
        chatActions.computeIfAbsent(p.path("chat_id").asLong(), k -> new ArrayList<>()).add(p.path("action").asText());
        return ok(MAPPER.getNodeFactory().booleanNode(true));
      case "getFile": {
        StoredFile f = files.get(p.path("file_id").asText());
        if (f == null) return error(400, "Bad Request: invalid file_id");
        return ok(MAPPER.createObjectNode().put("file_id", f.fileId()).put("file_unique_id", f.uniqueId())
            .put("file_size", f.bytes().length).put("file_path", f.path()));
      }
      case "sendMessage":
        return sendMessage(p);
      case "editMessageText":
        return editMessageText(p);
      case "sendMediaGroup":
        return sendMediaGroup(p, uploads);
      case "sendPhoto":
      case "sendDocument":
      case "sendAudio":
      case "sendVoice":
      case "sendVideo":
      case "sendAnimation":
        return sendMedia(method, p, uploads);
      default:
        return error(404, "Not Found: method " + method + " is not served by FakeTelegramServer");
    }
  }

  private Reply sendMessage(JsonNode p) {
    long chatId = p.path("chat_id").asLong();
    String text = p.path("text").asText("");
    String mode = p.path("parse_mode").asText(null);
    Reply invalid = checkText(text, mode, 4096, "message is too long", "message text is empty");
    if (invalid != null) return invalid;
    Reply badMarkup = checkMarkup(p.get("reply_markup"));
    if (badMarkup != null) return badMarkup;
    SentMessage m = new SentMessage(chatId, nextMessageId(chatId), "sendMessage", text, mode, null,
        p.get("reply_markup"), 0);
    return ok(record(m));
  }

  private Reply editMessageText(JsonNode p) {
    long chatId = p.path("chat_id").asLong();
    long messageId = p.path("message_id").asLong();
    String text = p.path("text").asText("");
    String mode = p.path("parse_mode").asText(null);
    Reply invalid = checkText(text, mode, 4096, "MESSAGE_TOO_LONG", "message text is empty");
    if (invalid != null) return invalid;
    List<SentMessage> list = sent.getOrDefault(chatId, List.of());
    for (int i = 0; i < list.size(); i++) {
      SentMessage m = list.get(i);
      if (m.messageId() != messageId) continue;
      if (text.equals(m.text())) {
        return error(400, "Bad Request: message is not modified: specified new message content and reply markup are"
            + " exactly the same as a current content and reply markup of the message");
      }
      SentMessage edited = m.edited(text, mode);
      list.set(i, edited);
      feed(edited);
      lock.notifyAll();
      return ok(messageJson(edited));
    }
    return error(400, "Bad Request: message to edit not found");
  }

  private Reply sendMedia(String method, JsonNode p, Map<String, UploadedFile> uploads) {
    long chatId = p.path("chat_id").asLong();
    String field = Character.toLowerCase(method.charAt(4)) + method.substring(5);
    UploadedFile file = uploads.get(field);
    if (file == null) {
      if (p.path(field).isMissingNode()) return error(400, "Bad Request: there is no " + field + " in the request");
      file = new UploadedFile(field, p.path(field).asText(), null, new byte[0]);
    }
    if (file.bytes().length == 0 && uploads.containsKey(field)) return error(400, "Bad Request: file must be non-empty");
    String caption = p.path("caption").asText(null);
    String mode = p.path("parse_mode").asText(null);
    if (caption != null) {
      Reply invalid = checkText(caption, mode, 1024, "message caption is too long", null);
      if (invalid != null) return invalid;
    }
    JsonNode markup = p.get("reply_markup");
    if (markup != null && markup.isTextual()) {
      try {
        markup = MAPPER.readTree(markup.asText()); // multipart: the keyboard comes as a JSON string
      } catch (java.io.IOException e) {
        return error(400, "Bad Request: can't parse reply keyboard markup JSON object");
      }
    }
    Reply badMarkup = checkMarkup(markup);
    if (badMarkup != null) return badMarkup;
    SentMessage m = new SentMessage(chatId, nextMessageId(chatId), method, caption, mode, file, markup, 0);
    return ok(record(m));
  }

  /** Telegram refuses the whole message when a button's callback_data is empty or over 64 bytes. */
  private Reply checkMarkup(JsonNode markup) {
    if (markup == null) return null;
    for (JsonNode row : markup.path("inline_keyboard")) {
      for (JsonNode button : row) {
        int bytes = button.path("callback_data").asText("").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (button.has("callback_data") && (bytes == 0 || bytes > 64)) return error(400, "Bad Request: BUTTON_DATA_INVALID");
      }
    }
    return null;
  }

  /**
   * An album: {@code media} (a JSON array, as a form field in multipart calls) of 2–10 photos whose {@code media}
   * names an uploaded part with {@code attach://<field>}. Each photo is recorded as one sent message of method
   * sendMediaGroup; the caption rides on the photo that carries it.
   */
  private Reply sendMediaGroup(JsonNode p, Map<String, UploadedFile> uploads) {
    long chatId = p.path("chat_id").asLong();
    JsonNode media = p.path("media");
    if (media.isTextual()) {
      try {
        media = MAPPER.readTree(media.asText());
      } catch (Exception e) {
        return error(400, "Bad Request: can't parse media JSON object");
      }
    }
    if (!media.isArray() || media.size() < 2 || media.size() > 10) {
      return error(400, "Bad Request: media must include 2-10 items");
    }
    List<SentMessage> album = new ArrayList<>();
    for (JsonNode item : media) {
      String ref = item.path("media").asText("");
      UploadedFile file = ref.startsWith("attach://") ? uploads.get(ref.substring("attach://".length())) : null;
      if (file == null) return error(400, "Bad Request: wrong file identifier/HTTP URL specified");
      if (!"photo".equals(item.path("type").asText())) return error(400, "Bad Request: unsupported media type");
      String caption = item.path("caption").asText(null);
      String mode = item.path("parse_mode").asText(null);
      if (caption != null) {
        Reply invalid = checkText(caption, mode, 1024, "message caption is too long", null);
        if (invalid != null) return invalid;
      }
      album.add(new SentMessage(chatId, 0, "sendMediaGroup", caption, mode, file, null, 0));
    }
    List<ObjectNode> results = new ArrayList<>();
    for (SentMessage m : album) {
      results.add(record(new SentMessage(chatId, nextMessageId(chatId), m.method(), m.text(), m.parseMode(), m.file(),
          null, 0)));
    }
    return ok(results);
  }

  private Reply checkText(String text, String mode, int limit, String tooLong, String empty) {
    String visible = text;
    if ("HTML".equalsIgnoreCase(mode)) {
      try {
        visible = TelegramHtml.visibleText(text);
      } catch (TelegramHtml.ParseException e) {
        return error(400, e.getMessage());
      }
    }
    if (empty != null && visible.isBlank()) return error(400, "Bad Request: " + empty);
    if (visible.length() > limit) return error(400, "Bad Request: " + tooLong);
    return null;
  }

  private ObjectNode record(SentMessage m) {
    sent.computeIfAbsent(m.chatId(), k -> new ArrayList<>()).add(m);
    feed(m);
    ObjectNode json = messageJson(m);
    messagesByKey.put(m.chatId() + "/" + m.messageId(), json);
    lock.notifyAll();
    return json;
  }

  private ObjectNode messageJson(SentMessage m) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("message_id", m.messageId());
    json.put("date", Instant.now().getEpochSecond());
    json.set("chat", chat(m.chatId()));
    json.putObject("from").put("id", botId).put("is_bot", true).put("first_name", "Partyclaw Test Bot")
        .put("username", botUsername);
    if (m.method().equals("sendMessage") || m.method().equals("editMessageText")) {
      json.put("text", m.visibleText());
    } else if (m.text() != null) {
      json.put("caption", m.visibleText());
    }
    return json;
  }

  ObjectNode chat(long chatId) {
    String type = chatTypes.getOrDefault(chatId, chatId > 0 ? "private" : "group");
    ObjectNode chat = MAPPER.createObjectNode().put("id", chatId).put("type", type);
    if (type.equals("private")) chat.put("first_name", "User" + chatId);
    else chat.put("title", "Group " + chatId);
    return chat;
  }

  private long nextMessageId(long chatId) {
    return messageIds.merge(chatId, 1L, Long::sum);
  }

  private StoredFile storeFile(String kind, byte[] bytes) {
    String n = Integer.toString(files.size() + 1);
    String ext = switch (kind) {
      case "photo" -> ".jpg";
      case "voice" -> ".oga";
      default -> "";
    };
    StoredFile f = new StoredFile("FILE" + n + "-" + Long.toHexString(System.nanoTime()), "U" + n,
        (kind.equals("photo") ? "photos" : kind + "s") + "/file_" + n + ext, bytes);
    files.put(f.fileId(), f);
    filesByPath.put(f.path(), f);
    return f;
  }

  static Reply ok(JsonNode result) {
    ObjectNode body = MAPPER.createObjectNode().put("ok", true);
    body.set("result", result);
    return new Reply(200, body);
  }

  static Reply ok(List<ObjectNode> results) {
    ObjectNode body = MAPPER.createObjectNode().put("ok", true);
    ArrayNode arr = body.putArray("result");
    results.forEach(arr::add);
    return new Reply(200, body);
  }

  static Reply error(int status, String description) {
    return error(status, description, null);
  }

  static Reply error(int status, String description, Integer retryAfter) {
    ObjectNode body = MAPPER.createObjectNode().put("ok", false).put("error_code", status).put("description", description);
    if (retryAfter != null) body.putObject("parameters").put("retry_after", retryAfter);
    return new Reply(status, body);
  }
}
