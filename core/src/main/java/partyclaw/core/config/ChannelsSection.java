package partyclaw.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code channels} (required, non-empty), applying every default of the channel kinds. A kind newer than
 * the file's version is reported with the version that introduced it. Channel ids are not checked for
 * uniqueness here, as in the reference (a later channel with the same id replaces the earlier one at runtime).
 */
final class ChannelsSection {
  /** A read channel and where it was defined. */
  record ReadChannel(ChannelConfig config, String path) {}

  /** Each kind and the config version that introduced it. */
  private static final Map<String, String> KINDS = Map.of(
      TelegramChannelConfig.KIND, "0.1",
      CommandLineChannelConfig.KIND, "0.1",
      DingtalkChannelConfig.KIND, "0.11",
      DingtalkRobotChannelConfig.KIND, "0.20",
      WebChannelConfig.KIND, "0.21");
  private static final String KIND_LIST = "telegram, dingtalk, dingtalk_robot, command_line, web";

  private final LoadContext ctx;

  private ChannelsSection(LoadContext ctx) {
    this.ctx = ctx;
  }

  static List<ReadChannel> read(JsonFields root, LoadContext ctx) {
    ChannelsSection section = new ChannelsSection(ctx);
    List<ReadChannel> out = new ArrayList<>();
    List<JsonFields.Element> elements = root.array("channels");
    if (elements.isEmpty() && !(root.has("channels") && !root.raw("channels").isArray())) {
      ctx.problems().add(root.path("channels"), "server config must include at least one channel",
          "add a channel, e.g. \"channels\": [{\"kind\": \"command_line\", \"id\": \"cli\"}]");
    }
    for (JsonFields.Element e : elements) {
      JsonFields.of(e.value(), e.path(), ctx.problems()).flatMap(section::channel)
          .ifPresent(c -> out.add(new ReadChannel(c, e.path())));
    }
    return out;
  }

  private Optional<ChannelConfig> channel(JsonFields f) {
    Optional<String> kind = f.requiredString("kind", "add \"kind\": one of " + KIND_LIST);
    if (kind.isEmpty()) return Optional.empty();
    String since = KINDS.get(kind.get());
    if (since == null) {
      ctx.problems().add(f.path("kind"), "unknown channel kind '" + kind.get() + "'", "use one of " + KIND_LIST);
      return Optional.empty();
    }
    if (!ctx.atLeast(since)) {
      ctx.problems().add(f.path("kind"), "channel kind '" + kind.get() + "' needs config version " + since
          + " or later, but this file is version " + ctx.version(),
          ctx.atLeast("0.14")
              ? "set \"version\": \"" + ConfigVersions.LATEST + "\" (0.14 and later files share one layout)"
              : "convert the file to the " + ConfigVersions.LATEST + " layout (flat \"models\" with \"type\" and "
                  + "\"capabilities\", see conf/cli.json) and set \"version\": \"" + ConfigVersions.LATEST + "\"");
      return Optional.empty();
    }
    Optional<String> id = f.requiredString("id", "add \"id\", a short unique name for this channel, e.g. \"" + kind.get() + "-main\"");
    ChannelConfig config = switch (kind.get()) {
      case TelegramChannelConfig.KIND -> telegram(id.orElse(null), f);
      case DingtalkChannelConfig.KIND -> dingtalk(id.orElse(null), f);
      case DingtalkRobotChannelConfig.KIND -> dingtalkRobot(id.orElse(null), f);
      case WebChannelConfig.KIND -> web(id.orElse(null), f);
      default -> new CommandLineChannelConfig(id.orElse(null),
          f.string("prompt", CommandLineChannelConfig.DEFAULT_PROMPT));
    };
    if (id.isPresent() && id.get().isBlank()) {
      ctx.problems().add(f.path("id"), "channel id must not be empty", "give the channel a short unique name");
    }
    return id.isPresent() ? Optional.of(config) : Optional.empty();
  }

