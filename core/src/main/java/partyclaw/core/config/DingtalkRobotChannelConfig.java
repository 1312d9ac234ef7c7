package partyclaw.core.config;

import java.util.Optional;

/**
 * {@code kind: "dingtalk_robot"}: sends through a custom-robot webhook; with an app secret it also serves
 * signed inbound callbacks on {@code httpListenAddr} + {@code httpCallbackPath} (which always starts with {@code /}).
 */
public record DingtalkRobotChannelConfig(
    String id,
    String webhookUrl,
    String webhookUrlEnv,
    String appKey,
    String appKeyEnv,
    String appSecret,
    String appSecretEnv,
    String httpListenAddr,
    String httpCallbackPath,
    String apiBaseUrl) implements ChannelConfig {

  public static final String KIND = "dingtalk_robot";
  public static final String DEFAULT_WEBHOOK_URL_ENV = "DINGTALK_ROBOT_WEBHOOK_URL";
  public static final String DEFAULT_APP_KEY_ENV = "DINGTALK_ROBOT_APP_KEY";
  public static final String DEFAULT_APP_SECRET_ENV = "DINGTALK_ROBOT_APP_SECRET";
  public static final String DEFAULT_HTTP_LISTEN_ADDR = "127.0.0.1:35888";
  public static final String DEFAULT_HTTP_CALLBACK_PATH = "/dingtalk/robot";
  public static final String DEFAULT_API_BASE_URL = "https://api.dingtalk.com";

  @Override
  public String kind() {
    return KIND;
  }

  public Optional<String> resolveWebhookUrl(Environment env) {
    return env.resolve(webhookUrl, webhookUrlEnv);
  }

  public Optional<String> resolveAppKey(Environment env) {
    return env.resolve(appKey, appKeyEnv);
  }

  public Optional<String> resolveAppSecret(Environment env) {
    return env.resolve(appSecret, appSecretEnv);
  }

  @Override
  public String toString() {
    // The webhook URL carries an access token, so only env names are shown.
    return "DingtalkRobotChannelConfig[" + id + ", webhook env " + webhookUrlEnv + ", app key env " + appKeyEnv
        + ", app secret env " + appSecretEnv + ", " + httpListenAddr + httpCallbackPath + ", " + apiBaseUrl + "]";
  }
}
