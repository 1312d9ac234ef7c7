package partyclaw.tools.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import partyclaw.core.json.Json;
import partyclaw.core.util.AtomicFiles;

/**
 * The durable note of one running exec process, {@code <workdir>/run/exec/<exec_id>.json}: written before its
 * exec_id is handed to the model, deleted when the process is reaped. {@code pgid} is 0 when the process could not
 * be given a group of its own (then only its pid is killed). {@code startTime} guards against a reused pid.
 */
record ExecRecord(String run, String conversation, String execId, long pid, long pgid, long startTime) {

  static Path file(Path dir, String execId) {
    return dir.resolve(execId + ".json");
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir); // made at start-up, but may have been removed by hand since
    ObjectNode o = Json.object();
    o.put("run", run);
    o.put("conversation", conversation);
    o.put("exec_id", execId);
    o.put("pid", pid);
    o.put("pgid", pgid);
    o.put("start_time", startTime);
    AtomicFiles.write(file(dir, execId), Json.write(o).getBytes(StandardCharsets.UTF_8));
  }

  static void delete(Path dir, String execId) {
    try {
      Files.deleteIfExists(file(dir, execId));
    } catch (IOException ignored) {
      // a leftover record only makes the next start look for a process that is gone (the start time tells)
    }
  }

  /** Every readable record in {@code dir}; unreadable ones are returned as their paths in {@code broken}. */
  static List<ExecRecord> readAll(Path dir, List<Path> broken) {
    List<ExecRecord> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        try {
          JsonNode j = Json.parse(Files.readString(f, StandardCharsets.UTF_8));
          out.add(new ExecRecord(j.path("run").asText(""), j.path("conversation").asText(""),
              j.path("exec_id").asText(""), j.path("pid").asLong(0), j.path("pgid").asLong(0),
              j.path("start_time").asLong(-1)));
        } catch (IOException e) {
          broken.add(f);
        }
      }
    } catch (IOException e) {
      // no directory yet: no records
    }
    return out;
  }
}
