package partyclaw.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolMode;

class BuiltinToolsTest {
  @Test
  void allTwelveToolsSortedByName() {
    List<String> names = BuiltinTools.all().stream().map(Tool::name).toList();
    assertEquals(List.of("apply_patch", "edit", "exec_kill", "exec_observe", "exec_start", "exec_wait",
        "file_read", "file_write", "glob", "grep", "ls", "user_tell"), names);
    assertEquals(names, List.copyOf(BuiltinTools.byName().keySet()));
    assertSame(BuiltinTools.all().get(0), BuiltinTools.byName().get("apply_patch"));
  }

  @Test
  void modesFollowTheSpec() {
    Set<String> interruptible = Set.of("exec_start", "exec_wait");
    for (Tool t : BuiltinTools.all()) {
      assertEquals(interruptible.contains(t.name()) ? ToolMode.INTERRUPTIBLE : ToolMode.IMMEDIATE, t.mode(), t.name());
    }
  }

  @Test
  void schemasAreClosedObjectsWhoseRequiredKeysAreDeclared() {
    for (Tool t : BuiltinTools.all()) {
      ObjectNode s = t.parameters();
      assertEquals("object", s.get("type").asText(), t.name());
      assertFalse(s.get("additionalProperties").asBoolean(), t.name());
      JsonNode props = s.get("properties");
      for (JsonNode r : s.get("required")) assertTrue(props.has(r.asText()), t.name() + " requires " + r);
      assertFalse(t.description().isBlank());
      assertFalse(t.description().startsWith("Execution mode"), "the prefix is added by the runtime");
    }
  }
}
