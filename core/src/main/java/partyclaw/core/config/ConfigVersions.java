package partyclaw.core.config;

import java.util.List;
import java.util.stream.IntStream;

/** The config versions this loader accepts ({@code "0.1"} … {@code "0.21"}, matched exactly) and their order. */
final class ConfigVersions {
  static final String LATEST = "0.21";
  static final String LEGACY = "0.1";
  static final List<String> SUPPORTED = IntStream.rangeClosed(1, 21).mapToObj(i -> "0." + i).toList();

  private ConfigVersions() {}

  static boolean supported(String version) {
    return SUPPORTED.contains(version);
  }

  /** Whether {@code version} (a supported one) is {@code min} or newer. */
  static boolean atLeast(String version, String min) {
    return SUPPORTED.indexOf(version) >= SUPPORTED.indexOf(min);
  }

  static String supportedRange() {
    return "supported versions are \"0.1\" (or no \"version\" key) through \"" + LATEST
        + "\", matched exactly; the latest is \"" + LATEST + "\"";
  }
}
