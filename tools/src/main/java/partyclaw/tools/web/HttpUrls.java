package partyclaw.tools.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import partyclaw.core.tool.ToolException;

/**
 * The URLs the web and download tools accept: absolute http(s) URLs with a host. {@link #redacted} is the only
 * form of a URL that goes into a log line or an error: query strings and user info often carry keys.
 */
public final class HttpUrls {
  private HttpUrls() {}

  /** Parses a URL the model gave; the error says what is wrong without echoing the query string. */
  public static URI parse(String raw) throws ToolException {
    String s = raw == null ? "" : raw.strip();
    if (s.isEmpty()) throw new ToolException("url must not be empty");
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new ToolException("invalid url: " + e.getReason() + " at character " + (e.getIndex() + 1)
          + "; give a full http:// or https:// URL with special characters percent-encoded");
    }
    return check(uri);
  }

  /** A URL from a server (a redirect's Location): the same rules as one the model gave. */
  static URI check(URI uri) throws ToolException {
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new ToolException("invalid url: it has no scheme; give a full http:// or https:// URL");
    }
    String lower = scheme.toLowerCase(Locale.ROOT);
    if (!lower.equals("http") && !lower.equals("https")) {
      throw new ToolException("unsupported url scheme '" + scheme + "': only http and https URLs can be fetched");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new ToolException("invalid url: it has no host name");
    }
    return uri;
  }

  /** {@code scheme://host[:port]/path}: no user info, no query, no fragment. */
  public static String redacted(URI uri) {
    StringBuilder sb = new StringBuilder();
    sb.append(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() >= 0) sb.append(':').append(uri.getPort());
    String path = uri.getRawPath();
    sb.append(path == null || path.isEmpty() ? "/" : path);
    if (uri.getRawQuery() != null) sb.append("?…");
    return sb.toString();
  }

  /** Whether two URLs share scheme, host and port: credentials the model gave go to that origin only. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
        && effectivePort(a) == effectivePort(b);
  }

  private static int effectivePort(URI u) {
    if (u.getPort() >= 0) return u.getPort();
    return u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }
}
