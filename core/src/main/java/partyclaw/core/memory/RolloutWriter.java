package partyclaw.core.memory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import partyclaw.core.json.Json;
import partyclaw.core.util.AtomicFiles;

/**
 * Writes one rollout directory so that a reader sees all of it or none of it: both files are written into a
 * hidden temp directory inside {@code rollouts/} (same filesystem) and the directory is renamed into place.
 */
final class RolloutWriter {
  private static final String TEMP_PREFIX = ".tmp-";
  private static final String OLD_PREFIX = ".old-";

  private final RolloutFiles files;

  RolloutWriter(RolloutFiles files) {
    this.files = files;
  }

  void write(String rolloutId, Rollout rollout) throws IOException {
    Files.createDirectories(files.dir());
    removeLeftovers();
    String unique = rolloutId + "-" + UUID.randomUUID();
    Path tmp = files.dir().resolve(TEMP_PREFIX + unique);
    Files.createDirectory(tmp);
    try {
      AtomicFiles.write(tmp.resolve(RolloutFiles.TRANSCRIPT),
          RolloutEvents.transcript(rollout).getBytes(StandardCharsets.UTF_8));
      AtomicFiles.write(tmp.resolve(RolloutFiles.SUMMARY),
          Json.pretty(summary(rolloutId, rollout)).getBytes(StandardCharsets.UTF_8));
      Path target = files.rolloutDir(rolloutId);
      if (Files.exists(target)) {
        // A retried compaction: a directory cannot be renamed over a non-empty one, so the old copy is moved
        // aside first. In between, the id is briefly absent, never half-written.
        Path old = files.dir().resolve(OLD_PREFIX + unique);
        move(target, old);
        move(tmp, target);
        deleteTree(old);
      } else {
        move(tmp, target);
      }
    } finally {
      if (Files.exists(tmp)) deleteTree(tmp);
    }
  }

  static ObjectNode summary(String rolloutId, Rollout rollout) {
    LayeredSummary s = rollout.summary();
    ObjectNode o = Json.object();
    o.put("rollout_id", rolloutId);
    o.put("conversation_id", rollout.conversationId());
    o.put("created_at", rollout.createdAt().toString());
    o.put("source_message_count", rollout.messages().size());
    o.put("summary", s.newSummary());
    o.put("old_summary", s.oldSummary());
    strings(o.putArray("keywords"), s.keywords());
    ObjectNode refs = o.putObject("important_refs");
    LayeredSummary.ImportantRefs r = s.importantRefs();
    strings(refs.putArray("paths"), r.paths());
    strings(refs.putArray("commands"), r.commands());
    strings(refs.putArray("errors"), r.errors());
    strings(refs.putArray("urls"), r.urls());
    strings(refs.putArray("ids"), r.ids());
    o.put("next_step", s.nextStep());
    return o;
  }

  private static void strings(ArrayNode arr, List<String> values) {
    for (String v : values) {
      if (v != null) arr.add(v);
    }
  }

  /** A crash mid-write leaves a hidden temp or set-aside directory; the next write (the only writer) clears it. */
  private void removeLeftovers() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(files.dir())) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.startsWith(TEMP_PREFIX) || name.startsWith(OLD_PREFIX)) deleteTree(p);
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  static void deleteTree(Path root) throws IOException {
    partyclaw.core.util.FileTrees.delete(root);
  }
}
