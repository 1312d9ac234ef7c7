package partyclaw.tools.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;

/** The JSON snapshot of an exec process the model sees (field set and order of tools.md §3.2). */
final class ExecSnapshot {
  private ExecSnapshot() {}

  static ObjectNode of(ExecProcess p, OutputOptions opts) {
    ExecProcess.Status s = p.status();
    ObjectNode o = Json.object();
    o.put("exec_id", p.id());
    o.put("tty", p.tty());
    if (s.pid() == null) o.putNull("pid");
    else o.put("pid", s.pid());
    o.put("command", p.shownCommand());
    o.put("remote", p.remote());
    o.put("cwd", p.shownCwd());
    o.put("running", s.running());
    o.put("completed", s.completed());
    if (s.returncode() == null) o.putNull("returncode");
    else o.put("returncode", s.returncode());
    o.put("stdin_closed", s.stdinClosed());
    o.put("failed", s.failed());
    if (s.error() == null) o.putNull("error");
    else o.put("error", s.error());

    OutputWindow out = OutputWindow.read(p.files().stdout(), opts.start(), opts.limit(), opts.maxChars());
    OutputWindow err = OutputWindow.read(p.files().stderr(), opts.start(), opts.limit(), opts.maxChars());
    if (opts.includeStdout()) {
      o.put("stdout", out.text());
      if (out.truncated()) o.put("stdout_truncated", true);
      if (!err.text().isEmpty() || err.truncated()) {
        o.put("stderr", err.text());
        if (err.truncated()) o.put("stderr_truncated", true);
      }
    }
    o.put("stdout_chars", out.totalChars());
    if (err.totalChars() > 0) o.put("stderr_chars", err.totalChars());
    o.put("stdout_path", p.files().stdoutRelative());
    o.put("stderr_path", p.files().stderrRelative());
    if (s.killed()) o.put("killed", true);
    return o;
  }
}
