package partyclaw.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The journal's schema on a fresh PostgreSQL database: created by nodes starting at the same moment, and again. */
class JournalSchemaIT {
  static final String ADMIN_URL = System.getenv().getOrDefault("PARTYCLAW_TEST_PG_URL",
      "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
  String database;
  String url;

  @BeforeEach
  void createDatabase() throws Exception {
    database = "partyclaw_schema_it_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + database);
    }
    url = ADMIN_URL.replaceFirst("^(jdbc:postgresql://[^/?]+)/[^?]*", "$1/" + database);
  }

  @AfterEach
  void dropDatabase() throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  @Test
  void eightNodesStartingAtOnceAndRestartingCreateTheTablesOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 2; round++) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> starts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          starts.add(pool.submit(() -> {
            go.await();
            JournalSchema.ensure(url);
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : starts) f.get(); // any failure of any "node" fails the test
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of("event_journal", "event_tag", "snapshot"), tables());
    assertEquals(List.of("event_journal_ordering_idx", "event_journal_pkey", "event_tag_pkey", "snapshot_pkey"),
        indexes());
  }

  @Test
  void anUnreachableDatabaseIsDescribedWithoutTheUrl() {
    String secretUrl = "jdbc:postgresql://127.0.0.1:1/nowhere?user=u&password=pw-Secret-123";
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
        () -> JournalSchema.ensure(secretUrl));
    String described = JournalSchema.describe(e);
    assertEquals(false, described.contains("pw-Secret-123"), described);
    assertEquals(true, described.endsWith("[SQL state 08001]"), described);
  }

  private List<String> tables() throws Exception {
    return strings("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  }

  private List<String> indexes() throws Exception {
    return strings("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname");
  }

  private List<String> strings(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }
}
