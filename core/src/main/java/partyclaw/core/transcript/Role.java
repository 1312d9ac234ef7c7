package partyclaw.core.transcript;

import com.fasterxml.jackson.annotation.JsonValue;

public enum Role {
  SYSTEM, USER, ASSISTANT, TOOL;

  @JsonValue
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
