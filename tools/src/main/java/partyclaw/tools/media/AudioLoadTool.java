package partyclaw.tools.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import partyclaw.core.config.MediaRouting;
import partyclaw.core.json.Json;
import partyclaw.core.llm.SyntheticMedia;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.transcript.ContentPart;
import partyclaw.core.transcript.MediaKinds;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WorkspacePaths;

/** {@code audio_load} (tools.md §3.5): attach a workspace audio file to the context of a model that hears audio. */
public final class AudioLoadTool implements Tool {
  private final MediaTooling media;

  AudioLoadTool(MediaTooling media) {
    this.media = media;
  }

  @Override
  public String name() {
    return "audio_load";
  }

  @Override
  public String description() {
    return "Load a local audio file into your context so you can listen to it yourself.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object().string("path", "Audio file path (relative to the workspace, or absolute).")
        .required("path").build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public boolean offeredTo(String modelAlias) {
    return media.offers(modelAlias, MediaRouting::audioNative);
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String path = Args.requireNonEmpty(args, "path");
    if (!media.routing(ctx, name()).audioNative()) {
      throw new ToolException("audio_load is not available: the current model does not take audio natively"
          + " (tooling.audio_input must be '<alias>:self' and the model must have the audio_in capability)");
    }
    Path file = WorkspacePaths.resolve(ctx, path);
    String format = MediaKinds.audioFormat(file.toString());
    if (format == null) throw new ToolException("unsupported audio format for audio tool: " + path);
    ObjectNode out = Json.object();
    out.put("loaded", true).put("kind", SyntheticMedia.KIND);
    out.putArray("media").addObject().put("type", "input_audio").put("path", file.toString())
        .put("format", ContentPart.extension(file.toString()));
    out.put("path", path);
    return out;
  }
}
