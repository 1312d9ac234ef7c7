package partyclaw.core.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProfileTextTest {
  @Test
  void identityDropsInstructionLinesAndTrims() {
    assertEquals("I am Claw.\n\nI answer briefly.\n  # indented lines stay",
        ProfileText.identity("# persona questions\n\nI am Claw.\n# - tone?\n\nI answer briefly.\n"
            + "  # indented lines stay\n#end\n"));
  }

  @Test
  void identityOfOnlyCommentsIsEmpty() {
    assertEquals("", ProfileText.identity("# a\n#b\n\n# c\n"));
    assertEquals("", ProfileText.identity(""));
    assertEquals("", ProfileText.identity(null));
  }

  @Test
  void userMetaIsTheFrontMatterOnly() {
    assertEquals("name: Ada\ntimezone: Europe/Berlin",
        ProfileText.userMeta("\n---\nname: Ada\ntimezone: Europe/Berlin\n---\nbody text\n---\nmore\n"));
    assertEquals("name: Ada", ProfileText.userMeta("---\r\nname: Ada\r\n---\r\n"));
  }

  @Test
  void userMetaWithoutFrontMatterIsEmpty() {
    assertEquals("", ProfileText.userMeta("Just prose.\n---\nname: not front matter\n---\n"));
    assertEquals("", ProfileText.userMeta("---\nname: never closed\n"));
    assertEquals("", ProfileText.userMeta("---\n---\nbody"));
    assertEquals("", ProfileText.userMeta("# only comments\n# here\n"));
    assertEquals("", ProfileText.userMeta(null));
  }
}
