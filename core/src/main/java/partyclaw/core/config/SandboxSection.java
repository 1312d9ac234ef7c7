package partyclaw.core.config;

import java.util.Optional;

/** Reads {@code sandbox}; the legacy mode {@code "disabled"} is read as {@code subprocess}. */
final class SandboxSection {
  private SandboxSection() {}

  static SandboxConfig read(JsonFields root, LoadContext ctx) {
    Optional<JsonFields> section = root.object("sandbox");
    if (section.isEmpty()) return SandboxConfig.DEFAULT;
    JsonFields f = section.get();
    String mode = f.string("mode", SandboxConfig.SUBPROCESS);
    if (mode.equals("disabled")) mode = SandboxConfig.SUBPROCESS;
    if (!mode.equals(SandboxConfig.SUBPROCESS) && !mode.equals(SandboxConfig.BUBBLEWRAP)) {
      ctx.problems().add(f.path("mode"), "unknown sandbox mode '" + mode + "'", "use \"subprocess\" or \"bubblewrap\"");
      mode = SandboxConfig.SUBPROCESS;
    }
    String binary = f.string("bubblewrap_binary", SandboxConfig.DEFAULT.bubblewrapBinary());
    if (mode.equals(SandboxConfig.BUBBLEWRAP) && binary.isBlank()) {
      ctx.problems().add(f.path("bubblewrap_binary"), "sandbox.bubblewrap_binary must not be empty",
          "name the bwrap executable (default \"bwrap\"), or use sandbox mode \"subprocess\"");
    }
    boolean docker = ctx.atLeast("0.15") && f.bool("map_docker_socket", false);
    return new SandboxConfig(mode, binary, docker);
  }
}
