package partyclaw.tools.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.sandbox.SandboxMode;
import partyclaw.core.tool.ToolException;

/**
 * How every process a tool starts is launched: the argv and environment to hand to {@link ProcessBuilder} or pty4j
 * for a conversation's {@link Sandbox}. Callers start the plan from {@link SpawnThread}; process groups
 * ({@code setsid}) stay the caller's business and wrap the plan's argv.
 *
 * <h2>SUBPROCESS</h2>
 * No isolation at all: the command sees and may change whatever the daemon's user can, and reaches the network.
 * The argv and the environment (already scrubbed of secrets by the runtime) are kept; only the
 * {@link partyclaw.core.sandbox.SandboxLimits} are put on it with {@code prlimit} (see {@link ResourceLimits}).
 *
 * <h2>BUBBLEWRAP</h2>
 * {@code bwrap} with new PID, IPC, UTS and cgroup namespaces (and network, unless the sandbox has network),
 * {@code --die-with-parent} and, unless in a terminal, {@code --new-session}; an empty root with read-only
 * {@code /usr /bin /sbin /lib /lib32 /lib64 /etc} (links such as {@code /bin -> usr/bin} recreated as links),
 * systemd-resolved's directory for DNS, fresh {@code /proc} (of the new PID namespace only), {@code /dev}, tmpfs
 * {@code /tmp}, {@code /var/tmp} and an empty HOME {@value #SANDBOX_HOME}; the workspace and the conversation's
 * writable paths bound read-write, its mounts read-only or read-write as mounted, further read-only paths read-only,
 * all at their real host path. Nothing else of the host is there: not the daemon's workdir (other workspaces,
 * journal, config, {@code .env}, logs, snapshots), not {@code /root} or the daemon's HOME, not the host's processes.
 * The environment is an allow-list ({@link SandboxEnv}); bwrap itself is started with exactly that environment too.
 * All capabilities are dropped.
 *
 * <p>Who the command runs as:
 * <ul>
 *   <li>Daemon running as root: bwrap runs as root without a user namespace (it must reach the workspace wherever
 *       it is, e.g. below a 0700 {@code /root}, which an unprivileged bwrap could not), and inside the sandbox
 *       {@code setpriv} switches to uid/gid {@value #SANDBOX_UID}/{@value #SANDBOX_GID}, drops every capability
 *       including the bounding set and sets no_new_privs before the command runs. RLIMIT_NPROC only binds a non-root
 *       uid, so this is also what makes the process limit real. The uid must be able to write the workspace:
 *       {@link #prepareWorkspace} gives it what the daemon wrote there. A read-write {@code /mount} folder is never
 *       chowned (it is the user's): it must already be writable by uid {@value #SANDBOX_UID}, or it is read-only in
 *       practice. All sandboxes of the host share that uid, and so share the process limit.
 *   <li>Daemon running as another user: bwrap runs unprivileged in a new user namespace as that user; the command
 *       keeps the daemon's uid. The process limit then also counts the daemon's own threads, so it is raised by
 *       what that uid runs at launch (see {@link ResourceLimits}).
 * </ul>
 *
 * <p>The command's process tree lives and dies with the sandbox: when the command ends, or bwrap is killed, the
 * PID namespace ends and every process in it is killed — background children do not outlive the command.
 */
public final class SandboxLauncher {
  /** The uid and gid commands run as in a bubblewrap sandbox of a root daemon ({@code nobody}/{@code nogroup}). */
  public static final int SANDBOX_UID = 65534;
  public static final int SANDBOX_GID = 65534;
  /** HOME inside a bubblewrap sandbox: an empty tmpfs, gone with the sandbox. */
  public static final String SANDBOX_HOME = "/home/sandbox";
  public static final String HOSTNAME = "partyclaw-sandbox";

  /** The argv and the complete environment to start. */
  public record LaunchPlan(List<String> argv, Map<String, String> env) {
    public LaunchPlan {
      argv = List.copyOf(argv);
      env = Map.copyOf(env);
    }
  }

  /** Whether bubblewrap can be used on this host, and why not. */
  public record Availability(boolean available, String reason) {
    static Availability yes() {
      return new Availability(true, "");
    }

    static Availability no(String reason) {
      return new Availability(false, reason);
    }
  }

  private SandboxLauncher() {}

  /** The plan for a command that is not attached to a terminal. */
  public static LaunchPlan plan(Sandbox sb, List<String> argv, Path cwd, Map<String, String> env)
      throws ToolException {
    return plan(sb, argv, cwd, env, false);
  }

  /**
   * The plan for {@code argv} in {@code cwd} with {@code env}. {@code terminal}: the command runs on a pty of its
   * own, which must stay its controlling terminal (no {@code --new-session}). Throws with a one-line reason when the
   * cwd is missing or not visible in the sandbox, a mounted folder is gone, or bwrap or setpriv is missing.
   */
  public static LaunchPlan plan(Sandbox sb, List<String> argv, Path cwd, Map<String, String> env, boolean terminal)
      throws ToolException {
    return plan(sb, argv, cwd, env, terminal, HostTools.current());
  }

  static LaunchPlan plan(Sandbox sb, List<String> argv, Path cwd, Map<String, String> env, boolean terminal,
      HostTools host) throws ToolException {
    if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
    if (sb.mode() == SandboxMode.SUBPROCESS) {
      if (cwd == null || !Files.isDirectory(cwd)) {
        throw new ToolException("working directory " + cwd + " does not exist or is not a directory");
      }
      List<String> out = new ArrayList<>(ResourceLimits.prefix(sb.limits(), host, true));
      out.addAll(argv);
      return new LaunchPlan(out, new HashMap<>(env));
    }
    Path bwrap = HostTools.resolveExecutable(sb.bubblewrapBinary()).orElseThrow(() -> new ToolException(
        "the bubblewrap binary '" + sb.bubblewrapBinary() + "' was not found; install bubblewrap or use sandbox "
            + "mode subprocess"));
    List<String> out = BubblewrapArgs.build(sb, bwrap, argv, cwd, env, terminal, host);
    return new LaunchPlan(out, SandboxEnv.of(env));
  }

  /**
   * Before a bubblewrap launch under a root daemon: gives the sandbox uid every entry of the workspace and of the
   * writable paths that the daemon's uid owns, i.e. what the daemon's own tools wrote there (see
   * {@link WorkspaceOwnership} for how, and what it costs). Does nothing in subprocess mode or under a non-root
   * daemon, where the command runs as the daemon's user.
   */
  public static void prepareWorkspace(Sandbox sb) {
    prepareWorkspace(sb, HostTools.current());
  }

  static void prepareWorkspace(Sandbox sb, HostTools host) {
    if (sb.mode() != SandboxMode.BUBBLEWRAP || !host.root()) return;
    WorkspaceOwnership.prepare(sb.workspaceRoot(), host.uid(), SANDBOX_UID, SANDBOX_GID);
    for (Path p : sb.writable()) WorkspaceOwnership.prepare(p, host.uid(), SANDBOX_UID, SANDBOX_GID);
  }

  /**
   * Whether bubblewrap ({@code binary}: a name looked up on PATH, or a path) works here, checked once per binary by
   * running a trivial sandbox. The runtime falls back to subprocess mode with a warning carrying the reason.
   */
  public static Availability bubblewrap(String binary) {
    return BubblewrapProbe.check(binary);
  }
}
