package partyclaw.tools.download;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import partyclaw.core.tool.ToolException;
import partyclaw.core.util.SecretRedaction;
import partyclaw.tools.web.WebClient;
import partyclaw.tools.web.WebErrors;

/**
 * Streams one download into its {@code .part} file and renames it onto the destination only once every byte is
 * there, so a half file is never presented as done. A {@code .part} file left by an earlier run is continued with a
 * {@code Range} request (guarded by {@code If-Range}); a server that answers with the whole body starts it over.
 */
final class DownloadTransfer implements Runnable {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");
  private static final int ERROR_BODY_CHARS = 1000;

  private final Download d;
  private final DownloadRegistry registry;
  private final Downloads service;

  DownloadTransfer(Download d, DownloadRegistry registry, Downloads service) {
    this.d = d;
    this.registry = registry;
    this.service = service;
  }

  @Override
  public void run() {
    if (d.finished() || d.pauseRequested()) return;
    d.transferStarted();
    d.running();
    service.watch(d);
    try {
      transfer(true);
    } catch (ToolException e) {
      fail(e.getMessage());
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (d.pauseRequested()) return; // the .part file stays for the next run
      if (d.cancelRequested()) {
        cancelled();
        return;
      }
      fail(d.abortReason() != null ? d.abortReason() : WebErrors.describe(e, d.uri));
    } finally {
      d.detach();
      service.unwatch(d);
      d.transferEnded();
      Thread.interrupted(); // a late stop must not leak into the pool's next task
    }
  }

  private void transfer(boolean mayResume) throws ToolException, IOException, InterruptedException {
    long have = mayResume && Files.isRegularFile(d.part) ? Files.size(d.part) : 0;
    boolean ranged = have > 0;
    Map<String, String> headers = new LinkedHashMap<>(d.headers);
    if (ranged) {
      headers.put("Range", "bytes=" + have + "-");
      // Only the same version of the file may be continued; a weak ETag cannot vouch for the bytes.
      String etag = d.etag();
      String validator = etag != null && !etag.startsWith("W/") ? etag : d.lastModified();
      if (validator != null) headers.put("If-Range", validator);
    }
    checkStillWanted();
    WebClient.Opened o = service.web().get(d.uri, headers, service.limits().stallTimeout());
    InputStream body = o.response().body();
    d.attach(Thread.currentThread(), body);
    int status = o.status();
    d.responded(status, o.finalUri().toString(), o.header("Content-Type").orElse(null),
        o.header("ETag").orElse(null), o.header("Last-Modified").orElse(null));
    if (ranged && status == 416) {
      body.close();
      OptionalLong size = match(UNSATISFIED_RANGE, o.header("Content-Range").orElse(""), 1);
      if (size.isPresent() && size.getAsLong() == have) {
        d.receiving(have, have, true);
        complete();
        return;
      }
      Files.deleteIfExists(d.part);
      transfer(false);
      return;
    }
    if (status / 100 != 2) {
      String excerpt = excerpt(body);
      Files.deleteIfExists(d.part);
      throw new ToolException("download failed with " + status + ": " + excerpt);
    }
    boolean append = false;
    Long total = null;
    if (status == 206) {
      Matcher m = CONTENT_RANGE.matcher(o.header("Content-Range").orElse(""));
      if (!m.find() || Long.parseLong(m.group(1)) != have) {
        body.close();
        if (!ranged) throw new ToolException("the server answered with a partial response that was not asked for");
        Files.deleteIfExists(d.part);
        transfer(false);
        return;
      }
      append = ranged;
      total = m.group(3).equals("*") ? null : Long.parseLong(m.group(3));
    } else {
      long length = o.response().headers().firstValueAsLong("Content-Length").orElse(-1);
      total = length >= 0 ? length : null;
    }
    long max = service.limits().maxBytes();
    if (total != null && total > max) {
      body.close();
      Files.deleteIfExists(d.part);
      throw new ToolException("the file is " + total + " bytes, over the download limit of " + max + " bytes");
    }
    d.receiving(append ? have : 0, total, append);
    registry.changed();
    checkStillWanted();
    StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    try (InputStream in = body;
         FileChannel out = FileChannel.open(d.part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (d.bytes() + n > max) {
          throw new ToolException("the download passed the limit of " + max + " bytes and was stopped");
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) out.write(bb);
        d.progress(n);
      }
      out.force(true);
    } catch (ToolException e) {
      Files.deleteIfExists(d.part);
      throw e;
    }
    checkStillWanted();
    if (total != null && d.bytes() < total) {
      throw new IOException("the connection closed after " + d.bytes() + " of " + total + " bytes");
    }
    complete();
  }

  /** A cancel or pause that arrived between two blocking steps. */
  private void checkStillWanted() throws InterruptedException {
    if (d.cancelRequested() || d.pauseRequested()) throw new InterruptedException("stopped");
  }

  private void complete() throws ToolException, IOException {
    long size = Files.size(d.part);
    try {
      if (d.overwrite) {
        move(StandardCopyOption.REPLACE_EXISTING);
      } else {
        if (Files.exists(d.path)) throw new FileAlreadyExistsException(d.path.toString());
        move();
      }
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(d.part);
      throw new ToolException("destination already exists and overwrite=false: " + d.path);
    }
    if (d.finish(Download.Phase.COMPLETED, null, size)) registry.changed();
  }

  private void move(StandardCopyOption... extra) throws IOException {
    StandardCopyOption[] atomic = new StandardCopyOption[extra.length + 1];
    System.arraycopy(extra, 0, atomic, 0, extra.length);
    atomic[extra.length] = StandardCopyOption.ATOMIC_MOVE;
    try {
      Files.move(d.part, d.path, atomic);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(d.part, d.path, extra);
    }
  }

  private void fail(String error) {
    deletePart();
    if (d.finish(Download.Phase.FAILED, error, null)) registry.changed();
  }

  private void cancelled() {
    deletePart();
    if (d.finish(Download.Phase.CANCELLED, null, null)) registry.changed();
  }

  private void deletePart() {
    try {
      Files.deleteIfExists(d.part);
    } catch (IOException ignored) {
      // a directory that vanished or became read-only: nothing more to clean
    }
  }

  private static String excerpt(InputStream body) {
    try (InputStream in = body) {
      String text = new String(in.readNBytes(ERROR_BODY_CHARS * 4), StandardCharsets.UTF_8);
      text = SecretRedaction.redact(text.strip());
      return text.length() > ERROR_BODY_CHARS ? text.substring(0, ERROR_BODY_CHARS) + "…" : text;
    } catch (IOException e) {
      return "";
    }
  }

  private static OptionalLong match(Pattern p, String s, int group) {
    Matcher m = p.matcher(s);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(group))) : OptionalLong.empty();
  }
}
