package partyclaw.tools.dsl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Python's tokenizer, for the DSL subset: names, numbers, strings (with prefixes, triple quotes and f-strings, whose
 * {@code {...}} parts are kept for the parser), operators, and the NEWLINE / INDENT / DEDENT layout tokens with
 * implicit line joining inside brackets and backslash continuation.
 */
final class DslLexer {
  enum Kind { NAME, NUMBER, STRING, FSTRING, OP, NEWLINE, INDENT, DEDENT, END }

  /** {@code fParts}: the expression sources inside an f-string's braces, in order (empty for other tokens). */
  record Token(Kind kind, String text, int line, List<String> fParts) {
    boolean is(String op) {
      return (kind == Kind.OP || kind == Kind.NAME) && text.equals(op);
    }

    @Override
    public String toString() {
      return switch (kind) {
        case NEWLINE -> "end of line";
        case INDENT -> "indent";
        case DEDENT -> "dedent";
        case END -> "end of code";
        default -> "'" + text + "'";
      };
    }
  }

  private static final List<String> OPERATORS = List.of("**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//",
      ">>", "<<", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/",
      "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=", "!");
  private static final Set<String> STRING_PREFIXES = Set.of("r", "u", "b", "br", "rb", "f", "fr", "rf");

  private final String src;
  private int pos;
  private int line = 1;
  private int depth;
  private final Deque<Integer> indents = new ArrayDeque<>(List.of(0));
  private final List<Token> out = new ArrayList<>();

  private DslLexer(String src) {
    this.src = src.replace("\r\n", "\n").replace('\r', '\n');
  }

  static List<Token> tokenize(String src) throws DslSyntaxError {
    return new DslLexer(src).run();
  }

