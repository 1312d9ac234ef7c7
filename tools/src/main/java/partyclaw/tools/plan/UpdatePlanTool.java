package partyclaw.tools.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import partyclaw.core.json.Json;
import partyclaw.core.plan.Plan;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Schema;

/** {@code update_plan}: replaces the plan shown in the progress message and /status (tools.md §4.3). */
public final class UpdatePlanTool implements Tool {
  static final long SAVE_TIMEOUT_SECONDS = 30;

  @Override
  public String name() {
    return "update_plan";
  }

  @Override
  public String description() {
    return "Replace your plan for the current work: up to 7 short steps, each pending, in_progress or completed"
        + " (at most one in_progress). The user sees it in the progress message and /status. Update it as steps"
        + " finish.";
  }

  @Override
  public ObjectNode parameters() {
    ObjectNode schema = Schema.object()
        .string("explanation", "Optional note on why the plan changed (at most 240 characters are kept).")
        .required("plan")
        .build();
    ObjectNode step = Json.object().put("type", "object");
    ObjectNode props = step.putObject("properties");
    props.putObject("step").put("type", "string").put("description", "What to do (at most 80 characters are kept).");
    ObjectNode status = props.putObject("status").put("type", "string");
    ArrayNode values = status.putArray("enum");
    Plan.STATUSES.forEach(values::add);
    step.putArray("required").add("step").add("status");
    step.put("additionalProperties", false);
    ObjectNode plan = ((ObjectNode) schema.get("properties")).putObject("plan");
    plan.put("type", "array").put("description", "The whole plan, in order.").set("items", step);
    return schema;
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    Plan plan = parse(args);
    try {
      ctx.updatePlan(plan).toCompletableFuture().get(SAVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new ToolException("the plan could not be saved within " + SAVE_TIMEOUT_SECONDS + " s; try again");
    } catch (ExecutionException e) {
      throw new ToolException("failed to save the plan: " + (e.getCause() == null ? e : e.getCause()).getMessage());
    }
    return Json.object().put("updated", true);
  }

  static Plan parse(JsonNode args) throws ToolException {
    JsonNode items = args.get("plan");
    if (items == null || items.isNull()) throw new ToolException("missing required argument: plan");
    if (!items.isArray()) throw new ToolException("plan must be an array of {step, status} objects");
    if (items.size() > Plan.MAX_STEPS) {
      throw new ToolException("plan has " + items.size() + " steps; at most " + Plan.MAX_STEPS + " are allowed");
    }
    List<Plan.Step> steps = new ArrayList<>();
    int inProgress = 0;
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String step = item.path("step").isTextual() ? item.path("step").asText().strip() : "";
      if (step.isEmpty()) throw new ToolException("plan[" + i + "].step must be a non-empty string");
      String status = item.path("status").asText("");
      if (!Plan.STATUSES.contains(status)) {
        throw new ToolException("plan[" + i + "].status must be one of " + String.join(", ", Plan.STATUSES));
      }
      if (status.equals("in_progress")) inProgress++;
      steps.add(new Plan.Step(cut(step, Plan.MAX_STEP_CHARS), status));
    }
    if (inProgress > 1) throw new ToolException("at most one step may be in_progress, not " + inProgress);
    String explanation = args.path("explanation").isTextual() ? args.path("explanation").asText().strip() : "";
    return new Plan(steps, cut(explanation, Plan.MAX_EXPLANATION_CHARS));
  }

  private static String cut(String s, int max) {
    return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max));
  }
}
