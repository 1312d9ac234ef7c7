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
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WorkspacePaths;

/** {@code pdf_load} (tools.md §3.5): attach a workspace PDF to the context of a model that reads PDFs itself. */
public final class PdfLoadTool implements Tool {
  private final MediaTooling media;

  PdfLoadTool(MediaTooling media) {
    this.media = media;
  }

  @Override
  public String name() {
    return "pdf_load";
  }

  @Override
  public String description() {
    return "Load a local PDF into your context so you can read it yourself.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object().string("path", "PDF file path (relative to the workspace, or absolute).")
        .required("path").build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public boolean offeredTo(String modelAlias) {
    return media.offers(modelAlias, MediaRouting::pdfNative);
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String path = Args.requireNonEmpty(args, "path");
    if (!media.routing(ctx, name()).pdfNative()) {
      throw new ToolException("pdf_load is not available: the current model does not read PDFs natively"
          + " (tooling.pdf must be '<alias>:self' and the model must have the pdf capability)");
    }
    Path file = WorkspacePaths.resolve(ctx, path);
    ObjectNode out = Json.object();
    out.put("loaded", true).put("kind", SyntheticMedia.KIND);
    out.putArray("media").addObject().put("type", "input_file").put("path", file.toString())
        .put("filename", file.getFileName().toString());
    out.put("path", path);
    return out;
  }
}
