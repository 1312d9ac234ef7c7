package partyclaw.core.workspace;

import java.util.regex.Pattern;

/**
 * Which strings may name a workspace. An id becomes a directory name ({@code workspaces/<id>/}), so only one plain
 * path component is allowed: UUIDs and {@code snapshot-<name>-<8 hex>} pass; {@code ..}, separators and hidden
 * names do not.
 */
public final class WorkspaceIds {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private WorkspaceIds() {}

  public static boolean valid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  static String require(String id) {
    if (!valid(id)) throw new IllegalArgumentException("invalid workspace id: " + id);
    return id;
  }
}
