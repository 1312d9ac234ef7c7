package partyclaw.core.llm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.util.AtomicFiles;

/**
 * Images a Responses model generated natively (its {@code image_generation} tool): saved as
 * {@code generated/generated-<uuid>.png} in the conversation's workspace and named in the reply with
 * {@code <attachment>} tags, so the channel sends them like any attachment. Writes files: off the actor threads.
 */
final class GeneratedImages {
  private static final Logger log = LoggerFactory.getLogger(GeneratedImages.class);

  private GeneratedImages() {}

  static ChatResponse save(ChatResponse response, Path root) {
    if (response.generatedImages().isEmpty()) return response;
    StringBuilder text = new StringBuilder(response.message().content() == null ? "" : response.message().content());
    for (String image : response.generatedImages()) {
      String note;
      try {
        if (root == null) throw new IOException("no workspace for this call");
        String relative = "generated/generated-" + UUID.randomUUID() + ".png";
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, Base64.getDecoder().decode(image.strip()));
        note = "<attachment>" + relative + "</attachment>";
      } catch (IOException | IllegalArgumentException e) {
        log.warn("a generated image could not be saved: {}", e.getMessage());
        note = "(A generated image could not be saved: " + e.getMessage() + ")";
      }
      if (text.length() > 0) text.append("\n\n");
      text.append(note);
    }
    ChatMessage m = response.message();
    return new ChatResponse(new ChatMessage(m.role(), text.toString(), m.toolCalls(), m.toolCallId(), m.name(),
        m.parts()), response.usage(), response.finishReason(), response.responseId());
  }
}