  private List<Token> run() throws DslSyntaxError {
    boolean lineStart = true;
    while (pos < src.length()) {
      if (lineStart && depth == 0) {
        int col = 0;
        int p = pos;
        while (p < src.length() && (src.charAt(p) == ' ' || src.charAt(p) == '\t')) {
          col = src.charAt(p) == '\t' ? (col / 8 + 1) * 8 : col + 1;
          p++;
        }
        if (p >= src.length()) {
          pos = p;
          break;
        }
        char c = src.charAt(p);
        if (c == '\n' || c == '#') { // blank or comment-only lines do not count for indentation
          pos = p;
          skipComment();
          if (pos < src.length()) {
            pos++;
            line++;
          }
          continue;
        }
        pos = p;
        indent(col);
        lineStart = false;
      }
      char c = src.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\f') {
        pos++;
      } else if (c == '#') {
        skipComment();
      } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
        pos += 2;
        line++;
      } else if (c == '\n') {
        pos++;
        if (depth == 0) {
          add(Kind.NEWLINE, "\n");
          lineStart = true;
        }
        line++;
      } else if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
        number();
      } else if (Character.isLetter(c) || c == '_' || c > 127) {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
            || src.charAt(pos) > 127)) {
          pos++;
        }
        String word = src.substring(start, pos);
        if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'')
            && STRING_PREFIXES.contains(word.toLowerCase())) {
          string(word.toLowerCase());
        } else {
          add(Kind.NAME, word);
        }
      } else if (c == '"' || c == '\'') {
        string("");
      } else {
        operator();
      }
    }
    if (!out.isEmpty() && out.get(out.size() - 1).kind() != Kind.NEWLINE) add(Kind.NEWLINE, "\n");
    if (depth > 0) throw new DslSyntaxError(line, "unclosed bracket at the end of the code");
    while (indents.peek() > 0) {
      indents.pop();
      add(Kind.DEDENT, "");
    }
    add(Kind.END, "");
    return out;
  }

  private void indent(int col) throws DslSyntaxError {
    int current = indents.peek();
    if (col > current) {
      indents.push(col);
      add(Kind.INDENT, "");
    } else {
      while (col < indents.peek()) {
        indents.pop();
        add(Kind.DEDENT, "");
      }
      if (col != indents.peek()) throw new DslSyntaxError(line, "unindent does not match any outer indentation level");
    }
  }

  private void skipComment() {
    if (pos < src.length() && src.charAt(pos) == '#') {
      while (pos < src.length() && src.charAt(pos) != '\n') pos++;
    }
  }

  private void number() throws DslSyntaxError {
    int start = pos;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      boolean exponentSign = (c == '+' || c == '-') && pos > start
          && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E')
          && !src.substring(start, pos).toLowerCase().startsWith("0x");
      if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || exponentSign) {
        pos++;
      } else {
        break;
      }
    }
    String text = src.substring(start, pos);
    if (!text.matches("(?i)(0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+|(\\d[\\d_]*)?\\.?\\d*[\\d_]*(e[+-]?\\d[\\d_]*)?j?)")
        || text.equals(".")) {
      throw new DslSyntaxError(line, "invalid number literal '" + text + "'");
    }
    add(Kind.NUMBER, text);
  }

  private void string(String prefix) throws DslSyntaxError {
    int startLine = line;
    char q = src.charAt(pos);
    boolean triple = src.startsWith(String.valueOf(q).repeat(3), pos);
    String close = triple ? String.valueOf(q).repeat(3) : String.valueOf(q);
    pos += close.length();
    boolean raw = prefix.contains("r");
    StringBuilder body = new StringBuilder();
    while (true) {
      if (pos >= src.length()) throw new DslSyntaxError(startLine, "unterminated string literal");
      char c = src.charAt(pos);
      if (src.startsWith(close, pos)) {
        pos += close.length();
        break;
      }
      if (c == '\n') {
        if (!triple) throw new DslSyntaxError(startLine, "unterminated string literal");
        line++;
      }
      if (c == '\\' && pos + 1 < src.length()) {
        body.append(c).append(src.charAt(pos + 1));
        if (src.charAt(pos + 1) == '\n') line++;
        pos += 2;
        continue;
      }
      body.append(c);
      pos++;
    }
    if (prefix.contains("f")) {
      out.add(new Token(Kind.FSTRING, body.toString(), startLine, fParts(body.toString(), raw, startLine)));
    } else {
      out.add(new Token(Kind.STRING, body.toString(), startLine, List.of()));
    }
  }

  /** The replacement fields of an f-string body: each {@code {expr[!conv][:spec]}}, spec fields included. */
  static List<String> fParts(String body, boolean raw, int line) throws DslSyntaxError {
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '\\' && !raw) {
        i += 2;
        continue;
      }
      if (c == '{') {
        if (i + 1 < body.length() && body.charAt(i + 1) == '{') {
          i += 2;
          continue;
        }
        int j = i + 1;
        int nest = 0;
        char quote = 0;
        int exprEnd = -1;
        for (; j < body.length(); j++) {
          char d = body.charAt(j);
          if (quote != 0) {
            if (d == quote) quote = 0;
            continue;
          }
          if (d == '\'' || d == '"') {
            quote = d;
          } else if (d == '(' || d == '[' || d == '{') {
            nest++;
          } else if (d == ')' || d == ']') {
            nest--;
          } else if (d == '}') {
            if (nest == 0) break;
            nest--;
          } else if (nest == 0 && exprEnd < 0 && (d == ':' || (d == '!' && j + 1 < body.length()
              && body.charAt(j + 1) != '='))) {
            exprEnd = j;
          }
        }
        if (j >= body.length()) throw new DslSyntaxError(line, "f-string: expecting '}'");
        String expr = body.substring(i + 1, exprEnd < 0 ? j : exprEnd).strip();
        if (expr.endsWith("=") && !expr.endsWith("==")) expr = expr.substring(0, expr.length() - 1).strip();
        if (expr.isEmpty()) throw new DslSyntaxError(line, "f-string: empty expression not allowed");
        parts.add(expr);
        if (exprEnd >= 0 && body.charAt(exprEnd) == ':') parts.addAll(fParts(body.substring(exprEnd + 1, j), raw, line));
        i = j + 1;
      } else if (c == '}') {
        if (i + 1 < body.length() && body.charAt(i + 1) == '}') {
          i += 2;
          continue;
        }
        throw new DslSyntaxError(line, "f-string: single '}' is not allowed");
      } else {
        i++;
      }
    }
    return parts;
  }

  private void operator() throws DslSyntaxError {
    for (String op : OPERATORS) {
      if (src.startsWith(op, pos)) {
        pos += op.length();
        if (op.equals("(") || op.equals("[") || op.equals("{")) depth++;
        if (op.equals(")") || op.equals("]") || op.equals("}")) {
          if (depth == 0) throw new DslSyntaxError(line, "unmatched '" + op + "'");
          depth--;
        }
        add(Kind.OP, op);
        return;
      }
    }
    throw new DslSyntaxError(line, "invalid character '" + src.charAt(pos) + "'");
  }

  private void add(Kind kind, String text) {
    out.add(new Token(kind, text, line, List.of()));
  }
}
