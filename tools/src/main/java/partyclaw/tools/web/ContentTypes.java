package partyclaw.tools.web;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Optional;

/** What a Content-Type says about a body: HTML, other text, or bytes to keep as a file. */
final class ContentTypes {
  private ContentTypes() {}

  static String mime(String contentType) {
    if (contentType == null) return "";
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  /** The spec's rule: any Content-Type that mentions html. */
  static boolean isHtml(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html");
  }

  /** Null for an absent Content-Type: the body decides ({@link #looksBinary}). */
  static Boolean isText(String contentType) {
    String m = mime(contentType);
    if (m.isEmpty()) return null;
    return m.startsWith("text/") || isHtml(m) || m.endsWith("+json") || m.endsWith("+xml") || m.contains("json")
        || m.contains("xml") || m.contains("javascript") || m.contains("ecmascript") || m.contains("yaml")
        || m.contains("toml") || m.equals("application/x-sh") || m.equals("application/x-www-form-urlencoded")
        || m.equals("application/sql") || m.equals("application/graphql") || m.equals("message/rfc822");
  }

  /** A NUL byte in the first 8 KiB: text never has one. */
  static boolean looksBinary(byte[] body) {
    int n = Math.min(body.length, 8192);
    for (int i = 0; i < n; i++) if (body[i] == 0) return true;
    return false;
  }

  static Optional<Charset> charset(String contentType) {
    if (contentType == null) return Optional.empty();
    for (String part : contentType.split(";")) {
      String p = part.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        String name = p.substring(8).strip().replace("\"", "").replace("'", "");
        try {
          return Optional.of(Charset.forName(name));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** A file extension for a body saved under a name that has none. */
  static String extension(String contentType) {
    return switch (mime(contentType)) {
      case "application/pdf" -> ".pdf";
      case "image/png" -> ".png";
      case "image/jpeg" -> ".jpg";
      case "image/gif" -> ".gif";
      case "image/webp" -> ".webp";
      case "image/svg+xml" -> ".svg";
      case "application/zip" -> ".zip";
      case "application/gzip", "application/x-gzip" -> ".gz";
      case "audio/mpeg" -> ".mp3";
      case "audio/ogg" -> ".ogg";
      case "audio/wav", "audio/x-wav" -> ".wav";
      case "video/mp4" -> ".mp4";
      default -> ".bin";
    };
  }
}
