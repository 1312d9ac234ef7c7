package partyclaw.actors;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.tool.Tool;
import partyclaw.core.util.WeakIdentityCache;

/**
 * A tier's tool specs as offered to one model (tools.md §2): capability-gated tools hidden from models that lack the
 * capability, and a schema that depends on the model (web_search's {@code images}) as that model gets it. Cached per
 * spec list and model, so that a conversation's requests pass the same list instance each time: the request encoder
 * and the token meter encode and count a list once by its identity.
 */
public final class OfferedTools {
  private static final WeakIdentityCache<List<ToolSpec>, Map<String, List<ToolSpec>>> CACHE = new WeakIdentityCache<>();
  private static final String NO_MODEL = "";

  private OfferedTools() {}

  public static List<ToolSpec> specs(Map<String, Tool> tools, List<ToolSpec> specs, String modelAlias) {
    Map<String, List<ToolSpec>> byModel = CACHE.computeIfAbsent(specs, s -> new ConcurrentHashMap<>());
    return byModel.computeIfAbsent(modelAlias == null ? NO_MODEL : modelAlias, alias -> {
      List<ToolSpec> offered = specs.stream()
          .filter(spec -> {
            Tool tool = tools.get(spec.name());
            return tool == null || tool.offeredTo(modelAlias);
          })
          .map(spec -> {
            Tool tool = tools.get(spec.name());
            if (tool == null || modelAlias == null) return spec;
            var parameters = tool.parametersFor(modelAlias);
            return parameters == null ? spec : new ToolSpec(spec.name(), spec.description(), parameters);
          })
          .toList();
      boolean same = offered.size() == specs.size();
      for (int i = 0; same && i < offered.size(); i++) same = offered.get(i) == specs.get(i);
      return same ? specs : List.copyOf(offered);
    });
  }
}
