package partyclaw.core.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import partyclaw.core.prompt.PromptNotices.Components;

class PromptNoticesTest {
  static final String SKILLS = "[partyclaw Skills]\n- pdf: read PDFs";
  static final Components KNOWN = new Components("I am Claw.", "name: Ada", SKILLS);
  static final String PROMPT_HEAD =
      "[Runtime Prompt Updates]\nThe shared profile changed; these values replace the ones in your system prompt.";
  static final String SKILL_HEAD =
      "[Runtime Skill Updates]\nThe installed skills changed; this list replaces the one in your system prompt.";

  @Test
  void nothingChangedGivesNoNotice() {
    assertEquals(Optional.empty(), PromptNotices.notices(KNOWN, new Components("I am Claw.", "name: Ada", SKILLS)));
    assertEquals(Optional.empty(), PromptNotices.notices(Components.EMPTY, new Components(null, null, null)));
  }

  @Test
  void identityOnly() {
    assertEquals(Optional.of(PROMPT_HEAD + "\nIdentity:\nI am Bolt."),
        PromptNotices.notices(KNOWN, new Components("I am Bolt.", "name: Ada", SKILLS)));
  }

  @Test
  void userMetaOnlyAndEmptied() {
    assertEquals(Optional.of(PROMPT_HEAD + "\nUser meta:\n(now empty)"),
        PromptNotices.notices(KNOWN, new Components("I am Claw.", "", SKILLS)));
  }

  @Test
  void identityAndUserMeta() {
    assertEquals(Optional.of(PROMPT_HEAD + "\nIdentity:\n(now empty)\nUser meta:\nname: Ada\ntimezone: UTC"),
        PromptNotices.notices(KNOWN, new Components("", "name: Ada\ntimezone: UTC", SKILLS)));
  }

  @Test
  void skillsOnly() {
    assertEquals(Optional.of(SKILL_HEAD + "\n[partyclaw Skills]\n- pdf: read PDFs\n- xlsx: spreadsheets"),
        PromptNotices.notices(KNOWN, new Components("I am Claw.", "name: Ada", SKILLS + "\n- xlsx: spreadsheets")));
    assertEquals(Optional.of(SKILL_HEAD + "\n(no skills are installed now)"),
        PromptNotices.notices(KNOWN, new Components("I am Claw.", "name: Ada", null)));
  }

  @Test
  void everythingFromNothing() {
    assertEquals(Optional.of(PROMPT_HEAD + "\nIdentity:\nI am Claw.\nUser meta:\nname: Ada\n\n" + SKILL_HEAD + "\n" + SKILLS),
        PromptNotices.notices(Components.EMPTY, KNOWN));
  }
}
