package partyclaw.core.workdir;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** The built-in file templates shipped as classpath resources under {@code /partyclaw/templates/}. */
final class Templates {
  static final String ROOT = "/partyclaw/templates/";

  private Templates() {}

  /** A template every build ships; its absence is a packaging error. */
  static byte[] required(String name) throws IOException {
    return optional(ROOT + name)
        .orElseThrow(() -> new IOException("built-in template " + ROOT + name + " is missing from the classpath"));
  }

  /** A resource another part of the build may or may not provide. */
  static Optional<byte[]> optional(String resource) throws IOException {
    try (InputStream in = Templates.class.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    }
  }
}
