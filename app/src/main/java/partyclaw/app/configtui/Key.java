package partyclaw.app.configtui;

/** A key press, independent of the terminal library. */
record Key(Type type, char ch) {
  enum Type { UP, DOWN, LEFT, RIGHT, ENTER, ESC, BACKSPACE, CHAR }

  static Key of(Type type) {
    return new Key(type, '\0');
  }

  static Key ch(char c) {
    return new Key(Type.CHAR, c);
  }

  boolean is(char c) {
    return type == Type.CHAR && ch == c;
  }
}
