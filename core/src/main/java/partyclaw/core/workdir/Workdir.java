package partyclaw.core.workdir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the daemon keeps each kind of file under its workdir (config-and-channels.md §4.4). The one place that
 * knows the layout, so tools, the runtime and snapshots agree on it.
 */
public record Workdir(Path root) {

  public Workdir {
    root = root.toAbsolutePath().normalize();
  }

  /** Shared profile files ({@code USER.md}, {@code IDENTITY.md}), seeded from templates. */
  public Path agentDir() {
    return root.resolve("agent");
  }

  public Path sharedUserProfile() {
    return agentDir().resolve("USER.md");
  }

  public Path sharedIdentity() {
    return agentDir().resolve("IDENTITY.md");
  }

  /** The template copied into every new workspace; also holds the global skills store and skill memory. */
  public Path rundir() {
    return root.resolve("rundir");
  }

  /** The global skills store: {@code rundir/.skills/<skill>/SKILL.md}. */
  public Path skillsStore() {
    return rundir().resolve(".skills");
  }

  /** Skill memory shared by every workspace ({@code <workspace>/.skill_memory} links here). */
  public Path skillMemory() {
    return rundir().resolve("skill_memory");
  }

  /** One directory per workspace: {@code workspaces/<id>/files/}. */
  public Path workspacesDir() {
    return root.resolve("workspaces");
  }

  /** The agent's working tree of one workspace. */
  public Path workspaceFiles(String workspaceId) {
    return workspacesDir().resolve(workspaceId).resolve("files");
  }

  /** The workspace registry (titles, summaries, owners, states, mounts). */
  public Path workspaceRegistry() {
    return root.resolve("sandbox").resolve("workspaces.json");
  }

  /** Files the daemon keeps about one workspace outside it ({@code summary.md}). */
  public Path workspaceMeta(String workspaceId) {
    return root.resolve("sandbox").resolve("workspace_meta").resolve(workspaceId);
  }

  /** Files the daemon keeps per conversation, outside its workspace (the model cannot reach them by path). */
  public Path conversationDir(String conversationId) {
    return root.resolve("conversations").resolve(encode(conversationId));
  }

  /** Layered memory of a conversation: {@code MEMORY.json}, {@code memory_summary.json}, {@code rollouts/}. */
  public Path conversationMemory(String conversationId) {
    return conversationDir(conversationId).resolve("conversation_memory");
  }

  /** Named snapshots of a conversation. */
  public Path snapshots(String conversationId) {
    return root.resolve("snapshots").resolve(encode(conversationId));
  }

  /** A conversation id as one path component: every byte outside {@code [A-Za-z0-9_-]} is %-encoded. */
  public static String encode(String conversationId) {
    StringBuilder sb = new StringBuilder();
    for (byte b : conversationId.getBytes(StandardCharsets.UTF_8)) {
      char ch = (char) (b & 0xff);
      if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-') {
        sb.append(ch);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }
}
