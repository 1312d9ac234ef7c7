package partyclaw.core.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One conversation's layered memory (runtime.md §4.4) under {@code root}: {@code rollouts/<id>/} (the
 * messages a compaction replaced and its summary), {@code MEMORY.json} and {@code memory_summary.json}.
 *
 * <p>One writer per conversation (the conversation actor, before it journals the compaction); any number of
 * readers (the memory tools). Every file is replaced atomically and a rollout directory appears whole, so a
 * reader never sees a half-written one. Reads never create anything: with no memory yet, searches find
 * nothing. Read errors the model should see are {@link IllegalArgumentException}s with a one-line message.
 */
public final class ConversationMemory {
  private static final Pattern ROLLOUT_ID =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9a-f]{8}");
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH-mm-ss").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SHOWN_ID_CHARS = 80;

  private final Path root;
  private final RolloutFiles rollouts;

  public ConversationMemory(Path root) {
    this.root = Objects.requireNonNull(root, "root");
    this.rollouts = new RolloutFiles(root);
  }

  public Path root() {
    return root;
  }

  /** {@code YYYY-MM-DDTHH-MM-SS-xxxxxxxx}: the UTC second (so ids sort by time) and 8 random hex digits. */
  public static String newRolloutId(Instant now) {
    return ID_TIME.format(now) + "-" + String.format("%08x", RANDOM.nextInt());
  }

  /** Exactly the {@link #newRolloutId} shape; this is what keeps a model-supplied id inside {@code rollouts/}. */
  public static boolean isValidRolloutId(String rolloutId) {
    return rolloutId != null && ROLLOUT_ID.matcher(rolloutId).matches();
  }

  static void requireValidRolloutId(String rolloutId) {
    if (isValidRolloutId(rolloutId)) return;
    String shown = rolloutId == null ? "null" : rolloutId.length() > SHOWN_ID_CHARS
        ? "\"" + rolloutId.substring(0, SHOWN_ID_CHARS) + "…\"" : "\"" + rolloutId + "\"";
    throw new IllegalArgumentException("invalid rollout_id: " + shown
        + " (expected YYYY-MM-DDTHH-MM-SS-xxxxxxxx, as returned by memory_search or rollout_search)");
  }

  /**
   * Stores a rollout, then files its memory hints into {@code MEMORY.json} and refreshes
   * {@code memory_summary.json}. Writing an id again (a compaction retried after a crash) replaces the rollout
   * and merges nothing twice.
   */
  public void writeRollout(String rolloutId, Rollout rollout) throws IOException {
    requireValidRolloutId(rolloutId);
    Objects.requireNonNull(rollout, "rollout");
    new RolloutWriter(rollouts).write(rolloutId, rollout);
    new MemoryIndex(root, rollouts).merge(rolloutId, rollout.summary());
  }

  /** memory_search: {@code {query, matches:[...]}} over memory_summary.json and each MEMORY.json group. */
  public JsonNode search(String query, int limit) {
    return new MemorySearch(root).search(requireQuery(query), Math.max(0, limit));
  }

  /** rollout_search: {@code {query, matches:[...], truncated}}, rollouts newest first; null filters mean all. */
  public JsonNode rolloutSearch(String query, String rolloutId, List<String> kinds, int limit) {
    String q = requireQuery(query);
    try {
      return new RolloutReader(rollouts).search(q, rolloutId, kinds, Math.max(0, limit));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** rollout_read: the events around {@code anchorEventId}; {@code mode} is turn_segment (null) or window. */
  public JsonNode rolloutRead(String rolloutId, long anchorEventId, String mode, int before, int after) {
    try {
      return new RolloutReader(rollouts).read(rolloutId, anchorEventId, mode, before, after);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String requireQuery(String query) {
    if (query == null || query.isEmpty()) throw new IllegalArgumentException("query must be a non-empty string");
    return query;
  }
}
