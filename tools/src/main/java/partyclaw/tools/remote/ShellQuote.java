package partyclaw.tools.remote;

/** POSIX shell quoting for the commands sent over ssh. */
final class ShellQuote {
  private ShellQuote() {}

  /** {@code s} as one single-quoted word. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** {@code cd} into a remote root: {@code ~} and {@code ~/x} are the remote user's home, expanded over there. */
  static String cdInto(String root) {
    if (root == null || root.isBlank() || root.equals("~")) return "cd \"$HOME\"";
    if (root.startsWith("~/")) return "cd \"$HOME\"/" + quote(root.substring(2));
    return "cd " + quote(root);
  }
}
