package partyclaw.channels.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceAttachmentsTest {
  @TempDir Path dir;

  @Test
  void filesInsideTheWorkspaceAreResolvedInTagOrderAndTheTagsRemoved() throws Exception {
    Path ws = Files.createDirectories(dir.resolve("ws"));
    Files.createDirectories(ws.resolve("out"));
    Files.writeString(ws.resolve("out/b.txt"), "b");
    Files.writeString(ws.resolve("a.png"), "a");
    WorkspaceAttachments.Extracted e = WorkspaceAttachments.extract(
        "see <attachment> out/b.txt </attachment> and <attachment>out/../a.png</attachment>", ws);
    assertEquals("see  and", e.text());
    assertEquals(List.of(ws.resolve("out/b.txt").toRealPath(), ws.resolve("a.png").toRealPath()), e.files());
    assertEquals(List.of(), e.notes());
  }

  @Test
  void dotDotSymlinksOutAbsolutePathsAndMissingFilesBecomeNotes() throws Exception {
    Path ws = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(dir.resolve("secret.txt"), "s");
    Files.createSymbolicLink(ws.resolve("link.txt"), dir.resolve("secret.txt"));
    Files.createSymbolicLink(ws.resolve("outdir"), dir);
    WorkspaceAttachments.Extracted e = WorkspaceAttachments.extract("<attachment>../secret.txt</attachment>"
        + "<attachment>link.txt</attachment><attachment>outdir/secret.txt</attachment>"
        + "<attachment>" + dir.resolve("secret.txt") + "</attachment><attachment>nope.txt</attachment>"
        + "<attachment> </attachment>", ws);
    assertEquals(List.of(), e.files());
    assertEquals(List.of(
        "(Attachment `../secret.txt` was not sent: it is outside the conversation workspace.)",
        "(Attachment `link.txt` was not sent: it is outside the conversation workspace.)",
        "(Attachment `outdir/secret.txt` was not sent: it is outside the conversation workspace.)",
        "(Attachment `" + dir.resolve("secret.txt") + "` was not sent: it is outside the conversation workspace.)",
        "(Attachment `nope.txt` was not sent: no such file in the workspace.)",
        "(Attachment `` was not sent: the path is empty.)"), e.notes());
  }
}
