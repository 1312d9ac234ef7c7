package partyclaw.tools.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import partyclaw.core.config.MediaRouting;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;

/**
 * The node's multimodal tools (tools.md §3.5) and what they share: per conversation model, how each media family
 * is routed ({@link MediaRouting}), the helper models by alias, the HTTP client that calls them and the background
 * image questions. Which tools exist follows the config (any model that could use them); whether a call may run
 * follows the conversation's current model, checked at call time.
 */
public final class MediaTooling {
  private final Function<String, MediaRouting> routing;
  private final Map<String, HelperModel> helpers;
  private final List<MediaRouting> everyRouting;
  final HelperClient client = new HelperClient();
  /** image_load calls per tool batch; a batch is known by its signal (one per batch), weakly held. */
  private final Map<partyclaw.core.tool.TurnSignal, java.util.concurrent.atomic.AtomicInteger> imageLoads =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
  final ImageJobs jobs = new ImageJobs();

  public MediaTooling(Function<String, MediaRouting> routing, Map<String, HelperModel> helpers,
      List<MediaRouting> everyRouting) {
    this.routing = routing;
    this.helpers = Map.copyOf(helpers);
    this.everyRouting = List.copyOf(everyRouting);
  }

  /** No model routes any media: no media tool is offered. */
  public static MediaTooling none() {
    return new MediaTooling(alias -> null, Map.of(), List.of());
  }

  public List<Tool> tools() {
    List<Tool> tools = new ArrayList<>();
    if (everyRouting.stream().anyMatch(MediaRouting::imageNative)) tools.add(new ImageLoadTool(this));
    if (everyRouting.stream().anyMatch(MediaRouting::pdfNative)) tools.add(new PdfLoadTool(this));
    if (everyRouting.stream().anyMatch(MediaRouting::audioNative)) tools.add(new AudioLoadTool(this));
    if (everyRouting.stream().anyMatch(r -> r.imageHelper() != null)) {
      tools.add(new ImageStartTool(this));
      tools.add(new ImageWaitTool(this));
      tools.add(new ImageCancelTool(this));
    }
    if (everyRouting.stream().anyMatch(r -> r.pdfHelper() != null)) tools.add(new PdfQueryTool(this));
    if (everyRouting.stream().anyMatch(r -> r.audioHelper() != null)) tools.add(new AudioTranscribeTool(this));
    if (everyRouting.stream().anyMatch(r -> r.imageGenHelper() != null)) tools.add(new ImageGenerateTool(this));
    return tools;
  }

  /** Whether the model {@code alias} routes media so that a tool needing {@code what} is offered to it. */
  boolean offers(String alias, java.util.function.Predicate<MediaRouting> what) {
    if (alias == null) return true;
    MediaRouting r = routing.apply(alias);
    return r != null && what.test(r);
  }

  /** The routing of the conversation's current model; an error naming the tool when there is none. */
  MediaRouting routing(ToolContext ctx, String tool) throws ToolException {
    MediaRouting r = ctx.currentModel() == null ? null : routing.apply(ctx.currentModel());
    if (r == null) throw new ToolException(tool + " is not available: the conversation has no model selected");
    return r;
  }

  HelperModel helper(String alias, String tool) throws ToolException {
    return Optional.ofNullable(alias == null ? null : helpers.get(alias)).orElseThrow(() -> new ToolException(
        tool + " is not available for the current model: no helper model is configured for it (see tooling in"
            + " the config)"));
  }

  /** The 1-based position of this image_load call in its tool batch. */
  int imageLoadPosition(ToolContext ctx) {
    return imageLoads.computeIfAbsent(ctx.signal(), k -> new java.util.concurrent.atomic.AtomicInteger())
        .incrementAndGet();
  }

  /** Adds the {@code images} argument: workspace paths of images sent along (only helpers with vision use them). */
  static ObjectNode withImages(ObjectNode schema) {
    ObjectNode images = ((ObjectNode) schema.path("properties")).putObject("images");
    images.put("type", "array").put("description",
        "Optional workspace paths of images to send along (only when the helper model accepts images).");
    images.putObject("items").put("type", "string");
    return schema;
  }
}