  private TelegramChannelConfig telegram(String id, JsonFields f) {
    int pollTimeout = f.int32("poll_timeout_seconds", TelegramChannelConfig.DEFAULT_POLL_TIMEOUT_SECONDS);
    long pollInterval = f.integer("poll_interval_ms", TelegramChannelConfig.DEFAULT_POLL_INTERVAL_MS);
    if (pollTimeout < 0) {
      ctx.problems().add(f.path("poll_timeout_seconds"), "poll_timeout_seconds must not be negative",
          "use 0 or more seconds (default " + TelegramChannelConfig.DEFAULT_POLL_TIMEOUT_SECONDS + ")");
    }
    if (pollInterval < 0) {
      ctx.problems().add(f.path("poll_interval_ms"), "poll_interval_ms must not be negative",
          "use 0 or more milliseconds (default " + TelegramChannelConfig.DEFAULT_POLL_INTERVAL_MS + ")");
    }
    return new TelegramChannelConfig(id,
        f.string("bot_token").orElse(null),
        envName(f, "bot_token_env", TelegramChannelConfig.DEFAULT_BOT_TOKEN_ENV),
        baseUrl(f, TelegramChannelConfig.DEFAULT_API_BASE_URL),
        pollTimeout,
        pollInterval,
        ids(f, "allowed_chat_ids"),
        ids(f, "allowed_user_ids"),
        f.bool("open", false));
  }

  private DingtalkChannelConfig dingtalk(String id, JsonFields f) {
    return new DingtalkChannelConfig(id,
        f.string("client_id").orElse(null),
        envName(f, "client_id_env", DingtalkChannelConfig.DEFAULT_CLIENT_ID_ENV),
        f.string("client_secret").orElse(null),
        envName(f, "client_secret_env", DingtalkChannelConfig.DEFAULT_CLIENT_SECRET_ENV),
        baseUrl(f, DingtalkChannelConfig.DEFAULT_API_BASE_URL));
  }

  private DingtalkRobotChannelConfig dingtalkRobot(String id, JsonFields f) {
    String callback = f.string("http_callback_path", DingtalkRobotChannelConfig.DEFAULT_HTTP_CALLBACK_PATH).strip();
    if (callback.isEmpty()) callback = DingtalkRobotChannelConfig.DEFAULT_HTTP_CALLBACK_PATH;
    if (!callback.startsWith("/")) callback = "/" + callback;
    return new DingtalkRobotChannelConfig(id,
        f.string("webhook_url").orElse(null),
        envName(f, "webhook_url_env", DingtalkRobotChannelConfig.DEFAULT_WEBHOOK_URL_ENV),
        f.string("app_key").orElse(null),
        envName(f, "app_key_env", DingtalkRobotChannelConfig.DEFAULT_APP_KEY_ENV),
        f.string("app_secret").orElse(null),
        envName(f, "app_secret_env", DingtalkRobotChannelConfig.DEFAULT_APP_SECRET_ENV),
        f.string("http_listen_addr", DingtalkRobotChannelConfig.DEFAULT_HTTP_LISTEN_ADDR),
        callback,
        baseUrl(f, DingtalkRobotChannelConfig.DEFAULT_API_BASE_URL));
  }

  private WebChannelConfig web(String id, JsonFields f) {
    return new WebChannelConfig(id,
        f.string("listen_addr", WebChannelConfig.DEFAULT_LISTEN_ADDR),
        f.string("auth_token").orElse(null),
        envName(f, "auth_token_env", WebChannelConfig.DEFAULT_AUTH_TOKEN_ENV));
  }

  private static String envName(JsonFields f, String key, String fallback) {
    return f.string(key).map(String::strip).orElse(fallback);
  }

  private static String baseUrl(JsonFields f, String fallback) {
    String url = f.string("api_base_url", fallback).strip();
    while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
    return url;
  }

  /** Chat or user ids: integers, or strings holding one (ids are easy to paste quoted). */
  private List<Long> ids(JsonFields f, String key) {
    List<Long> out = new ArrayList<>();
    for (JsonFields.Element e : f.array(key)) {
      JsonNode v = e.value();
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        out.add(v.longValue());
      } else if (v.isTextual() && v.textValue().strip().matches("-?\\d{1,18}")) {
        out.add(Long.parseLong(v.textValue().strip()));
      } else {
        e.typeError(ctx.problems(), "integer", false);
      }
    }
    return out;
  }
}
