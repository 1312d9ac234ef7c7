package partyclaw.tools.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import partyclaw.core.sandbox.LocalMount;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.tool.ToolException;

/**
 * The bwrap command line of one launch (see {@link SandboxLauncher} for what it confines and why). The filesystem
 * starts empty (bwrap's own tmpfs root); only what is added here is visible. Host paths are bound at their real
 * path, so the same absolute paths work inside and out. Directories bwrap would have to create on the way to a
 * mount point are made explicitly with mode 0755: bwrap otherwise copies the host parents' modes, and a 0700
 * {@code /root} on the way would lock the sandbox uid out of its own workspace.
 */
final class BubblewrapArgs {
  static final List<String> SYSTEM_DIRS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc");
  static final Path RESOLVED = Path.of("/run/systemd/resolve");
  static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
  /** Host kernel filesystems: binding any of them would show the host's processes or devices. */
  private static final List<Path> KERNEL_FS = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

  private final List<String> args = new ArrayList<>();
  /** Directories that exist inside because this sandbox made them (tmpfs, --dir, symlinks). */
  private final Set<Path> made = new HashSet<>();
  /** Host paths bound at the same path: everything below them exists inside as on the host. */
  private final List<Path> bound = new ArrayList<>();

  private record Bind(Path path, boolean writable) {}

  private BubblewrapArgs() {}

  static List<String> build(Sandbox sb, Path bwrap, List<String> command, Path cwd, Map<String, String> env,
      boolean terminal, HostTools host) throws ToolException {
    List<Bind> binds = binds(sb);
    Path realCwd = visibleCwd(cwd, binds);
    if (host.root() && host.setpriv() == null) {
      throw new ToolException("the bubblewrap sandbox of a daemon running as root needs setpriv (util-linux) to "
          + "run commands as uid " + SandboxLauncher.SANDBOX_UID + "; install util-linux or use sandbox mode "
          + "subprocess");
    }
    BubblewrapArgs b = new BubblewrapArgs();
    b.add(bwrap.toString(), "--die-with-parent");
    // A terminal command gets a pty of its own (nothing of the daemon's to inject keystrokes into) and needs it
    // as its controlling terminal; a new session would take it away.
    if (!terminal) b.add("--new-session");
    b.add("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try");
    if (!sb.network()) b.add("--unshare-net");
    // Under root, bwrap needs no user namespace, and the command must not get one mapped to root (RLIMIT_NPROC
    // would not apply); under any other user it cannot do without one.
    if (!host.root()) b.add("--unshare-user");
    b.add("--hostname", SandboxLauncher.HOSTNAME);
    b.systemDirs();
    b.add("--proc", "/proc", "--dev", "/dev");
    b.made.add(Path.of("/proc"));
    b.made.add(Path.of("/dev"));
    b.tmpfs(Path.of("/tmp"), "1777");
    b.tmpfs(Path.of("/var/tmp"), "1777");
    b.dns();
    // Under root the tmpfs belongs to root and the command runs as the sandbox uid: only a world-writable HOME is
    // writable for it (nothing else lives in this mount namespace). Under a user it belongs to that user.
    b.tmpfs(Path.of(SandboxLauncher.SANDBOX_HOME), host.root() ? "1777" : "0700");
    for (Bind bind : binds) b.bind(bind.path(), bind.writable());
    b.add("--chdir", realCwd.toString());
    b.add("--clearenv");
    for (Map.Entry<String, String> e : SandboxEnv.of(env).entrySet()) b.add("--setenv", e.getKey(), e.getValue());
    b.add("--cap-drop", "ALL");
    if (host.root()) {
      // Kept only until setpriv has switched to the sandbox uid (which clears them) and emptied the bounding set.
      // DAC_READ_SEARCH lets bwrap, as root without DAC_OVERRIDE, enter a cwd that only the sandbox uid may enter.
      b.add("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP",
          "--cap-add", "CAP_DAC_READ_SEARCH");
    }
    b.add("--");
    if (host.root()) {
      b.add(host.setpriv(), "--reuid", Integer.toString(SandboxLauncher.SANDBOX_UID),
          "--regid", Integer.toString(SandboxLauncher.SANDBOX_GID), "--clear-groups", "--inh-caps=-all",
          "--bounding-set=-all", "--no-new-privs", "--");
    }
    b.args.addAll(ResourceLimits.prefix(sb.limits(), host, !host.root()));
    b.args.addAll(command);
    return List.copyOf(b.args);
  }

