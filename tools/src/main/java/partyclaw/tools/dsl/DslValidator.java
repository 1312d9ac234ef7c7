package partyclaw.tools.dsl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import partyclaw.tools.dsl.DslLexer.Kind;
import partyclaw.tools.dsl.DslLexer.Token;

/**
 * Decides, before anything runs, whether a script stays inside the DSL's Python subset (tools.md §3.3): a
 * recursive-descent parser of exactly what is allowed, so anything it does not know is refused rather than let
 * through. Allowed: assignments (plain, augmented, tuple and subscript targets), expression statements, {@code if}
 * / {@code elif} / {@code else}, {@code pass}, {@code assert}; expressions with calls, attributes, subscripts and
 * slices, literals (f-strings included), operators, conditional expressions and {@code await}. Refused with the
 * reason: loops, comprehensions and generator expressions, {@code import}, {@code def} / {@code class} /
 * {@code lambda}, {@code with}, {@code try}, {@code return} / {@code yield}, {@code global} / {@code nonlocal} /
 * {@code del}, {@code raise}, {@code async}, decorators, the walrus operator, names and attributes starting with
 * {@code _}, builtins outside the allowed list, and literal calls of the {@code dsl_*} tools.
 */
public final class DslValidator {
  /** The builtins a script may use (tools.md §3.3). */
  public static final Set<String> BUILTINS = Set.of("abs", "all", "any", "bool", "dict", "enumerate", "float", "int",
      "len", "list", "max", "min", "range", "round", "sorted", "str", "sum", "tuple", "type", "zip");
  /** The DSL's own globals. */
  public static final Set<String> GLOBALS = Set.of("emit", "quit", "LLM", "tool", "True", "False", "None");

  private static final Map<String, String> REFUSED_KEYWORDS = Map.ofEntries(
      Map.entry("for", "loops are not allowed"), Map.entry("while", "loops are not allowed"),
      Map.entry("import", "import is not allowed"), Map.entry("from", "import is not allowed"),
      Map.entry("def", "function definitions (def) are not allowed"),
      Map.entry("class", "class definitions are not allowed"), Map.entry("lambda", "lambda is not allowed"),
      Map.entry("with", "with blocks are not allowed"), Map.entry("try", "try blocks are not allowed"),
      Map.entry("except", "try blocks are not allowed"), Map.entry("finally", "try blocks are not allowed"),
      Map.entry("return", "return is not allowed (use quit(value))"), Map.entry("yield", "yield is not allowed"),
      Map.entry("global", "global is not allowed"), Map.entry("nonlocal", "nonlocal is not allowed"),
      Map.entry("del", "del is not allowed"), Map.entry("raise", "raise is not allowed"),
      Map.entry("async", "async definitions are not allowed (use top-level await)"),
      Map.entry("break", "break is not allowed (there are no loops)"),
      Map.entry("continue", "continue is not allowed (there are no loops)"));
  private static final Set<String> KEYWORDS = Set.of("if", "elif", "else", "pass", "assert", "and", "or", "not", "in",
      "is", "await", "None", "True", "False", "for", "while", "import", "from", "def", "class", "lambda", "with",
      "try", "except", "finally", "return", "yield", "global", "nonlocal", "del", "raise", "async", "break",
      "continue", "as");
  private static final Set<String> AUG_ASSIGN = Set.of("+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^=",
      ">>=", "<<=", "@=");
  private static final Set<String> COMPARISON = Set.of("<", ">", "==", "!=", "<=", ">=");

  private final List<Token> tokens;
  private int pos;
  /** Names the script assigns; together with the globals and builtins, the only names it may read. */
  private final Set<String> assigned;
  private final List<NameUse> reads = new ArrayList<>();

  private record NameUse(String name, int line) {}

  private DslValidator(List<Token> tokens, Set<String> assigned) {
    this.tokens = tokens;
    this.assigned = assigned;
  }

  /** Throws with the first reason the script is refused; returns normally if it may run. */
  public static void validate(String code) throws DslSyntaxError {
    DslValidator v = new DslValidator(DslLexer.tokenize(code), new HashSet<>());
    v.file();
    for (NameUse use : v.reads) {
      if (!BUILTINS.contains(use.name()) && !GLOBALS.contains(use.name()) && !v.assigned.contains(use.name())) {
        throw new DslSyntaxError(use.line(), "name '" + use.name() + "' is not available in the DSL (allowed builtins: "
            + String.join(", ", BUILTINS.stream().sorted().toList()) + "; globals: emit, quit, LLM, tool)");
      }
    }
  }

  /** The reason {@code code} is refused, or null when it may run. */
  public static String problem(String code) {
    try {
      validate(code);
      return null;
    } catch (DslSyntaxError e) {
      return e.getMessage();
    }
  }

  // ---- statements

