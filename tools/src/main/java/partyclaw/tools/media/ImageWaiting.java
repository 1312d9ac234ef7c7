package partyclaw.tools.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.tools.support.WaitArgs;

/** The wait image_start and image_wait share: as the download waits (tools.md §1.7). */
final class ImageWaiting {
  private ImageWaiting() {}

  static JsonNode await(ImageJobs.Job job, JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    double seconds = WaitArgs.timeoutSeconds(args);
    WaitArgs.OnTimeout onTimeout = WaitArgs.OnTimeout.parse(args);
    job.await(ctx.signal(), Duration.ofMillis(Math.round(seconds * 1000)));
    if (!job.running()) return job.snapshot();
    if (ctx.signal().isInterrupted()) {
      ObjectNode out = Json.object();
      out.put("interrupted", true);
      out.set("image", job.snapshot());
      return out;
    }
    if (onTimeout == WaitArgs.OnTimeout.KILL) job.cancel();
    ObjectNode snap = job.snapshot();
    snap.put("wait_timed_out", true);
    snap.put("on_timeout", onTimeout.wire());
    return snap;
  }

  static ObjectNode schema(ObjectNode schema) {
    ObjectNode props = (ObjectNode) schema.path("properties");
    props.putObject("wait_timeout_seconds").put("type", "number")
        .put("description", "How long to wait for the answer (default 270).");
    ObjectNode on = props.putObject("on_timeout");
    on.put("type", "string").put("description", "What to do when the wait times out (default continue).");
    on.putArray("enum").add("continue").add("kill");
    return schema;
  }
}
