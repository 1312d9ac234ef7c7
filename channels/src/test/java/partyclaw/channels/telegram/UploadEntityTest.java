package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.model.RequestEntity;
import akka.stream.Materializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadEntityTest {
  static final ActorTestKit kit = ActorTestKit.create();
  @TempDir Path dir;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void theFileIsStreamedFromDiskNotReadIntoMemory() throws Exception {
    Path file = dir.resolve("big.bin");
    byte[] content = new byte[3 * 1024 * 1024];
    for (int i = 0; i < content.length; i++) content[i] = (byte) ('a' + i % 26);
    Files.write(file, content);
    RequestEntity entity = UploadEntity.of(Map.of("chat_id", "5"), "document", file);
    assertFalse(entity.isStrict(), "a streamed entity, not bytes in memory");
    String body = entity.toStrict(10_000, Materializer.matFromSystem(kit.system())).toCompletableFuture()
        .get(10, TimeUnit.SECONDS).getData().utf8String();
    assertTrue(body.contains("filename=\"big.bin\""), "the part names the file");
    assertTrue(body.contains(new String(content, StandardCharsets.US_ASCII)), "the whole file is in the body");
  }

  @Test
  void aMissingFileIsAClearErrorBeforeAnythingIsSent() {
    assertThrows(NoSuchFileException.class, () -> UploadEntity.of(Map.of(), "document", dir.resolve("gone.pdf")));
  }
}
