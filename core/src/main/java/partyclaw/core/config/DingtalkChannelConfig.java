package partyclaw.core.config;

import java.util.Optional;

/** {@code kind: "dingtalk"}: a DingTalk Stream-mode bot. */
public record DingtalkChannelConfig(
    String id,
    String clientId,
    String clientIdEnv,
    String clientSecret,
    String clientSecretEnv,
    String apiBaseUrl) implements ChannelConfig {

  public static final String KIND = "dingtalk";
  public static final String DEFAULT_CLIENT_ID_ENV = "DINGTALK_CLIENT_ID";
  public static final String DEFAULT_CLIENT_SECRET_ENV = "DINGTALK_CLIENT_SECRET";
  public static final String DEFAULT_API_BASE_URL = "https://api.dingtalk.com";

  @Override
  public String kind() {
    return KIND;
  }

  public Optional<String> resolveClientId(Environment env) {
    return env.resolve(clientId, clientIdEnv);
  }

  public Optional<String> resolveClientSecret(Environment env) {
    return env.resolve(clientSecret, clientSecretEnv);
  }

  @Override
  public String toString() {
    return "DingtalkChannelConfig[" + id + ", client id env " + clientIdEnv + ", client secret env " + clientSecretEnv
        + ", " + apiBaseUrl + "]";
  }
}