  /** Workspace, writable paths, mounts and read-only paths, at their real paths, parents before children. */
  private static List<Bind> binds(Sandbox sb) throws ToolException {
    Path ws = sb.workspaceRoot();
    if (ws == null || !Files.isDirectory(ws)) {
      throw new ToolException("the conversation workspace " + ws + " does not exist; it cannot be sandboxed");
    }
    Path realWs = real(ws);
    List<Bind> out = new ArrayList<>();
    out.add(new Bind(realWs, true));
    for (Path p : sb.writable()) {
      if (Files.exists(p)) out.add(new Bind(checked(real(p), realWs, "writable path"), true));
    }
    for (LocalMount m : sb.mounts()) {
      if (!Files.exists(m.path())) {
        throw new ToolException("the mounted folder " + m.path() + " does not exist (any more); unmount it or "
            + "create it again");
      }
      out.add(new Bind(checked(real(m.path()), realWs, "mounted folder"), !m.readOnly()));
    }
    for (Path p : sb.readOnly()) {
      if (Files.exists(p)) out.add(new Bind(checked(real(p), realWs, "read-only path"), false));
    }
    // A folder inside another one must be bound after it, or the outer bind would hide it.
    out.sort(Comparator.comparingInt(b -> b.path().getNameCount()));
    return out;
  }

  /**
   * Refuses what would undo the confinement: {@code /} or any folder above the workspace (the daemon's workdir with
   * every other workspace, the journal and the config would become visible) and the host's kernel filesystems.
   */
  private static Path checked(Path p, Path workspace, String what) throws ToolException {
    if (!p.equals(workspace) && workspace.startsWith(p)) {
      throw new ToolException("the " + what + " " + p + " contains the conversation workspace, so it would expose "
          + "the daemon's own files to the sandbox; choose a folder that does not contain " + workspace);
    }
    for (Path k : KERNEL_FS) {
      if (p.startsWith(k)) {
        throw new ToolException("the " + what + " " + p + " is under the host's " + k + " and cannot be made "
            + "visible in the sandbox");
      }
    }
    return p;
  }

  private static Path visibleCwd(Path cwd, List<Bind> binds) throws ToolException {
    if (cwd == null || !Files.isDirectory(cwd)) {
      throw new ToolException("working directory " + cwd + " does not exist or is not a directory");
    }
    Path real = real(cwd);
    if (binds.stream().noneMatch(b -> real.startsWith(b.path()))) {
      throw new ToolException("working directory " + cwd + " is not visible in the sandbox; use a folder of the "
          + "workspace or of a mounted folder");
    }
    return real;
  }

  private static Path real(Path p) throws ToolException {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      throw new ToolException(p + " cannot be resolved for the sandbox: " + e.getMessage());
    }
  }

  private void systemDirs() {
    for (String d : SYSTEM_DIRS) {
      Path p = Path.of(d);
      if (Files.isSymbolicLink(p)) {
        // A merged-/usr system's /bin -> usr/bin: recreated as the same link, not bound a second time.
        try {
          add("--symlink", Files.readSymbolicLink(p).toString(), d);
          made.add(p);
        } catch (IOException e) {
          // unreadable link: the path stays absent
        }
      } else if (Files.isDirectory(p)) {
        bind(p, false);
      }
    }
  }

  /** systemd-resolved's stub and a resolv.conf that links out of /etc, so that names resolve when networked. */
  private void dns() {
    if (Files.isDirectory(RESOLVED, LinkOption.NOFOLLOW_LINKS)) bind(RESOLVED, false);
    if (Files.isSymbolicLink(RESOLV_CONF)) {
      try {
        Path target = RESOLV_CONF.toRealPath();
        if (!underBound(target) && !target.startsWith("/proc") && !target.startsWith("/sys")) bind(target, false);
      } catch (IOException e) {
        // dangling: there is no resolver configuration to show
      }
    }
  }

  private void tmpfs(Path p, String perms) {
    parents(p);
    add("--perms", perms, "--tmpfs", p.toString());
    made.add(p);
  }

  private void bind(Path p, boolean writable) {
    parents(p);
    add(writable ? "--bind" : "--ro-bind", p.toString(), p.toString());
    bound.add(p);
  }

  /** Makes the missing directories above {@code p}, top down, with mode 0755. */
  private void parents(Path p) {
    Path root = p.getRoot();
    for (int i = 1; i < p.getNameCount(); i++) {
      Path dir = root.resolve(p.subpath(0, i));
      if (made.contains(dir) || underBound(dir)) continue;
      add("--perms", "0755", "--dir", dir.toString());
      made.add(dir);
    }
  }

  private boolean underBound(Path p) {
    return bound.stream().anyMatch(p::startsWith);
  }

  private void add(String... a) {
    args.addAll(List.of(a));
  }
}
