package partyclaw.core.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a model can do. Declaration order is the order capabilities are listed in after normalization. */
public enum Capability {
  CHAT("chat"),
  WEB_SEARCH("web_search"),
  IMAGE_IN("image_in"),
  IMAGE_OUT("image_out"),
  PDF("pdf"),
  AUDIO_IN("audio_in");

  private final String wireName;

  Capability(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in config files, e.g. {@code image_in}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<Capability> fromWire(String name) {
    return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(Capability::wireName).toList();
  }
}
