package partyclaw.core.cron;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of one cron field before cron-utils sees it: the checks and spellings of the Rust crate that cron-utils
 * does not share (spelt-out names, {@code ?} as {@code *}), and the one-line errors the model is shown.
 */
final class CronFieldText {
  private static final Pattern WORD = Pattern.compile("[A-Za-z]+");
  private static final Pattern ZERO_STEP = Pattern.compile("/0+(?![0-9])");

  private static final Map<String, Integer> DAYS = Map.ofEntries(
      Map.entry("sun", 1), Map.entry("sunday", 1),
      Map.entry("mon", 2), Map.entry("monday", 2),
      Map.entry("tue", 3), Map.entry("tues", 3), Map.entry("tuesday", 3),
      Map.entry("wed", 4), Map.entry("wednesday", 4),
      Map.entry("thu", 5), Map.entry("thurs", 5), Map.entry("thursday", 5),
      Map.entry("fri", 6), Map.entry("friday", 6),
      Map.entry("sat", 7), Map.entry("saturday", 7));

  private static final Map<String, Integer> MONTHS = Map.ofEntries(
      Map.entry("jan", 1), Map.entry("january", 1),
      Map.entry("feb", 2), Map.entry("february", 2),
      Map.entry("mar", 3), Map.entry("march", 3),
      Map.entry("apr", 4), Map.entry("april", 4),
      Map.entry("may", 5),
      Map.entry("jun", 6), Map.entry("june", 6),
      Map.entry("jul", 7), Map.entry("july", 7),
      Map.entry("aug", 8), Map.entry("august", 8),
      Map.entry("sep", 9), Map.entry("sept", 9), Map.entry("september", 9),
      Map.entry("oct", 10), Map.entry("october", 10),
      Map.entry("nov", 11), Map.entry("november", 11),
      Map.entry("dec", 12), Map.entry("december", 12));

  static final String DAY_OF_WEEK_HINT = "day of week is 1-7 with Sunday = 1 (Monday = 2, Saturday = 7) or SUN-SAT";

  private CronFieldText() {}

  /** The field as cron-utils should read it: names as numbers, {@code ?} as {@code *}. */
  static String normalise(String name, String raw) {
    if (raw.isEmpty()) throw new IllegalArgumentException(name + " must be a non-empty string");
    if (raw.codePoints().anyMatch(Character::isWhitespace)) {
      throw invalid(name, raw, "a field must not contain whitespace; give each field separately");
    }
    boolean dayField = name.equals("cron_day_of_month") || name.equals("cron_day_of_week");
    if (raw.equals("?")) {
      if (dayField) return "*";
      throw invalid(name, raw, "? is only allowed in cron_day_of_month and cron_day_of_week");
    }
    if (ZERO_STEP.matcher(raw).find()) {
      // cron-utils would report a range that contains the 0 it refuses.
      throw invalid(name, raw, "a step (/n) must be at least 1");
    }
    Map<String, Integer> names = switch (name) {
      case "cron_day_of_week" -> DAYS;
      case "cron_month" -> MONTHS;
      default -> Map.of();
    };
    Matcher m = WORD.matcher(raw);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Integer value = names.get(m.group().toLowerCase(Locale.ROOT));
      if (value == null) throw invalid(name, raw, unknownWord(name, m.group()));
      m.appendReplacement(out, value.toString());
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String unknownWord(String name, String word) {
    return switch (name) {
      case "cron_day_of_week" -> "unknown day name " + word + " (" + DAY_OF_WEEK_HINT + ")";
      case "cron_month" -> "unknown month name " + word + " (use 1-12 or JAN-DEC)";
      default -> "letters are not allowed here (" + word + "); use numbers, *, ranges (1-5), lists (1,15) "
          + "and steps (*/10)";
    };
  }

  static IllegalArgumentException invalid(String name, String raw, String reason) {
    return new IllegalArgumentException(name + " \"" + oneLine(raw) + "\" is invalid: " + reason);
  }

  /** cron-utils' message without its generic prefix, made one line, with the day-of-week numbering for that field. */
  static String cronUtilsReason(String message) {
    String m = message == null ? "cannot be parsed" : oneLine(message);
    String prefix = "Failed to parse cron expression. ";
    if (m.startsWith(prefix)) m = m.substring(prefix.length());
    if (m.isEmpty()) return "cannot be parsed";
    return Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }

  static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }
}
