package partyclaw.tools.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxies of the web tools (web_fetch, web_search, downloads) and of DSL LLM calls, from the daemon's environment
 * as curl and the reference's HTTP client read it: {@code HTTPS_PROXY} / {@code HTTP_PROXY} / {@code ALL_PROXY}
 * (lower-case names too, lower-case first), with {@code NO_PROXY} exceptions; loopback hosts always go direct
 * (tools.md §3.4). Only {@code http://host:port} proxies are supported (the JDK client has no SOCKS); another scheme,
 * or credentials in the proxy URL, is refused with a warning at start and the tools then connect directly.
 */
public final class EnvProxySelector extends ProxySelector {
  private static final Logger LOG = LoggerFactory.getLogger(EnvProxySelector.class);
  private final Proxy https;
  private final Proxy http;
  private final List<String> noProxy;

  private EnvProxySelector(Proxy https, Proxy http, List<String> noProxy) {
    this.https = https;
    this.http = http;
    this.noProxy = noProxy;
  }

  /** A selector for {@code env}, or empty when it names no usable proxy (connect directly, as without one). */
  public static Optional<EnvProxySelector> of(Map<String, String> env) {
    Proxy all = proxy(env, "all_proxy");
    Proxy https = Optional.ofNullable(proxy(env, "https_proxy")).orElse(all);
    Proxy http = Optional.ofNullable(proxy(env, "http_proxy")).orElse(all);
    if (https == null && http == null) return Optional.empty();
    List<String> no = new ArrayList<>();
    String raw = value(env, "no_proxy");
    if (raw != null) {
      for (String p : raw.split(",")) {
        String t = p.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) no.add(t);
      }
    }
    return Optional.of(new EnvProxySelector(https, http, List.copyOf(no)));
  }

  @Override
  public List<Proxy> select(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (direct(host)) return List.of(Proxy.NO_PROXY);
    Proxy p = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
    return List.of(p == null ? Proxy.NO_PROXY : p);
  }

  boolean direct(String host) {
    if (host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.") || host.equals("::1")
        || host.equals("[::1]") || host.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    for (String n : noProxy) {
      if (n.equals("*")) return true;
      String suffix = n.startsWith(".") ? n : "." + n;
      if (host.equals(n.startsWith(".") ? n.substring(1) : n) || host.endsWith(suffix)) return true;
    }
    return false;
  }

  @Override
  public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    // The request fails with the connect error; there is no other proxy to fall back to.
  }

  private static String value(Map<String, String> env, String lower) {
    String v = env.get(lower);
    if (v == null || v.isBlank()) v = env.get(lower.toUpperCase(Locale.ROOT));
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static Proxy proxy(Map<String, String> env, String lower) {
    String v = value(env, lower);
    if (v == null) return null;
    URI u;
    try {
      u = URI.create(v.contains("://") ? v : "http://" + v);
    } catch (IllegalArgumentException e) {
      LOG.warn("{} is not a URL; the web tools ignore it and connect directly", lower.toUpperCase(Locale.ROOT));
      return null;
    }
    if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
      LOG.warn("{} uses {}, which the web tools cannot use (only http://host:port proxies); they connect directly",
          lower.toUpperCase(Locale.ROOT), u.getScheme());
      return null;
    }
    if (u.getUserInfo() != null) {
      LOG.warn("{} carries credentials, which the web tools do not send to proxies; they connect directly",
          lower.toUpperCase(Locale.ROOT));
      return null;
    }
    return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(u.getHost(), u.getPort() > 0 ? u.getPort()
        : 80));
  }
}