  private void file() throws DslSyntaxError {
    while (peek().kind() == Kind.NEWLINE) next();
    while (peek().kind() != Kind.END) statement();
  }

  private void statement() throws DslSyntaxError {
    Token t = peek();
    if (t.is("if")) {
      ifStatement();
    } else if (t.kind() == Kind.OP && t.text().equals("@")) {
      throw new DslSyntaxError(t.line(), "decorators are not allowed");
    } else if (t.kind() == Kind.INDENT) {
      throw new DslSyntaxError(t.line(), "unexpected indent");
    } else {
      simpleStatements();
    }
  }

  private void ifStatement() throws DslSyntaxError {
    next(); // if / elif
    test();
    expect(":");
    suite();
    if (peek().is("elif")) {
      ifStatement();
    } else if (peek().is("else")) {
      next();
      expect(":");
      suite();
    }
  }

  private void suite() throws DslSyntaxError {
    if (peek().kind() != Kind.NEWLINE) {
      simpleStatements();
      return;
    }
    next();
    Token indent = next();
    if (indent.kind() != Kind.INDENT) throw new DslSyntaxError(indent.line(), "expected an indented block");
    while (peek().kind() != Kind.DEDENT && peek().kind() != Kind.END) statement();
    if (peek().kind() == Kind.DEDENT) next();
  }

  private void simpleStatements() throws DslSyntaxError {
    smallStatement();
    while (peek().is(";")) {
      next();
      if (peek().kind() == Kind.NEWLINE) break;
      smallStatement();
    }
    Token end = next();
    if (end.kind() != Kind.NEWLINE && end.kind() != Kind.END) {
      throw new DslSyntaxError(end.line(), "unexpected " + end + " (one statement per line)");
    }
  }

  private void smallStatement() throws DslSyntaxError {
    Token t = peek();
    if (t.kind() == Kind.NAME && REFUSED_KEYWORDS.containsKey(t.text())) {
      throw new DslSyntaxError(t.line(), REFUSED_KEYWORDS.get(t.text()));
    }
    if (t.is("pass")) {
      next();
      return;
    }
    if (t.is("elif") || t.is("else")) throw new DslSyntaxError(t.line(), "'" + t.text() + "' without a matching if");
    if (t.is("assert")) {
      next();
      test();
      if (peek().is(",")) {
        next();
        test();
      }
      return;
    }
    int start = pos;
    List<NameUse> before = new ArrayList<>(reads);
    testList();
    Token op = peek();
    if (op.is("=")) {
      List<Integer> targets = new ArrayList<>(List.of(start));
      while (peek().is("=")) {
        next();
        targets.add(pos);
        testList();
      }
      // Every part but the last is a target: the names it binds count as assigned, not as reads.
      for (int i = 0; i < targets.size() - 1; i++) target(targets.get(i), before);
    } else if (op.kind() == Kind.OP && AUG_ASSIGN.contains(op.text())) {
      next();
      testList();
    } else if (op.is(":")) {
      throw new DslSyntaxError(op.line(), "annotations are not allowed");
    } else if (op.is(":=")) {
      throw new DslSyntaxError(op.line(), "the walrus operator := is not allowed");
    }
  }

  /**
   * Checks an assignment target starting at token {@code from}: a name, a tuple or list of targets, a subscript or
   * an attribute of a readable value. Plain names it binds are moved from the reads to the assigned names.
   */
  private void target(int from, List<NameUse> readsBefore) throws DslSyntaxError {
    int save = pos;
    pos = from;
    Token first = peek();
    int end = scanTargetEnd();
    // Plain: names in (nested) tuples or lists, maybe starred. Anything else must be a subscript or attribute.
    boolean plain = true;
    for (int i = from; i < end; i++) {
      Token t = tokens.get(i);
      Token after = i + 1 < end ? tokens.get(i + 1) : null;
      boolean structural = t.kind() == Kind.OP && Set.of(",", "(", ")", "[", "]", "*").contains(t.text());
      if (!(t.kind() == Kind.NAME || structural)
          || (t.kind() == Kind.NAME && after != null && (after.is("[") || after.is("(") || after.is(".")))
          || (t.is(")") && after != null && (after.is("[") || after.is("(") || after.is(".")))
          || (t.is("]") && after != null && (after.is("[") || after.is("(") || after.is(".")))) {
        plain = false;
      }
    }
    Token last = tokens.get(Math.max(from, end - 1));
    if (!plain && !last.is("]") && !(last.kind() == Kind.NAME && end - from >= 3 && tokens.get(end - 2).is("."))) {
      throw new DslSyntaxError(first.line(), "cannot assign to this expression");
    }
    if (plain) {
      for (int i = from; i < end; i++) {
        Token t = tokens.get(i);
        if (t.kind() == Kind.NAME) {
          if (GLOBALS.contains(t.text()) || BUILTINS.contains(t.text()) || KEYWORDS.contains(t.text())) {
            throw new DslSyntaxError(t.line(), "cannot assign to '" + t.text() + "'");
          }
          assigned.add(t.text());
          reads.removeIf(r -> r.name().equals(t.text()) && r.line() == t.line() && !readsBefore.contains(r));
        }
      }
    }
    pos = save;
  }

