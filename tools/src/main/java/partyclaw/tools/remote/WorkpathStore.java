package partyclaw.tools.remote;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolException;
import partyclaw.core.util.AtomicFiles;
import partyclaw.core.workdir.Workdir;

/**
 * A conversation's remote workpaths, one per host, in {@code conversations/<id>/remote_workpaths.json} (the
 * reference keeps them in its conversation record's settings). A tool-side file rather than journal events: the
 * workpath tools are immediate tools that must not wait on the conversation's actor (which is busy running the very
 * batch that calls them), and the prompt builder and the remote tools read the same file. Written atomically, so a
 * crash leaves the old or the new list, never half of one.
 */
public final class WorkpathStore {
  static final String FILE = "remote_workpaths.json";
  private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();
  private final Path file;

  private WorkpathStore(Path file) {
    this.file = file;
  }

  public static WorkpathStore of(Workdir workdir, String conversationId) {
    return new WorkpathStore(workdir.conversationDir(conversationId).resolve(FILE));
  }

  private Object lock() {
    return LOCKS.computeIfAbsent(file, f -> new Object());
  }

  /** The workpaths sorted by host; empty when none was ever added. An unreadable file is an error, not "none". */
  public List<Workpath> list() throws ToolException {
    synchronized (lock()) {
      // read before every prompt is built, and most conversations have none: no exception for the usual case
      if (!Files.exists(file)) return List.of();
      try {
        byte[] bytes = Files.readAllBytes(file);
        List<Workpath> all = Json.MAPPER.readValue(bytes, new TypeReference<List<Workpath>>() {});
        return all.stream().sorted(Comparator.comparing(Workpath::host)).toList();
      } catch (NoSuchFileException none) {
        return List.of();
      } catch (IOException e) {
        throw new ToolException("cannot read this conversation's remote workpaths (" + file.getFileName() + "): "
            + e.getMessage());
      }
    }
  }

  public Optional<Workpath> find(String host) throws ToolException {
    return list().stream().filter(w -> w.host().equals(host)).findFirst();
  }

  /** Adds or replaces the entry of {@code w.host()}. */
  public Workpath put(String host, String path, String description) throws ToolException {
    synchronized (lock()) {
      List<Workpath> all = new ArrayList<>(list());
      all.removeIf(x -> x.host().equals(host));
      Workpath w = new Workpath(host, path, description, Instant.now().toString());
      all.add(w);
      write(all);
      return w;
    }
  }

  /** The removed entry, or empty if the host had none. */
  public Optional<Workpath> remove(String host) throws ToolException {
    synchronized (lock()) {
      List<Workpath> all = new ArrayList<>(list());
      Optional<Workpath> old = all.stream().filter(x -> x.host().equals(host)).findFirst();
      if (old.isEmpty()) return old;
      all.remove(old.get());
      write(all);
      return old;
    }
  }

  private void write(List<Workpath> all) throws ToolException {
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(
          all.stream().sorted(Comparator.comparing(Workpath::host)).toList()));
    } catch (IOException e) {
      throw new ToolException("cannot save this conversation's remote workpaths: " + e.getMessage());
    }
  }
}
