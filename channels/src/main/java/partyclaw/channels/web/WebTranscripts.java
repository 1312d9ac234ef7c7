package partyclaw.channels.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import partyclaw.core.json.Json;

/**
 * What the browser shows of each web conversation: the user's messages and everything delivered to it, one JSON
 * line per entry in {@code <dir>/<base64url(key)>.jsonl}, appended as it happens. An entry is
 * {@code {seq, ts, type, text, outbound_id?, images[], attachments[], options[]}}, {@code type} being {@code user} or
 * the outbox kind ({@code reply}, {@code tell}, {@code notice}, {@code error}, {@code command}). The conversation's
 * journal stays the source of truth for the agent; this is the channel's record of what its user saw, so a
 * delivery is acknowledged once it is written here. A torn last line (a crash mid-write) is skipped on load.
 * Thread-safe: every method is synchronized (they are short file appends and reads on the channel's I/O pool).
 *
 * <p>In a cluster every node keeps its own copy of the files in the shared directory: an append holds an OS lock on
 * the file and first reads what other nodes appended (so {@code seq} stays one sequence), and every read catches up
 * with the file's complete lines; a file replaced or removed by another node is read again from the start.
 */
final class WebTranscripts {
  static final int SUMMARY_CHARS = 160;

  private final Path dir;
  private final Map<String, Loaded> loaded = new HashMap<>();
  /** How often each key was deleted: a deleted key used again is a new conversation (a new entity). */
  private final Map<String, Integer> generations = new HashMap<>();
  private FileTime generationsSeen;

  /** A transcript as far as read: its entries, the file (inode) they came from and the bytes of complete lines. */
  private static final class Loaded {
    final List<ObjectNode> entries = new ArrayList<>();
    Object fileKey;
    long bytes;
  }

  WebTranscripts(Path dir) {
    this.dir = dir;
    refreshGenerations();
  }

  /** Re-reads {@code generations.json} when another node (or a restart) changed it. */
  private void refreshGenerations() {
    Path file = dir.resolve("generations.json");
    try {
      FileTime modified = Files.isRegularFile(file) ? Files.getLastModifiedTime(file) : null;
      if (modified == null || modified.equals(generationsSeen)) return;
      generations.clear();
      Json.parse(Files.readString(file)).fields().forEachRemaining(e -> generations.put(e.getKey(), e.getValue().asInt()));
      generationsSeen = modified;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The entity key of a conversation key: the key itself, or {@code <key>~g<n>} once it was deleted n times. */
  synchronized String entityKey(String key) {
    refreshGenerations();
    int g = generations.getOrDefault(key, 0);
    return g == 0 ? key : key + ConversationKeys.GENERATION_MARK + g;
  }

  /** The conversation key of an entity key, when that entity is the key's current one (not a deleted one). */
  synchronized Optional<String> currentKeyOf(String entityKey) {
    String key = ConversationKeys.withoutGeneration(entityKey);
    return entityKey(key).equals(entityKey) ? Optional.of(key) : Optional.empty();
  }

  private Path file(String key) {
    return dir.resolve(Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8))
        + ".jsonl");
  }

