package partyclaw.app.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * Creates the journal's tables on first start. Every statement is idempotent, and all of them run in one
 * transaction under a PostgreSQL advisory lock: nodes starting at the same moment would otherwise race on
 * PostgreSQL's catalog ({@code CREATE TABLE IF NOT EXISTS} is not safe against a concurrent twin).
 */
public final class JournalSchema {
  /** Any fixed number; only partyclaw nodes take this lock ("pclw" in ASCII). */
  static final long LOCK_KEY = 0x70636c77L;
  private static final String RESOURCE = "partyclaw/postgres-schema.sql";

  private JournalSchema() {}

  /** Blocks for one attempt; throws with a message that never contains the URL (it may hold the password). */
  public static void ensure(String jdbcUrl) throws SQLException {
    DriverManager.setLoginTimeout(5);
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
        for (String sql : statements()) st.execute(sql);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  static List<String> statements() {
    try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar");
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
      return Arrays.stream(text.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  /** Why the database cannot be used, on one line, for the log (SQL state and the driver's reason). */
  public static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof SQLException)) t = t.getCause();
    String state = t instanceof SQLException s && s.getSQLState() != null ? " [SQL state " + s.getSQLState() + "]" : "";
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
    return msg + state;
  }
}
