package partyclaw.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolMode;

class OfferedToolsTest {
  /** A tool offered to the models named, or to every model when none are. */
  record Named(String name, List<String> onlyFor) implements Tool {
    public String description() {
      return name;
    }

    public ObjectNode parameters() {
      return Json.object();
    }

    public ToolMode mode() {
      return ToolMode.IMMEDIATE;
    }

    public JsonNode run(JsonNode args, ToolContext ctx) {
      return Json.object();
    }

    @Override
    public boolean offeredTo(String modelAlias) {
      return onlyFor.isEmpty() || modelAlias == null || onlyFor.contains(modelAlias);
    }
  }

  /** web_search-like: an extra argument for the model "vision" only. */
  static final ObjectNode WITH_IMAGES = Json.object().put("images", true);

  record Varying(String name) implements Tool {
    public String description() {
      return name;
    }

    public ObjectNode parameters() {
      return Json.object();
    }

    public ToolMode mode() {
      return ToolMode.INTERRUPTIBLE;
    }

    public JsonNode run(JsonNode args, ToolContext ctx) {
      return Json.object();
    }

    @Override
    public ObjectNode parametersFor(String modelAlias) {
      return "vision".equals(modelAlias) ? WITH_IMAGES : null;
    }
  }

  @Test
  void aSchemaThatDependsOnTheModelIsTheOneThatModelGets() {
    Map<String, Tool> tools = Map.of("file_read", new Named("file_read", List.of()), "web_search", new Varying("web_search"));
    List<ToolSpec> specs = ConversationRuntime.specsOf(tools);

    List<ToolSpec> vision = OfferedTools.specs(tools, specs, "vision");

    assertSame(WITH_IMAGES, vision.get(1).parameters());
    assertSame(specs.get(0), vision.get(0), "the other specs are the node's own");
    assertSame(specs, OfferedTools.specs(tools, specs, "text"));
  }

  @Test
  void aModelIsOfferedOnlyTheToolsItCanUseAsOneStableList() {
    Map<String, Tool> tools = Map.of("file_read", new Named("file_read", List.of()),
        "image_load", new Named("image_load", List.of("vision")));
    List<ToolSpec> specs = ConversationRuntime.specsOf(tools);

    List<ToolSpec> vision = OfferedTools.specs(tools, specs, "vision");
    List<ToolSpec> text = OfferedTools.specs(tools, specs, "text");

    assertSame(specs, vision, "a model offered everything gets the node's own list");
    assertEquals(List.of("file_read"), text.stream().map(ToolSpec::name).toList());
    assertSame(text, OfferedTools.specs(tools, specs, "text"), "the same instance every time: encoded once");
    assertSame(specs, OfferedTools.specs(tools, specs, null), "no model known: everything");
  }
}
