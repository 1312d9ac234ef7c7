package partyclaw.core.config;

/**
 * {@code management}: where the HTTP endpoint for {@code /alive}, {@code /ready} and {@code /metrics} listens.
 * Absent from the config means no endpoint. {@code port} 0 lets the system pick a free port (the daemon logs it).
 */
public record ManagementConfig(String host, int port) {
  public static final String DEFAULT_LISTEN_ADDR = "127.0.0.1:8558";

  /** {@code host:port} as written in the config ({@code [::1]:8558} for an IPv6 address). */
  public String listenAddr() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
