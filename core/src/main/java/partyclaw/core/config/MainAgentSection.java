package partyclaw.core.config;

import java.util.List;
import java.util.Optional;

/**
 * Reads {@code main_agent} (required, may be {@code {}}). The nested compaction objects win; the legacy flat keys
 * ({@code compact_trigger_ratio}, {@code enable_idle_context_compaction}, …) are read only when the matching
 * nested object is absent. Fields newer than the file's version are ignored, as that version's loader did.
 */
final class MainAgentSection {
  private MainAgentSection() {}

  static MainAgentConfig read(JsonFields root, LoadContext ctx) {
    if (!root.has("main_agent")) {
      root.missing("main_agent", "add \"main_agent\": {} (it may be empty; every field has a default)");
      return MainAgentConfig.defaults();
    }
    Optional<JsonFields> section = root.object("main_agent");
    if (section.isEmpty()) return MainAgentConfig.defaults();
    JsonFields f = section.get();
    Problems problems = ctx.problems();

    String model = f.string("model").orElse(null);
    Double timeout = f.number("timeout_seconds").orElse(null);
    if (timeout != null && timeout < 0) {
      problems.add(f.path("timeout_seconds"), "main_agent.timeout_seconds must be greater than or equal to 0",
          "use 0 or more seconds (0 means 300 s), or leave it out to use the model timeout + 15 s");
    }
    int maxRoundtrips = f.int32("max_tool_roundtrips", MainAgentConfig.DEFAULT_MAX_TOOL_ROUNDTRIPS);
    if (maxRoundtrips < 1) {
      problems.add(f.path("max_tool_roundtrips"), "main_agent.max_tool_roundtrips must be at least 1",
          "use 1 or more (default " + MainAgentConfig.DEFAULT_MAX_TOOL_ROUNDTRIPS + ")");
    }
    IdleCompactionConfig idle = idleCompaction(f);
    if (idle.enabled() && idle.pollIntervalSeconds() < 1) {
      problems.add(f.has("idle_compaction") ? JsonPath.child(f.path("idle_compaction"), "poll_interval_seconds")
              : f.path("idle_context_compaction_poll_interval_seconds"),
          "main_agent.idle_compaction.poll_interval_seconds must be at least 1",
          "use 1 or more seconds, or disable idle compaction");
    }
    String memory = MainAgentConfig.MEMORY_LAYERED;
    if (ctx.atLeast("0.10")) {
      memory = f.string("memory_system", MainAgentConfig.MEMORY_LAYERED);
      if (!MainAgentConfig.MEMORY_SYSTEMS.contains(memory)) {
        problems.add(f.path("memory_system"), "unknown memory_system '" + memory + "'",
            "use one of " + String.join(", ", MainAgentConfig.MEMORY_SYSTEMS));
        memory = MainAgentConfig.MEMORY_LAYERED;
      }
    }
    String queueMode = f.string("queue_mode", MainAgentConfig.DEFAULT_QUEUE_MODE);
    if (!MainAgentConfig.QUEUE_MODES.contains(queueMode)) {
      problems.add(f.path("queue_mode"), "unknown queue_mode '" + queueMode + "'",
          "use one of " + String.join(", ", MainAgentConfig.QUEUE_MODES));
      queueMode = MainAgentConfig.DEFAULT_QUEUE_MODE;
    }
    int debounceMs = f.int32("debounce_ms", MainAgentConfig.DEFAULT_DEBOUNCE_MS);
    if (debounceMs < 0 || debounceMs > 10_000) {
      problems.add(f.path("debounce_ms"), "main_agent.debounce_ms must be between 0 and 10000",
          "use milliseconds, e.g. 500 (the default)");
      debounceMs = MainAgentConfig.DEFAULT_DEBOUNCE_MS;
    }
    return new MainAgentConfig(
        model,
        timeout,
        f.string("global_install_root", MainAgentConfig.defaultGlobalInstallRoot()),
        f.string("language", MainAgentConfig.DEFAULT_LANGUAGE),
        maxRoundtrips,
        f.bool("enable_context_compression", true),
        contextCompaction(f),
        idle,
        f.object("timeout_observation_compaction").map(t -> t.bool("enabled", true)).orElse(true),
        ctx.atLeast("0.12") ? timeAwareness(f) : TimeAwarenessConfig.DEFAULT,
        ctx.atLeast("0.18") ? tokenEstimationCache(f) : TokenEstimationCacheConfig.DEFAULT,
        memory,
        enabledTools(f),
        queueMode,
        debounceMs);
  }

  private static ContextCompactionConfig contextCompaction(JsonFields f) {
    ContextCompactionConfig d = ContextCompactionConfig.DEFAULT;
    if (f.has("context_compaction")) {
      return f.object("context_compaction").map(c -> new ContextCompactionConfig(
          c.number("trigger_ratio", d.triggerRatio()),
          c.integer("token_limit_override").orElse(null),
          c.number("recent_fidelity_target_ratio", d.recentFidelityTargetRatio()))).orElse(d);
    }
    double trigger = f.number("compact_trigger_ratio", d.triggerRatio());
    Optional<Double> effective = f.number("effective_context_window_percent");
    if (effective.isPresent() && effective.get() != 0.9) trigger = effective.get();
    return new ContextCompactionConfig(trigger, f.integer("auto_compact_token_limit").orElse(null),
        f.number("recent_fidelity_target_ratio", d.recentFidelityTargetRatio()));
  }

  private static IdleCompactionConfig idleCompaction(JsonFields f) {
    IdleCompactionConfig d = IdleCompactionConfig.DEFAULT;
    if (f.has("idle_compaction")) {
      return f.object("idle_compaction").map(c -> new IdleCompactionConfig(
          c.bool("enabled", d.enabled()),
          c.int32("poll_interval_seconds", d.pollIntervalSeconds()),
          c.number("min_ratio", d.minRatio()))).orElse(d);
    }
    return new IdleCompactionConfig(
        f.bool("enable_idle_context_compaction", d.enabled()),
        f.int32("idle_context_compaction_poll_interval_seconds", d.pollIntervalSeconds()),
        f.number("idle_compact_min_ratio", d.minRatio()));
  }

  private static TimeAwarenessConfig timeAwareness(JsonFields f) {
    TimeAwarenessConfig d = TimeAwarenessConfig.DEFAULT;
    return f.object("time_awareness").map(t -> new TimeAwarenessConfig(
        t.bool("emit_system_date_on_user_message", d.emitSystemDateOnUserMessage()),
        t.bool("emit_idle_time_gap_hint", d.emitIdleTimeGapHint()))).orElse(d);
  }

  private static TokenEstimationCacheConfig tokenEstimationCache(JsonFields f) {
    TokenEstimationCacheConfig d = TokenEstimationCacheConfig.DEFAULT;
    return f.object("token_estimation_cache").map(c -> new TokenEstimationCacheConfig(
        hfDir(c, "template", d.templateHf()), hfDir(c, "tokenizer", d.tokenizerHf()))).orElse(d);
  }

  private static String hfDir(JsonFields cache, String part, String fallback) {
    String dir = cache.object(part).flatMap(p -> p.string("hf")).orElse(fallback);
    return dir.isBlank() ? fallback : dir;
  }

  private static List<String> enabledTools(JsonFields f) {
    return f.strings("enabled_tools").stream()
        .map(t -> switch (t) {
          case "read_file" -> "file_read";
          case "write_file" -> "file_write";
          default -> t;
        })
        .distinct()
        .toList();
  }
}
