package partyclaw.core.config;

import java.util.Optional;

/** {@code kind: "web"}: the browser UI and REST/WebSocket API. Without a token the channel is disabled, not an error. */
public record WebChannelConfig(String id, String listenAddr, String authToken, String authTokenEnv)
    implements ChannelConfig {

  public static final String KIND = "web";
  public static final String DEFAULT_LISTEN_ADDR = "127.0.0.1:8080";
  public static final String DEFAULT_AUTH_TOKEN_ENV = "CLAWPARTY_WEB_AUTH_TOKEN";

  @Override
  public String kind() {
    return KIND;
  }

  public Optional<String> resolveAuthToken(Environment env) {
    return env.resolve(authToken, authTokenEnv);
  }

  @Override
  public String toString() {
    return "WebChannelConfig[" + id + ", " + listenAddr + ", token "
        + (authToken != null && !authToken.isBlank() ? "literal" : "env " + authTokenEnv) + "]";
  }
}
