package partyclaw.channels.web;

import akka.http.javadsl.model.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The web channel's one gate (spec 2.5): the configured token, compared in constant time so its length and
 * content cannot be probed by timing. REST routes take it only as {@code Authorization: Bearer <token>};
 * {@code /api/attachment} and {@code /ws} also take {@code ?token=} (an {@code <img>} or a browser WebSocket cannot
 * set headers).
 */
final class WebAuth {
  private final byte[] token;

  WebAuth(String token) {
    if (token == null || token.isBlank()) throw new IllegalArgumentException("the web channel needs a token");
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  boolean matches(String given) {
    if (given == null) return false;
    // MessageDigest.isEqual takes time independent of where the first difference is (JDK 6u17+).
    return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  /** The bearer token of the request's Authorization header, if any. */
  static Optional<String> bearer(HttpRequest request) {
    return request.getHeader("Authorization").map(h -> h.value().strip())
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).strip());
  }

  boolean headerOk(HttpRequest request) {
    return bearer(request).map(this::matches).orElse(false);
  }

  boolean headerOrQueryOk(HttpRequest request) {
    return headerOk(request) || request.getUri().query().get("token").map(this::matches).orElse(false);
  }

  @Override
  public String toString() {
    return "WebAuth[token set]";
  }
}
