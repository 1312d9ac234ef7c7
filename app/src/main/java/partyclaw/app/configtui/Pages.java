package partyclaw.app.configtui;

import java.util.List;

/** The settings pages of spec §5 and the fields of the model and channel forms. */
final class Pages {
  private Pages() {}

  static final List<String> CAPABILITIES = List.of("chat", "web_search", "image_in", "image_out", "pdf", "audio_in");
  static final List<String> MODEL_TYPES = List.of("openrouter", "openrouter-resp", "codex-subscription");
  static final List<String> CHANNEL_KINDS = List.of("command_line", "telegram", "dingtalk", "dingtalk_robot", "web");

  /** Relative to the root. */
  static final List<FieldSpec> TOOLING = List.of(
      FieldSpec.text("tooling.web_search", null).labelled("web_search"),
      FieldSpec.text("tooling.image", null).labelled("image"),
      FieldSpec.text("tooling.image_gen", null).labelled("image_gen"),
      FieldSpec.text("tooling.pdf", null).labelled("pdf"),
      FieldSpec.text("tooling.audio_input", null).labelled("audio_input"));

  /** Relative to {@code main_agent}. */
  static final List<FieldSpec> MAIN_AGENT = List.of(
      FieldSpec.text("global_install_root", "/opt"),
      FieldSpec.text("token_estimation_cache.template.hf", "template-cache/hf"),
      FieldSpec.text("token_estimation_cache.tokenizer.hf", "tokenizer-cache/hf"),
      FieldSpec.text("language", "zh-CN"),
      FieldSpec.select("memory_system", "layered", "layered", "claude_code"),
      FieldSpec.bool("time_awareness.emit_system_date_on_user_message", false),
      FieldSpec.bool("time_awareness.emit_idle_time_gap_hint", true),
      FieldSpec.bool("enable_context_compression", true),
      FieldSpec.decimal("context_compaction.trigger_ratio", 0.9),
      FieldSpec.optionalInteger("context_compaction.token_limit_override"),
      FieldSpec.decimal("context_compaction.recent_fidelity_target_ratio", 0.18),
      FieldSpec.bool("idle_compaction.enabled", false),
      FieldSpec.integer("idle_compaction.poll_interval_seconds", 15),
      FieldSpec.decimal("idle_compaction.min_ratio", 0.5),
      FieldSpec.bool("timeout_observation_compaction.enabled", true));

  /** Relative to the root. */
  static final List<FieldSpec> RUNTIME = List.of(
      FieldSpec.integer("max_global_sub_agents", 4),
      FieldSpec.integer("cron_poll_interval_seconds", 5));

  /** Relative to the root. */
  static final List<FieldSpec> SANDBOX = List.of(
      FieldSpec.select("sandbox.mode", "subprocess", "subprocess", "bubblewrap").labelled("mode"),
      FieldSpec.text("sandbox.bubblewrap_binary", "bwrap").labelled("bubblewrap_binary"),
      FieldSpec.bool("sandbox.map_docker_socket", false).labelled("map_docker_socket"));

  /** Pseudo-paths of the model form that are not keys of the model object. */
  static final String ALIAS = "@alias";
  static final String AVAILABLE = "@available_models";

  private static boolean type(com.fasterxml.jackson.databind.node.ObjectNode m, String t) {
    return t.equals(m.path("type").asText());
  }

  private static boolean isSource(com.fasterxml.jackson.databind.node.ObjectNode m, String path, String source) {
    return source.equals(JsonPaths.get(m, path).asText());
  }

