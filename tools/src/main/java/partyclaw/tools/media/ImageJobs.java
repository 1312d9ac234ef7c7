package partyclaw.tools.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ContentPart;

/**
 * The background image questions of image_start / image_wait / image_cancel (tools.md §3.5): each runs one helper
 * call on its own thread, watched by its own signal (cancel aborts the call). Jobs are kept per conversation for
 * the life of the process; a job of another conversation is unknown to a caller.
 */
final class ImageJobs {
  static final int MAX_TOKENS = 800;
  static final String SYSTEM = "You look at the attached image and answer the question directly and concisely."
      + " Transcribe any visible text that matters accurately.";
  static final String NO_VISION = "the configured upstream model does not support multimodal image input";

  private static final AtomicInteger THREADS = new AtomicInteger();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "image-question-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  final class Job {
    final String id = "img_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final String conversationId;
    final String path;
    final String question;
    final TurnSignal signal = new TurnSignal();
    private volatile boolean running = true;
    private volatile boolean cancelled;
    private volatile String answer;
    private volatile String error;

    Job(String conversationId, String path, String question) {
      this.conversationId = conversationId;
      this.path = path;
      this.question = question;
    }

    synchronized ObjectNode snapshot() {
      ObjectNode out = Json.object();
      out.put("image_id", id).put("path", path).put("question", question).put("running", running)
          .put("completed", !running && answer != null).put("cancelled", cancelled).put("failed", error != null);
      if (answer != null) out.put("answer", answer);
      if (error != null) out.put("error", error);
      return out;
    }

    boolean running() {
      return running;
    }

    synchronized void cancel() {
      if (!running) return;
      cancelled = true;
      running = false;
      signal.cancel();
      notifyAll();
    }

    private synchronized void finish(String answer, String error) {
      if (!running) return;
      this.answer = answer;
      this.error = error;
      running = false;
      notifyAll();
    }

    /** Waits until the job ends, {@code turn} is raised, or {@code timeout} passes. */
    void await(TurnSignal turn, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (running && !turn.isInterrupted()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        synchronized (this) {
          if (running) wait(Math.max(1, Math.min(100, left / 1_000_000)));
        }
      }
    }
  }

  Job start(HelperClient client, HelperModel helper, String conversationId, String path, java.nio.file.Path file,
      String question) {
    Job job = new Job(conversationId, path, question);
    jobs.put(job.id, job);
    if (!helper.can("image_in")) {
      job.finish(null, NO_VISION);
      return job;
    }
    pool.execute(() -> {
      try {
        String answer = client.ask(helper, SYSTEM, question, java.util.List.of(ContentPart.image(file.toString())),
            MAX_TOKENS, job.signal, "image_start");
        if (answer != null) job.finish(answer, null);
      } catch (ToolException e) {
        job.finish(null, e.getMessage());
      } catch (InterruptedException e) {
        job.finish(null, "operation cancelled");
      } catch (RuntimeException e) {
        job.finish(null, "image question failed: " + e);
      }
    });
    return job;
  }

  Job get(String conversationId, String id) throws ToolException {
    Job job = jobs.get(id);
    if (job == null || !job.conversationId.equals(conversationId)) {
      throw new ToolException("unknown image_id " + id + "; use the image_id that image_start returned");
    }
    return job;
  }
}
