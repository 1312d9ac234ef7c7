package partyclaw.tools.workspace;

/**
 * The most a mount or a move copies in one call, so a huge workspace cannot fill the disk or pin a tool thread for
 * minutes. Entries are files, directories and links.
 */
public record CopyLimits(long maxBytes, long maxEntries) {
  /** 1 GiB or 100,000 entries. */
  public static final CopyLimits DEFAULT = new CopyLimits(1L << 30, 100_000);

  public CopyLimits {
    if (maxBytes < 0 || maxEntries < 1) throw new IllegalArgumentException("copy limits must be positive");
  }

  String describe() {
    return String.format("%,d files or %,d bytes", maxEntries, maxBytes);
  }
}
