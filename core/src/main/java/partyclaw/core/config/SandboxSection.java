package partyclaw.core.config;

import java.util.List;
import java.util.Optional;
import partyclaw.core.sandbox.SandboxLimits;

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
    boolean network = f.bool("network", true);
    SandboxLimits limits = limits(f, ctx);
    List<String> roots = f.strings("mount_roots").stream().map(String::strip).toList();
    for (int i = 0; i < roots.size(); i++) {
      if (roots.get(i).isEmpty() || !roots.get(i).startsWith("/") || roots.get(i).equals("/")) {
        ctx.problems().add(JsonPath.index(f.path("mount_roots"), i), "a mount root must be an absolute folder other than /",
            "e.g. \"/srv/shared\"");
      }
    }
    return new SandboxConfig(mode, binary, docker, network, limits, roots);
  }

  private static SandboxLimits limits(JsonFields f, LoadContext ctx) {
    Optional<JsonFields> section = f.object("limits");
    if (section.isEmpty()) return SandboxLimits.DEFAULT;
    JsonFields l = section.get();
    SandboxLimits d = SandboxLimits.DEFAULT;
    long processes = l.integer("max_processes", d.maxProcesses());
    long fileMb = l.integer("max_file_size_mb", d.maxFileSizeBytes() / (1024 * 1024));
    long cpu = l.integer("max_cpu_seconds", d.maxCpuSeconds());
    if (processes < 16 || processes > 100_000) {
      ctx.problems().add(l.path("max_processes"), "max_processes must be between 16 and 100000", "default 256");
      processes = d.maxProcesses();
    }
    if (fileMb < 1) {
      ctx.problems().add(l.path("max_file_size_mb"), "max_file_size_mb must be at least 1", "default 4096");
      fileMb = d.maxFileSizeBytes() / (1024 * 1024);
    }
    if (cpu < 1) {
      ctx.problems().add(l.path("max_cpu_seconds"), "max_cpu_seconds must be at least 1", "default 21600");
      cpu = d.maxCpuSeconds();
    }
    return new SandboxLimits((int) processes, fileMb * 1024 * 1024, cpu);
  }
}
