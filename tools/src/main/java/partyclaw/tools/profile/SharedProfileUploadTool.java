package partyclaw.tools.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.util.AtomicFiles;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WorkspacePaths;

/**
 * {@code shared_profile_upload} (tools.md §4.3): copies the workspace's USER.md and IDENTITY.md to the shared
 * profile in {@code agent/} when their bytes differ. The prompt of the running turn is not rebuilt; the runtime
 * sees {@code chat_version_rotated} and the change reaches the model as a runtime prompt update from the next
 * user message on, in this conversation and every other one.
 */
public final class SharedProfileUploadTool implements Tool {
  static final String UPDATED_NOTE = "Shared profile updated. Your current system prompt is unchanged; the new "
      + "profile applies from the next user message, in this conversation and every other one.";
  static final String UNCHANGED_NOTE = "The shared profile already matches the workspace copies; nothing changed.";

  @Override
  public String name() {
    return "shared_profile_upload";
  }

  @Override
  public String description() {
    return "Save the workspace's USER.md and IDENTITY.md as the shared profile used by every conversation. Call it "
        + "after editing either file; otherwise a newer shared copy replaces your edit.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object().build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    Path sharedUser = ctx.workdir().sharedUserProfile();
    Path sharedIdentity = ctx.workdir().sharedIdentity();
    // Both copies are read before anything is written, so a missing one leaves the shared profile untouched.
    Upload user = read(ctx, sharedUser);
    Upload identity = read(ctx, sharedIdentity);
    boolean userChanged = write(user);
    boolean identityChanged = write(identity);
    boolean changed = userChanged || identityChanged;
    ObjectNode out = Json.object();
    out.set("user_md", report(user, userChanged));
    out.set("identity_md", report(identity, identityChanged));
    out.put("chat_version_rotated", changed);
    out.put("current_turn_prompt_refreshed", false);
    out.put("note", changed ? UPDATED_NOTE : UNCHANGED_NOTE);
    return out;
  }

  private record Upload(Path workspacePath, Path sharedPath, byte[] content) {}

  private static Upload read(ToolContext ctx, Path shared) throws ToolException {
    String name = shared.getFileName().toString();
    Path local = WorkspacePaths.resolve(ctx, name);
    try {
      return new Upload(local, shared, Files.readAllBytes(local));
    } catch (NoSuchFileException e) {
      throw new ToolException(name + " is missing from the workspace (" + local + "); create it there first");
    } catch (IOException e) {
      throw new ToolException("cannot read " + local + ": " + e.getMessage());
    }
  }

  private static boolean write(Upload u) throws ToolException {
    try {
      if (Files.isRegularFile(u.sharedPath()) && Arrays.equals(u.content(), Files.readAllBytes(u.sharedPath()))) {
        return false;
      }
      Files.createDirectories(u.sharedPath().getParent());
      AtomicFiles.write(u.sharedPath(), u.content());
      return true;
    } catch (IOException e) {
      throw new ToolException("cannot write the shared profile file " + u.sharedPath() + ": " + e.getMessage());
    }
  }

  private static ObjectNode report(Upload u, boolean changed) {
    ObjectNode o = Json.object();
    o.put("changed", changed);
    o.put("workspace_path", u.workspacePath().toString());
    o.put("shared_path", u.sharedPath().toString());
    return o;
  }
}
