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
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code pdf_query} (tools.md §3.5): ask the PDF helper model ({@code tooling.pdf}) a question about a workspace PDF,
 * sent whole as a base64 file part; at most 1200 completion tokens; the helper's own timeout applies.
 */
public final class PdfQueryTool implements Tool {
  static final int MAX_TOKENS = 1200;
  static final String SYSTEM = "You answer questions about the attached PDF document. Answer directly and"
      + " concisely; quote the document where it matters and say so when it does not contain the answer.";

  private final MediaTooling media;

  PdfQueryTool(MediaTooling media) {
    this.media = media;
  }

  @Override
  public String name() {
    return "pdf_query";
  }

  @Override
  public String description() {
    return "Ask the PDF helper model a question about a local PDF file.";
  }

  @Override
  public ObjectNode parameters() {
    return MediaTooling.withImages(Schema.object()
        .string("path", "PDF file path (relative to the workspace, or absolute).")
        .string("question", "What to find out from the document.")
        .required("path", "question").build());
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public boolean offeredTo(String modelAlias) {
    return media.offers(modelAlias, r -> r.pdfHelper() != null);
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String path = Args.requireNonEmpty(args, "path");
    String question = Args.requireNonEmpty(args, "question");
    HelperModel helper = media.helper(media.routing(ctx, name()).pdfHelper(), name());
    Path file = MediaArgs.existingFile(ctx, path);
    List<ContentPart> parts = new ArrayList<>();
    parts.add(new ContentPart(ContentPart.FILE, file.toString(), file.getFileName().toString(), "application/pdf"));
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
