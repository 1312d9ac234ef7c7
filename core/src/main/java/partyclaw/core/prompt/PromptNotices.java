package partyclaw.core.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one-shot notices that tell the model about prompt components changed since it was last told
 * (runtime.md §4.5): the system prompt itself stays as it is until the next compaction or rebuild, so the
 * model learns the new identity, user meta or skill list from a message after the user's.
 */
public final class PromptNotices {
  static final String PROMPT_UPDATES = "[Runtime Prompt Updates]";
  static final String SKILL_UPDATES = "[Runtime Skill Updates]";
  static final String NOW_EMPTY = "(now empty)";
  static final String NO_SKILLS = "(no skills are installed now)";

  private PromptNotices() {}

  /** The values the model knows (or should know); null is the same as "". */
  public record Components(String identity, String userMeta, String skillsMetadata) {
    public static final Components EMPTY = new Components("", "", "");

    public Components {
      identity = Objects.requireNonNullElse(identity, "");
      userMeta = Objects.requireNonNullElse(userMeta, "");
      skillsMetadata = Objects.requireNonNullElse(skillsMetadata, "");
    }
  }

  /**
   * The notice text for what differs between {@code notified} (what the model was last shown) and
   * {@code current}, or empty when nothing does. Layout, sections separated by a blank line:
   * <pre>
   * [Runtime Prompt Updates]
   * The shared profile changed; these values replace the ones in your system prompt.
   * Identity:
   * &lt;new identity, or (now empty)&gt;
   * User meta:
   * &lt;new user meta, or (now empty)&gt;
   *
   * [Runtime Skill Updates]
   * The installed skills changed; this list replaces the one in your system prompt.
   * &lt;new skills metadata block, or (no skills are installed now)&gt;
   * </pre>
   * Only changed components are listed.
   */
  public static Optional<String> notices(Components notified, Components current) {
    List<String> sections = new ArrayList<>(2);
    boolean identity = !notified.identity().equals(current.identity());
    boolean userMeta = !notified.userMeta().equals(current.userMeta());
    if (identity || userMeta) {
      StringBuilder sb = new StringBuilder(PROMPT_UPDATES)
          .append("\nThe shared profile changed; these values replace the ones in your system prompt.");
      if (identity) sb.append("\nIdentity:\n").append(orElse(current.identity(), NOW_EMPTY));
      if (userMeta) sb.append("\nUser meta:\n").append(orElse(current.userMeta(), NOW_EMPTY));
      sections.add(sb.toString());
    }
    if (!notified.skillsMetadata().equals(current.skillsMetadata())) {
      sections.add(SKILL_UPDATES + "\nThe installed skills changed; this list replaces the one in your system prompt.\n"
          + orElse(current.skillsMetadata(), NO_SKILLS));
    }
    return sections.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", sections));
  }

  private static String orElse(String value, String empty) {
    return value.isBlank() ? empty : value.strip();
  }
}
