package partyclaw.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the (interpolated) root object of a config of a known version into the canonical {@link PartyclawConfig},
 * reporting every problem to the load's {@link Problems}: one tolerant reader for all versions, with the
 * version-specific parts (model layout, fields a version did not know yet) decided by the sections.
 */
final class ConfigReader {
  private ConfigReader() {}

  static PartyclawConfig read(JsonFields root, LoadContext ctx) {
    Problems problems = ctx.problems();
    ModelsSection.Result models = ModelsSection.read(root, ctx);
    if (models.models().isEmpty() && !(root.has("models") && !root.raw("models").isObject())) {
      problems.add(root.path("models"), "server config must include at least one model",
          "add a model, e.g. \"models\": {\"main\": {\"type\": \"openrouter\", \"model\": \"openai/gpt-4o-mini\", "
              + "\"capabilities\": [\"chat\"]}}");
    }
    List<String> available = availableModels(root, models.models(), ctx);
    Map<String, String> tooling = ctx.atLeast("0.6") ? tooling(root, models.models(), ctx) : Map.of();
    MainAgentConfig mainAgent = MainAgentSection.read(root, ctx);
    SandboxConfig sandbox = SandboxSection.read(root, ctx);

    int maxSubAgents = root.int32("max_global_sub_agents", PartyclawConfig.DEFAULT_MAX_GLOBAL_SUB_AGENTS);
    if (maxSubAgents < 1) {
      problems.add(root.path("max_global_sub_agents"), "max_global_sub_agents must be at least 1",
          "use a whole number of 1 or more (default " + PartyclawConfig.DEFAULT_MAX_GLOBAL_SUB_AGENTS + ")");
    }
    int cronPoll = root.int32("cron_poll_interval_seconds", PartyclawConfig.DEFAULT_CRON_POLL_INTERVAL_SECONDS);
    if (cronPoll < 1) {
      problems.add(root.path("cron_poll_interval_seconds"), "cron_poll_interval_seconds must be at least 1",
          "use a whole number of seconds, 1 or more (default " + PartyclawConfig.DEFAULT_CRON_POLL_INTERVAL_SECONDS + ")");
    }
    List<ChannelsSection.ReadChannel> channels = ChannelsSection.read(root, ctx);
    SecretChecks.check(models.models(), models.paths(), channels, ctx);
    ManagementConfig management = ManagementSection.read(root, ctx);
    ClusterConfig cluster = ClusterSection.read(root, ctx);
    if (cluster != null) {
      for (ChannelsSection.ReadChannel c : channels) {
        if (c.config() instanceof CommandLineChannelConfig) {
          problems.add(root.path("cluster"), "a command_line channel cannot run in a cluster: its conversation "
              + "may live on another node than the terminal", "remove the command_line channel from a cluster "
              + "node's config (use `partyclaw chat` or a platform channel), or remove the cluster section");
        }
      }
    }

    return new PartyclawConfig(ctx.version(), models.models(), available, tooling, mainAgent, sandbox, maxSubAgents,
        cronPoll, channels.stream().map(ChannelsSection.ReadChannel::config).toList(), management, cluster);
  }

  /** {@code agent.agent_frame.available_models} (0.9+), de-duplicated; when empty, every agent-capable model. */
  private static List<String> availableModels(JsonFields root, Map<String, ModelConfig> models, LoadContext ctx) {
    List<String> out = new ArrayList<>();
    if (ctx.atLeast("0.9")) {
      Optional<JsonFields> frame = root.object("agent").flatMap(a -> a.object("agent_frame"));
      for (JsonFields.Element e : frame.map(f -> f.array("available_models")).orElse(List.of())) {
        if (!e.value().isTextual()) {
          e.typeError(ctx.problems(), "string", false);
          continue;
        }
        String alias = e.value().textValue();
        ModelConfig m = models.get(alias);
        if (m == null) {
          ctx.problems().add(e.path(), "agent.agent_frame.available_models references unknown model alias '" + alias + "'",
              "use one of the model aliases: " + aliases(models));
        } else if (!m.canBeAgentModel()) {
          ctx.problems().add(e.path(),
              "agent.agent_frame.available_models references model '" + alias + "' which is not an enabled agent chat model",
              "give model '" + alias + "' the \"chat\" capability (and do not set \"agent_model_enabled\": false), "
                  + "or remove it from the list");
        } else if (!out.contains(alias)) {
          out.add(alias);
        }
      }
    }
    if (out.isEmpty()) {
      models.values().stream().filter(ModelConfig::canBeAgentModel).map(ModelConfig::alias).forEach(out::add);
    }
    return out;
  }

  /** {@code tooling} (0.6+): each known field routed to an existing model that has the capability it needs. */
  private static Map<String, String> tooling(JsonFields root, Map<String, ModelConfig> models, LoadContext ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    Optional<JsonFields> section = root.object("tooling");
    if (section.isEmpty()) return out;
    JsonFields f = section.get();
    for (Map.Entry<String, Capability> field : ToolingTarget.FIELDS.entrySet()) {
      String name = field.getKey();
      Optional<String> raw = f.string(name);
      if (raw.isEmpty()) continue;
      ToolingTarget target;
      try {
        target = ToolingTarget.parse(raw.get());
      } catch (IllegalArgumentException e) {
        ctx.problems().add(f.path(name), e.getMessage(), "write \"<alias>\" or \"<alias>:self\"");
        continue;
      }
      ModelConfig m = models.get(target.alias());
      String capability = field.getValue().wireName();
      if (m == null) {
        ctx.problems().add(f.path(name), "tooling." + name + " references unknown model alias '" + target.alias() + "'",
            "use one of the model aliases: " + aliases(models));
      } else if (!m.hasCapability(field.getValue())) {
        ctx.problems().add(f.path(name),
            "tooling." + name + " references model '" + target.alias() + "' which does not declare capability '"
                + capability + "'",
            "add \"" + capability + "\" to the capabilities of model '" + target.alias()
                + "', or route tooling." + name + " to a model that has it");
      } else {
        out.put(name, target.toString());
      }
    }
    return out;
  }

  private static String aliases(Map<String, ModelConfig> models) {
    return models.isEmpty() ? "(none defined)" : String.join(", ", models.keySet());
  }
}
