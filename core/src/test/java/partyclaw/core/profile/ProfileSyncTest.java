package partyclaw.core.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.workdir.Workdir;

class ProfileSyncTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @TempDir Path tmp;
  Workdir w;
  Path ws;

  @BeforeEach
  void setUp() throws Exception {
    w = new Workdir(tmp.resolve("workdir"));
    ws = Files.createDirectories(tmp.resolve("ws"));
    Files.createDirectories(w.agentDir());
  }

  @Test
  void aNewerSharedFileReplacesTheWorkspaceCopy() throws Exception {
    write(ws.resolve("USER.md"), "old user", T0);
    write(w.sharedUserProfile(), "new user", T0.plusSeconds(60));
    write(ws.resolve("IDENTITY.md"), "old identity", T0);
    write(w.sharedIdentity(), "new identity", T0.plusSeconds(1));
    ProfileSync.refresh(w, ws);
    assertEquals("new user", Files.readString(ws.resolve("USER.md")));
    assertEquals("new identity", Files.readString(ws.resolve("IDENTITY.md")));
  }

  @Test
  void aNewerWorkspaceEditIsKept() throws Exception {
    write(w.sharedUserProfile(), "shared user", T0);
    write(ws.resolve("USER.md"), "unsaved edit", T0.plusSeconds(60));
    write(w.sharedIdentity(), "shared identity", T0);
    write(ws.resolve("IDENTITY.md"), "same age", T0);
    ProfileSync.refresh(w, ws);
    assertEquals("unsaved edit", Files.readString(ws.resolve("USER.md")));
    assertEquals("same age", Files.readString(ws.resolve("IDENTITY.md")));
  }

  @Test
  void aMissingWorkspaceCopyIsCopiedAndAMissingSharedFileChangesNothing() throws Exception {
    write(w.sharedIdentity(), "shared identity", T0);
    write(ws.resolve("USER.md"), "workspace only", T0);
    ProfileSync.refresh(w, ws);
    assertEquals("shared identity", Files.readString(ws.resolve("IDENTITY.md")));
    assertEquals("workspace only", Files.readString(ws.resolve("USER.md")));
  }

  @Test
  void aLinkInPlaceOfTheWorkspaceCopyIsReplacedNotWrittenThrough() throws Exception {
    Path outside = tmp.resolve("outside.txt");
    write(outside, "outside", T0);
    Files.createSymbolicLink(ws.resolve("USER.md"), outside);
    Files.getFileAttributeView(ws.resolve("USER.md"), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(FileTime.from(T0), null, null);
    write(w.sharedUserProfile(), "shared user", T0.plusSeconds(60));
    ProfileSync.refresh(w, ws);
    assertEquals("outside", Files.readString(outside));
    assertEquals("shared user", Files.readString(ws.resolve("USER.md")));
    assertFalse(Files.isSymbolicLink(ws.resolve("USER.md")));
  }

  private static void write(Path p, String text, Instant mtime) throws Exception {
    Files.writeString(p, text);
    Files.setLastModifiedTime(p, FileTime.from(mtime));
  }
}