  /** Relative to the model object (plus the two pseudo-fields). */
  static final List<FieldSpec> MODEL = List.of(
      FieldSpec.text(ALIAS, null).labelled("alias"),
      FieldSpec.select("type", null, MODEL_TYPES.toArray(String[]::new)),
      FieldSpec.text("model", null),
      FieldSpec.text("api_endpoint", null),
      FieldSpec.text("api_key_env", "OPENAI_API_KEY"),
      FieldSpec.text("chat_completions_path", null),
      FieldSpec.text("codex_home", null).when(m -> type(m, "codex-subscription")),
      FieldSpec.select("auth_credentials_store_mode", "auto", "file", "keyring", "auto", "ephemeral")
          .when(m -> type(m, "codex-subscription")),
      FieldSpec.decimal("timeout_seconds", 120.0),
      FieldSpec.select("retry_mode.mode", "no", "no", "random"),
      FieldSpec.integer("retry_mode.max_retries", 3).when(m -> isSource(m, "retry_mode.mode", "random")),
      FieldSpec.decimal("retry_mode.retry_random_mean", 5.0).when(m -> isSource(m, "retry_mode.mode", "random")),
      FieldSpec.integer("context_window_tokens", 128000),
      FieldSpec.optionalSelect("token_estimation.template.source", "builtin", "local", "huggingface"),
      FieldSpec.text("token_estimation.template.path", null)
          .when(m -> isSource(m, "token_estimation.template.source", "local")),
      FieldSpec.text("token_estimation.template.repo", null)
          .when(m -> isSource(m, "token_estimation.template.source", "huggingface")),
      FieldSpec.text("token_estimation.template.revision", "main")
          .when(m -> isSource(m, "token_estimation.template.source", "huggingface")),
      FieldSpec.text("token_estimation.template.file", "tokenizer_config.json")
          .when(m -> isSource(m, "token_estimation.template.source", "huggingface")),
      FieldSpec.text("token_estimation.template.field", "chat_template")
          .when(m -> isSource(m, "token_estimation.template.source", "local")
              || isSource(m, "token_estimation.template.source", "huggingface")),
      FieldSpec.text("token_estimation.template.cache_dir", null)
          .when(m -> isSource(m, "token_estimation.template.source", "huggingface")),
      FieldSpec.optionalSelect("token_estimation.tokenizer.source", "tiktoken", "local", "huggingface"),
      FieldSpec.select("token_estimation.tokenizer.encoding", "auto", "auto", "o200k_base", "cl100k_base",
          "o200k_harmony").when(m -> isSource(m, "token_estimation.tokenizer.source", "tiktoken")),
      FieldSpec.text("token_estimation.tokenizer.path", null)
          .when(m -> isSource(m, "token_estimation.tokenizer.source", "local")),
      FieldSpec.text("token_estimation.tokenizer.repo", null)
          .when(m -> isSource(m, "token_estimation.tokenizer.source", "huggingface")),
      FieldSpec.text("token_estimation.tokenizer.revision", "main")
          .when(m -> isSource(m, "token_estimation.tokenizer.source", "huggingface")),
      FieldSpec.text("token_estimation.tokenizer.file", "tokenizer.json")
          .when(m -> isSource(m, "token_estimation.tokenizer.source", "huggingface")),
      FieldSpec.text("token_estimation.tokenizer.cache_dir", null)
          .when(m -> isSource(m, "token_estimation.tokenizer.source", "huggingface")),
      FieldSpec.multi("capabilities", CAPABILITIES.toArray(String[]::new)),
      FieldSpec.bool("supports_vision_input", false),
      FieldSpec.bool("agent_model_enabled", true),
      FieldSpec.text("image_tool_model", null),
      FieldSpec.text("web_search", null),
      FieldSpec.bool("native_web_search.enabled", false),
      FieldSpec.text("description", ""),
      FieldSpec.bool(AVAILABLE, true).labelled("agent.agent_frame.available_models"));

  /** The keys each channel kind has (besides {@code kind}); anything else is removed when a channel is saved. */
  static List<FieldSpec> channel(String kind) {
    List<FieldSpec> common = List.of(FieldSpec.select("kind", null, CHANNEL_KINDS.toArray(String[]::new)),
        FieldSpec.text("id", null));
    List<FieldSpec> own = switch (kind) {
      case "command_line" -> List.of(FieldSpec.text("prompt", "you> "));
      case "telegram" -> List.of(FieldSpec.text("bot_token_env", "TELEGRAM_BOT_TOKEN"));
      case "dingtalk" -> List.of(FieldSpec.text("client_id_env", "DINGTALK_CLIENT_ID"),
          FieldSpec.text("client_secret_env", "DINGTALK_CLIENT_SECRET"),
          FieldSpec.text("api_base_url", "https://api.dingtalk.com"));
      case "dingtalk_robot" -> List.of(FieldSpec.text("webhook_url_env", "DINGTALK_ROBOT_WEBHOOK_URL"),
          FieldSpec.text("app_key_env", "DINGTALK_ROBOT_APP_KEY"),
          FieldSpec.text("app_secret_env", "DINGTALK_ROBOT_APP_SECRET"),
          FieldSpec.text("http_listen_addr", "127.0.0.1:35888"),
          FieldSpec.text("http_callback_path", "/dingtalk/robot"),
          FieldSpec.text("api_base_url", "https://api.dingtalk.com"));
      case "web" -> List.of(FieldSpec.text("listen_addr", "127.0.0.1:8080"), FieldSpec.text("auth_token", null),
          FieldSpec.text("auth_token_env", "CLAWPARTY_WEB_AUTH_TOKEN"));
      default -> List.of();
    };
    java.util.ArrayList<FieldSpec> all = new java.util.ArrayList<>(common);
    all.addAll(own);
    return all;
  }

  /** The keys each kind owns (exposed or not); a saved channel loses the other kinds' keys (spec §5). */
  static List<String> channelKeys(String kind) {
    return switch (kind) {
      case "command_line" -> List.of("prompt");
      case "telegram" -> List.of("bot_token_env", "api_base_url", "poll_timeout_seconds", "poll_interval_ms");
      case "dingtalk" -> List.of("client_id_env", "client_secret_env", "api_base_url");
      case "dingtalk_robot" -> List.of("webhook_url_env", "app_key_env", "app_secret_env", "http_listen_addr",
          "http_callback_path", "api_base_url");
      case "web" -> List.of("listen_addr", "auth_token", "auth_token_env");
      default -> List.of();
    };
  }

  /** Literal secrets the editor never keeps in a channel: they belong in the environment ({@code *_env}). */
  static final List<String> LITERAL_SECRETS = List.of("bot_token", "client_id", "client_secret", "webhook_url",
      "app_key", "app_secret");
}
