package partyclaw.channels.dingtalk;

/** {@code host:port} of {@code http_listen_addr}; IPv6 hosts in brackets ({@code [::1]:35888}). */
record ListenAddress(String host, int port) {

  static ListenAddress parse(String value) {
    String v = value == null ? "" : value.strip();
    int colon = v.lastIndexOf(':');
    if (colon <= 0 || colon == v.length() - 1) {
      throw new IllegalArgumentException("'" + v + "' is not host:port (e.g. 127.0.0.1:35888)");
    }
    String host = v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' has no numeric port");
    }
    if (port < 0 || port > 65535) throw new IllegalArgumentException("'" + v + "' has a port outside 0..65535");
    return new ListenAddress(host, port);
  }
}
