package partyclaw.core.prompt;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.profile.ProfileText;
import partyclaw.core.util.FileTexts;
import partyclaw.core.workdir.Workdir;

/**
 * The file-backed parts of the system prompt (runtime.md §4.6), read in one go. Blocking: callers run it on
 * the blocking pool. A missing file gives ""; so does an unreadable one (with a warning), so a bad file
 * degrades the prompt instead of failing the turn.
 *
 * @param identity IDENTITY.md of {@code agent/} without its instruction lines
 * @param userMeta the YAML front matter of {@code agent/USER.md}
 * @param runtimeNotes the global {@code rundir/AGENTS.md} (not the workspace's, which the agent reads itself)
 * @param partclawMd the workspace's PARTCLAW.md in claude_code memory mode, else ""
 */
public record PromptSources(String identity, String userMeta, String runtimeNotes, String partclawMd) {
  private static final Logger log = LoggerFactory.getLogger(PromptSources.class);

  /** Read before every turn of every conversation: served from their stamps while unchanged. */
  private static final FileTexts TEXTS = new FileTexts();
  private static final Derived IDENTITY = new Derived(ProfileText::identity);
  private static final Derived USER_META = new Derived(ProfileText::userMeta);

  public static PromptSources read(Workdir w, Path workspaceFiles, String memoryMode) {
    String identity = IDENTITY.of(text(w.sharedIdentity()));
    String userMeta = USER_META.of(text(w.sharedUserProfile()));
    String notes = text(w.rundir().resolve("AGENTS.md")).strip();
    String partclaw = SystemPrompt.MEMORY_CLAUDE_CODE.equals(memoryMode)
        ? text(workspaceFiles.resolve("PARTCLAW.md")).strip()
        : "";
    return new PromptSources(identity, userMeta, notes, partclaw);
  }

  /** A function's last result, by the identity of its input ({@link FileTexts} keeps a file's String). */
  private static final class Derived {
    private record Last(String input, String result) {}

    private final UnaryOperator<String> f;
    private volatile Last last;

    Derived(UnaryOperator<String> f) {
      this.f = f;
    }

    String of(String input) {
      Last l = last;
      if (l != null && l.input() == input) return l.result();
      String result = f.apply(input);
      last = new Last(input, result);
      return result;
    }
  }

  private static String text(Path file) {
    try {
      return TEXTS.read(file);
    } catch (NoSuchFileException missing) {
      return "";
    } catch (IOException e) {
      log.warn("cannot read {} for the system prompt ({}); that part is left out", file, e.toString());
      return "";
    }
  }
}
