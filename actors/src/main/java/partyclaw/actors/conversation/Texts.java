package partyclaw.actors.conversation;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The user-facing texts of slash commands and turn notices in the conversation's language
 * ({@code main_agent.language}: Chinese when it starts with {@code zh}, as the reference's texts are, else
 * English), from {@code Texts.properties} / {@code Texts_zh.properties}.
 */
final class Texts {
  private static final String BUNDLE = "partyclaw.actors.conversation.Texts";
  private static final ResourceBundle.Control EXACT =
      ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

  private final ResourceBundle bundle;
  private final Locale locale;

  private Texts(Locale locale) {
    this.locale = locale;
    this.bundle = ResourceBundle.getBundle(BUNDLE, locale, EXACT);
  }

  private static final Texts ENGLISH = new Texts(Locale.ROOT);
  private static final Texts CHINESE = new Texts(Locale.CHINESE);

  static Texts of(String language) {
    return language != null && language.strip().toLowerCase(Locale.ROOT).startsWith("zh") ? CHINESE : ENGLISH;
  }

  /** The text for {@code key} with its arguments (numbers are formatted without grouping by the caller). */
  String get(String key, Object... args) {
    String pattern = bundle.getString(key);
    return args.length == 0 ? pattern.replace("''", "'") : new MessageFormat(pattern, locale).format(args);
  }
}
