package partyclaw.tools.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.transcript.ContentPart;
import partyclaw.core.transcript.MediaKinds;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code audio_transcribe} (tools.md §3.5): have the audio helper model ({@code tooling.audio_input}) transcribe or
 * inspect a workspace audio file, sent as base64 {@code input_audio}; at most 1200 completion tokens.
 */
public final class AudioTranscribeTool implements Tool {
  static final int MAX_TOKENS = 1200;
  static final String DEFAULT_QUESTION = "Transcribe the audio accurately and summarize anything important.";
  static final String SYSTEM = "You listen to the attached audio and answer the request about it directly and"
      + " accurately.";

  private final MediaTooling media;

  AudioTranscribeTool(MediaTooling media) {
    this.media = media;
  }

  @Override
  public String name() {
    return "audio_transcribe";
  }

  @Override
  public String description() {
    return "Transcribe or inspect a local audio file with the audio helper model.";
  }

  @Override
  public ObjectNode parameters() {
    return MediaTooling.withImages(Schema.object()
        .string("path", "Audio file path: wav, mp3, ogg/opus, webm, m4a/mp4/aac or flac.")
        .string("question", "What to do with the audio (default: transcribe it and summarize anything important).")
        .required("path").build());
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public boolean offeredTo(String modelAlias) {
    return media.offers(modelAlias, r -> r.audioHelper() != null);
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String path = Args.requireNonEmpty(args, "path");
    String question = Args.optString(args, "question").filter(q -> !q.isBlank()).orElse(DEFAULT_QUESTION);
    HelperModel helper = media.helper(media.routing(ctx, name()).audioHelper(), name());
    if (MediaKinds.audioFormat(path) == null) throw new ToolException("unsupported audio format for audio tool: " + path);
    Path file = MediaArgs.existingFile(ctx, path);
    List<ContentPart> parts = new ArrayList<>();
    parts.add(ContentPart.audio(file.toString()));
    parts.addAll(MediaArgs.images(args, ctx, helper, name()));
    String answer = media.client.ask(helper, SYSTEM, question, parts, MAX_TOKENS, ctx.signal(), name());
    ObjectNode out = Json.object();
    out.put("path", path).put("question", question);
    if (answer == null) {
      out.put("interrupted", true).put("cancelled", true);
    } else {
      out.put("answer", answer);
    }
    return out;
  }
}
