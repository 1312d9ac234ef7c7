package partyclaw.tools;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import partyclaw.core.tool.Tool;
import partyclaw.tools.exec.ExecKillTool;
import partyclaw.tools.exec.ExecObserveTool;
import partyclaw.tools.exec.ExecRun;
import partyclaw.tools.exec.ExecStartTool;
import partyclaw.tools.exec.ExecWaitTool;
import partyclaw.tools.file.ApplyPatchTool;
import partyclaw.tools.file.EditTool;
import partyclaw.tools.file.FileReadTool;
import partyclaw.tools.file.FileWriteTool;
import partyclaw.tools.search.GlobTool;
import partyclaw.tools.search.GrepTool;
import partyclaw.tools.search.LsTool;
import partyclaw.tools.user.UserTellTool;

/** The built-in tools of this module, in the order they are offered to the model: by name (tools.md §1.1). */
public final class BuiltinTools {
  private BuiltinTools() {}

  /** Every built-in tool, sorted by name; the exec tools record and mark their processes as {@code run}'s. */
  public static List<Tool> all(ExecRun run) {
    return Stream.<Tool>of(
            new FileReadTool(), new FileWriteTool(), new EditTool(), new ApplyPatchTool(),
            new GlobTool(), new GrepTool(), new LsTool(),
            new ExecStartTool(run), new ExecObserveTool(run), new ExecWaitTool(run), new ExecKillTool(run),
            new UserTellTool())
        .sorted(Comparator.comparing(Tool::name))
        .toList();
  }

  /** Name → tool, iterating in name order. */
  public static Map<String, Tool> byName(ExecRun run) {
    Map<String, Tool> m = new LinkedHashMap<>();
    for (Tool t : all(run)) m.put(t.name(), t);
    return Collections.unmodifiableMap(m);
  }
}