  private int scanTargetEnd() {
    int depth = 0;
    int i = pos;
    for (; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Kind.OP && (t.text().equals("(") || t.text().equals("[") || t.text().equals("{"))) depth++;
      if (t.kind() == Kind.OP && (t.text().equals(")") || t.text().equals("]") || t.text().equals("}"))) depth--;
      if (depth == 0 && (t.is("=") || t.kind() == Kind.NEWLINE || t.kind() == Kind.END)) break;
    }
    return i;
  }

  // ---- expressions

  private void testList() throws DslSyntaxError {
    starOrTest();
    while (peek().is(",")) {
      next();
      if (endsList()) break;
      starOrTest();
    }
  }

  private boolean endsList() {
    Token t = peek();
    return t.kind() == Kind.NEWLINE || t.kind() == Kind.END || t.is("=") || t.is(")") || t.is("]") || t.is("}")
        || t.is(";") || t.is(":") || (t.kind() == Kind.OP && AUG_ASSIGN.contains(t.text()));
  }

  private void starOrTest() throws DslSyntaxError {
    if (peek().is("*")) next();
    test();
  }

  private void test() throws DslSyntaxError {
    Token t = peek();
    if (t.is("lambda")) throw new DslSyntaxError(t.line(), "lambda is not allowed");
    if (t.is("yield")) throw new DslSyntaxError(t.line(), "yield is not allowed");
    orTest();
    if (peek().is("if")) {
      next();
      orTest();
      expect("else");
      test();
    }
    if (peek().is(":=")) throw new DslSyntaxError(peek().line(), "the walrus operator := is not allowed");
    if (peek().is("for") || peek().is("async")) {
      throw new DslSyntaxError(peek().line(), "comprehensions and generator expressions are not allowed");
    }
  }

  private void orTest() throws DslSyntaxError {
    andTest();
    while (peek().is("or")) {
      next();
      andTest();
    }
  }

  private void andTest() throws DslSyntaxError {
    notTest();
    while (peek().is("and")) {
      next();
      notTest();
    }
  }

  private void notTest() throws DslSyntaxError {
    if (peek().is("not")) {
      next();
      notTest();
    } else {
      comparison();
    }
  }

  private void comparison() throws DslSyntaxError {
    binary(0);
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.OP && COMPARISON.contains(t.text()) || t.is("in")) {
        next();
      } else if (t.is("not") && peekAt(1).is("in")) {
        next();
        next();
      } else if (t.is("is")) {
        next();
        if (peek().is("not")) next();
      } else {
        return;
      }
      binary(0);
    }
  }

  private static final List<Set<String>> BINARY_LEVELS = List.of(Set.of("|"), Set.of("^"), Set.of("&"),
      Set.of("<<", ">>"), Set.of("+", "-"), Set.of("*", "/", "//", "%", "@"));

  private void binary(int level) throws DslSyntaxError {
    if (level == BINARY_LEVELS.size()) {
      factor();
      return;
    }
    binary(level + 1);
    while (peek().kind() == Kind.OP && BINARY_LEVELS.get(level).contains(peek().text())) {
      next();
      binary(level + 1);
    }
  }

  private void factor() throws DslSyntaxError {
    Token t = peek();
    if (t.kind() == Kind.OP && (t.text().equals("+") || t.text().equals("-") || t.text().equals("~"))) {
      next();
      factor();
      return;
    }
    power();
  }

  private void power() throws DslSyntaxError {
    if (peek().is("await")) next();
    primary();
    if (peek().is("**")) {
      next();
      factor();
    }
  }

  private void primary() throws DslSyntaxError {
    atom();
    while (true) {
      Token t = peek();
      if (t.is("(")) {
        next();
        arguments();
        expect(")");
      } else if (t.is("[")) {
        next();
        subscripts();
        expect("]");
      } else if (t.is(".")) {
        next();
        Token name = next();
        if (name.kind() != Kind.NAME) throw new DslSyntaxError(name.line(), "expected an attribute name after '.'");
        if (name.text().startsWith("_")) {
          throw new DslSyntaxError(name.line(), "attributes starting with '_' are not allowed ('" + name.text() + "')");
        }
      } else {
        return;
      }
    }
  }

  private void arguments() throws DslSyntaxError {
    int startPos = pos;
    while (!peek().is(")")) {
      Token t = peek();
      if (t.is("*") || t.is("**")) {
        next();
        test();
      } else if (t.kind() == Kind.NAME && peekAt(1).is("=") && !KEYWORDS.contains(t.text())) {
        if (t.text().startsWith("_")) {
          throw new DslSyntaxError(t.line(), "names starting with '_' are not allowed ('" + t.text() + "')");
        }
        next();
        next();
        test();
      } else {
        test();
      }
      if (!peek().is(",")) break;
      next();
    }
    checkDslToolCall(startPos);
  }

  /** {@code tool({"name": "dsl_..."})} with a literal name: refused before running rather than at the call. */
  private void checkDslToolCall(int argsStart) throws DslSyntaxError {
    if (argsStart < 2) return;
    Token callee = tokens.get(argsStart - 2);
    if (callee.kind() != Kind.NAME || !callee.text().equals("tool")) return;
    for (int i = argsStart; i + 2 < pos; i++) {
      Token k = tokens.get(i);
      Token colon = tokens.get(i + 1);
      Token v = tokens.get(i + 2);
      if (k.kind() == Kind.STRING && k.text().equals("name") && colon.is(":") && v.kind() == Kind.STRING
          && v.text().toLowerCase(Locale.ROOT).startsWith("dsl_")) {
        throw new DslSyntaxError(v.line(), "the dsl_* tools cannot be called from DSL code");
      }
    }
  }

  private void subscripts() throws DslSyntaxError {
    subscript();
    while (peek().is(",")) {
      next();
      if (peek().is("]")) return;
      subscript();
    }
  }

  private void subscript() throws DslSyntaxError {
    if (!peek().is(":")) test();
    if (!peek().is(":")) return;
    next();
    if (!peek().is(":") && !peek().is("]") && !peek().is(",")) test();
    if (peek().is(":")) {
      next();
      if (!peek().is("]") && !peek().is(",")) test();
    }
  }

  private void atom() throws DslSyntaxError {
    Token t = next();
    switch (t.kind()) {
      case NUMBER, STRING -> {
        while (peek().kind() == Kind.STRING || peek().kind() == Kind.FSTRING) fString(next());
      }
      case FSTRING -> {
        fString(t);
        while (peek().kind() == Kind.STRING || peek().kind() == Kind.FSTRING) fString(next());
      }
      case NAME -> name(t);
      case OP -> {
        switch (t.text()) {
          case "(" -> {
            if (!peek().is(")")) {
              testList();
            }
            expect(")");
          }
          case "[" -> {
            if (!peek().is("]")) testList();
            expect("]");
          }
          case "{" -> dictOrSet();
          case "..." -> { }
          default -> throw new DslSyntaxError(t.line(), "unexpected " + t);
        }
      }
      default -> throw new DslSyntaxError(t.line(), "unexpected " + t);
    }
  }

  private void name(Token t) throws DslSyntaxError {
    String n = t.text();
    if (REFUSED_KEYWORDS.containsKey(n)) throw new DslSyntaxError(t.line(), REFUSED_KEYWORDS.get(n));
    if (n.equals("None") || n.equals("True") || n.equals("False")) return;
    if (KEYWORDS.contains(n)) throw new DslSyntaxError(t.line(), "unexpected '" + n + "'");
    if (n.startsWith("_")) {
      throw new DslSyntaxError(t.line(), "names starting with '_' are not allowed ('" + n + "')");
    }
    reads.add(new NameUse(n, t.line()));
  }

  private void dictOrSet() throws DslSyntaxError {
    while (!peek().is("}")) {
      if (peek().is("**")) {
        next();
        binary(0);
      } else {
        test();
        if (peek().is(":")) {
          next();
          test();
        }
      }
      if (!peek().is(",")) break;
      next();
    }
    expect("}");
  }

  /** Each replacement field of an f-string is an expression of its own, held to the same rules. */
  private void fString(Token t) throws DslSyntaxError {
    if (t.kind() != Kind.FSTRING) return;
    for (String part : t.fParts()) {
      List<Token> inner = DslLexer.tokenize("(" + part + ")\n");
      List<Token> shifted = new ArrayList<>();
      for (Token x : inner) shifted.add(new Token(x.kind(), x.text(), t.line(), x.fParts()));
      DslValidator sub = new DslValidator(shifted, assigned);
      sub.test();
      if (sub.peek().kind() != Kind.NEWLINE) {
        throw new DslSyntaxError(t.line(), "f-string: invalid expression '" + part + "'");
      }
      reads.addAll(sub.reads);
    }
  }

  // ---- tokens

  private Token peek() {
    return tokens.get(Math.min(pos, tokens.size() - 1));
  }

  private Token peekAt(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = peek();
    if (pos < tokens.size()) pos++;
    return t;
  }

  private void expect(String op) throws DslSyntaxError {
    Token t = next();
    if (!t.is(op)) throw new DslSyntaxError(t.line(), "expected '" + op + "' but found " + t);
  }
}