  private static Optional<String> keyOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".jsonl")) return Optional.empty();
    try {
      return Optional.of(new String(Base64.getUrlDecoder().decode(name.substring(0, name.length() - 6)),
          StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  synchronized boolean exists(String key) {
    return Files.isRegularFile(file(key));
  }

  /** Creates the conversation's record when it has none; its summary. */
  synchronized ObjectNode ensure(String key) {
    entries(key, true);
    return summary(key);
  }

  /** Appends a user message ({@code user}) or a note of the channel's own ({@code error}); the stored entry. */
  synchronized ObjectNode appendLocal(String key, String type, String text) {
    ObjectNode e = Json.object();
    e.put("type", type);
    e.put("text", text);
    return append(key, e);
  }

  /**
   * Appends a delivered outbox entry, or returns empty when this {@code outboundId} was already recorded (the
   * conversation re-sends until it hears back).
   */
  synchronized Optional<ObjectNode> appendDelivered(String key, long outboundId, ObjectNode entry) {
    List<ObjectNode> list = entries(key, true);
    for (int i = list.size() - 1; i >= 0; i--) {
      JsonNode id = list.get(i).get("outbound_id");
      if (id != null && id.asLong() == outboundId) return Optional.empty();
    }
    entry.put("outbound_id", outboundId);
    return Optional.of(append(key, entry));
  }

  private ObjectNode append(String key, ObjectNode entry) {
    Path f = file(key);
    try {
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND); FileLock ignored = ch.lock()) {
        Loaded l = caughtUp(key, f);
        if (ch.size() > l.bytes) {
          // Under the lock nobody is writing: the rest is a line torn by a crash; the next line starts clean.
          ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
          l.bytes = ch.size();
        }
        List<ObjectNode> list = l.entries;
        ObjectNode stored = Json.object();
        stored.put("seq", list.isEmpty() ? 1 : list.get(list.size() - 1).path("seq").asLong() + 1);
        stored.put("ts", Instant.now().toString());
        stored.setAll(entry);
        byte[] line = (Json.write(stored) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) ch.write(buf);
        l.bytes += line.length;
        list.add(stored);
        return stored;
      }
    } catch (IOException e) {
      loaded.remove(key); // read again from the file at the next call
      throw new UncheckedIOException("cannot write the web transcript of " + key, e);
    }
  }

  /** {@code {conversation_key, entry_count, latest_ts, latest_type, latest_summary}}. */
  synchronized ObjectNode summary(String key) {
    List<ObjectNode> list = entries(key, false);
    ObjectNode s = Json.object();
    s.put("conversation_key", key);
    s.put("entry_count", list.size());
    if (list.isEmpty()) {
      s.putNull("latest_ts");
      s.putNull("latest_type");
      s.putNull("latest_summary");
    } else {
      ObjectNode last = list.get(list.size() - 1);
      s.put("latest_ts", last.path("ts").asText());
      s.put("latest_type", last.path("type").asText());
      s.put("latest_summary", summaryOf(last));
    }
    return s;
  }

  /** Every conversation of the channel, the most recently active first (never-used ones last, by key). */
  synchronized List<ObjectNode> summaries() {
    List<String> keys = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        files.map(WebTranscripts::keyOf).flatMap(Optional::stream).forEach(keys::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list web conversations in " + dir, e);
      }
    }
    List<ObjectNode> out = new ArrayList<>();
    for (String k : keys) out.add(summary(k));
    out.sort(Comparator.comparing((ObjectNode s) -> s.path("latest_ts").asText(""), Comparator.reverseOrder())
        .thenComparing(s -> s.path("conversation_key").asText()));
    return out;
  }

  /** A newest-first page of skeleton entries {@code {seq, ts, type, summary}}. */
  synchronized ObjectNode page(String key, int offset, int limit) {
    List<ObjectNode> list = entries(key, false);
    ObjectNode page = Json.object();
    page.put("conversation_key", key);
    page.put("total", list.size());
    page.put("offset", offset);
    page.put("limit", limit);
    ArrayNode items = page.putArray("entries");
    for (int i = list.size() - 1 - offset, n = 0; i >= 0 && n < limit; i--, n++) {
      ObjectNode e = list.get(i);
      ObjectNode skeleton = items.addObject();
      skeleton.put("seq", e.path("seq").asLong());
      skeleton.put("ts", e.path("ts").asText());
      skeleton.put("type", e.path("type").asText());
      skeleton.put("summary", summaryOf(e));
    }
    page.put("has_more", offset + limit < list.size());
    return page;
  }

  /** Full entries with {@code start <= seq <= end}, oldest first; empty when the conversation has no record. */
  synchronized Optional<List<ObjectNode>> detail(String key, long start, long end) {
    if (!exists(key)) return Optional.empty();
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode e : entries(key, false)) {
      long seq = e.path("seq").asLong();
      if (seq >= start && seq <= end) out.add(e.deepCopy());
    }
    return Optional.of(out);
  }

  /** Forgets the key's transcript; its next use starts a new conversation. True when it had one. */
  synchronized boolean delete(String key) {
    refreshGenerations();
    boolean had = loaded.remove(key) != null;
    try {
      boolean existed = Files.deleteIfExists(file(key)) || had;
      if (existed) {
        generations.merge(key, 1, Integer::sum);
        ObjectNode all = Json.object();
        generations.forEach(all::put);
        Files.createDirectories(dir);
        Path tmp = dir.resolve("generations.json.tmp");
        Files.writeString(tmp, Json.write(all), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("generations.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        generationsSeen = Files.getLastModifiedTime(dir.resolve("generations.json"));
      }
      return existed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the web transcript of " + key, e);
    }
  }

  private List<ObjectNode> entries(String key, boolean create) {
    Path f = file(key);
    if (create && !Files.isRegularFile(f)) {
      try {
        Files.createDirectories(dir);
        Files.writeString(f, "", StandardCharsets.UTF_8, StandardOpenOption.CREATE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the web transcript of " + key, e);
      }
    }
    if (!Files.isRegularFile(f)) {
      loaded.remove(key); // removed by another node
      return new ArrayList<>();
    }
    return caughtUp(key, f).entries;
  }

  /** The key's entries with every complete line the file holds now (what this or another node appended). */
  private Loaded caughtUp(String key, Path f) {
    Loaded l = loaded.get(key);
    try {
      BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
      if (l == null || !Objects.equals(l.fileKey, a.fileKey()) || a.size() < l.bytes) {
        l = new Loaded();
        l.fileKey = a.fileKey();
        loaded.put(key, l);
      }
      if (a.size() == l.bytes) return l;
      byte[] tail;
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        ch.position(l.bytes);
        tail = java.nio.channels.Channels.newInputStream(ch).readAllBytes();
      }
      int end = tail.length;
      while (end > 0 && tail[end - 1] != '\n') end--; // a line still being written, or torn: not yet
      for (String line : new String(tail, 0, end, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) continue;
        try {
          if (Json.parse(line) instanceof ObjectNode o) l.entries.add(o);
        } catch (IOException torn) {
          // a line cut by a crash: what it held was never acknowledged, so the conversation re-sends it
        }
      }
      l.bytes += end;
      return l;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the web transcript of " + key, e);
    }
  }

  static String summaryOf(JsonNode entry) {
    String text = entry.path("text").asText("").replaceAll("\\s+", " ").strip();
    if (text.isEmpty()) {
      int files = entry.path("images").size() + entry.path("attachments").size();
      if (files > 0) return "[" + files + " file" + (files == 1 ? "" : "s") + "]";
    }
    return text.length() <= SUMMARY_CHARS ? text : text.substring(0, SUMMARY_CHARS - 1) + "…";
  }
}
