package partyclaw.tools.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the sandbox uid what the daemon wrote into a workspace, so that a sandboxed command (which runs as that uid
 * under a root daemon) can change it: {@code chown -R -P --from=<daemon uid> <uid>:<gid> -- <root>}.
 *
 * <p>GNU chown rather than Java's file APIs, on purpose: a sandboxed command may be running in the workspace
 * meanwhile and swap a directory for a symlink to a host path between a look and a change. chown descends through
 * directories it has open ({@code openat(..., O_NOFOLLOW | O_DIRECTORY)}) and changes entries relative to them
 * ({@code fchownat(..., AT_SYMLINK_NOFOLLOW)}), so no path is resolved twice, no symlink is followed and no FIFO is
 * opened; Java can only change an owner by path or by opening the file. {@code --from} limits it to the daemon's
 * entries: everything else (the sandbox's own files, files someone else deliberately put there) is left alone, and
 * entries that are already right are not re-stamped.
 *
 * <p>Cost, measured on this project's shared 2-core machine: about 0.18 s for a workspace of 50,000 entries (one
 * stat per entry; a Java walk took 0.45 s just to look), a few milliseconds for a workspace of a few hundred. Every
 * bubblewrap launch pays it; remembering the last run would not help, since finding new entries anywhere in the
 * tree takes a stat of every entry. The walk is bounded by time, not by a count of entries.
 */
final class WorkspaceOwnership {
  private static final Logger log = LoggerFactory.getLogger(WorkspaceOwnership.class);
  static final long TIMEOUT_SECONDS = 60;
  private static final List<String> CHOWN = List.of("/usr/bin/chown", "/bin/chown");

  private WorkspaceOwnership() {}

  /** Gives every entry of {@code root} (itself included) that {@code from} owns to {@code uid:gid}. */
  static void prepare(Path root, int from, int uid, int gid) {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) return;
    String chown = CHOWN.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst().orElse(null);
    if (chown == null) {
      log.warn("chown was not found: what the daemon writes to {} stays unwritable in the sandbox", root);
      return;
    }
    List<String> argv = List.of(chown, "-R", "-P", "--from=" + from, uid + ":" + gid, "--", root.toString());
    try {
      // Output is not read: a full pipe must not stall chown, and the exit code says enough.
      Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        log.warn("giving {} to the sandbox uid did not finish within {} s; some of its entries may stay "
            + "unwritable in the sandbox", root, TIMEOUT_SECONDS);
        return;
      }
      // Entries removed while chown ran make it exit 1 too; harmless, but worth a line.
      if (p.exitValue() != 0) log.warn("chown of {} for the sandbox exited with {}", root, p.exitValue());
    } catch (IOException e) {
      log.warn("could not run chown on {}: {}", root, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
