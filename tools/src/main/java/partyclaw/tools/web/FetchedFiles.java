package partyclaw.tools.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import partyclaw.core.util.AtomicFiles;

/** Where web_fetch keeps a body that is not text: {@code <workspace>/web_fetch/<name from the URL>}, never overwriting. */
final class FetchedFiles {
  static final String DIR = "web_fetch";

  private FetchedFiles() {}

  static Path save(Path workspaceRoot, URI from, String contentType, byte[] body) throws IOException {
    Path dir = workspaceRoot.resolve(DIR);
    Files.createDirectories(dir);
    String name = nameFor(from, contentType);
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    Path target = dir.resolve(name);
    for (int i = 2; Files.exists(target); i++) target = dir.resolve(stem + "-" + i + ext);
    AtomicFiles.write(target, body);
    return target;
  }

  /** The URL's last path segment made safe as a file name, with an extension from the type when it has none. */
  static String nameFor(URI from, String contentType) {
    String path = from.getRawPath() == null ? "" : from.getRawPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    String decoded;
    try {
      decoded = URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decoded = last;
    }
    String safe = decoded.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.]+", "");
    if (safe.length() > 100) safe = safe.substring(safe.length() - 100);
    if (safe.isEmpty()) safe = "download";
    if (safe.indexOf('.') < 0) safe += ContentTypes.extension(contentType);
    return safe;
  }
}
