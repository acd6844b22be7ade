package kz.baga.service;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import kz.baga.service.audit.AuditWriter;
import kz.baga.service.db.EmbeddedDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * What a durable audit commit costs: records per second of the writer (one transaction per batch, as the group
 * commit does) on zonky's default server (fsync off, synchronous_commit off) against the hardened one. Runs only
 * with {@code -Dbaga.bench.audit=true}; prints a Markdown table.
 */
class AuditCommitBench {

    private static final byte[] KEY = "bench-key-0123456789abcdef-0123456789abcdef".getBytes();
    private static final long MILLIS = Long.getLong("baga.bench.audit.millis", 5000);

    private interface Connect {
        Connection get() throws SQLException;
    }

    @Test
    void durableAgainstZonkyDefaults() throws Exception {
        assumeTrue(Boolean.getBoolean("baga.bench.audit"), "-Dbaga.bench.audit=true runs it");
        Path dir = Files.createTempDirectory("baga-bench");
        StringBuilder out = new StringBuilder("| server | batch | records/s | ms per commit |\n|---|---|---|---|\n");
        try {
            try (EmbeddedPostgres loose = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("loose"))
                    .setCleanDataDirectory(false).start()) {
                String url = loose.getJdbcUrl("postgres", "postgres");
                Flyway.configure().dataSource(url, "postgres", "postgres")
                        .placeholders(Map.of("service_role", "postgres")).load().migrate();
                run(out, "zonky defaults (fsync off, synchronous_commit off)", () ->
                        DriverManager.getConnection(url, "postgres", "postgres"), false);
            }
            try (EmbeddedDatabase.Cluster db = EmbeddedDatabase.open(dir.resolve("durable"), 0)) {
                TestDatabase.migrate(db);
                run(out, "Baga embedded (fsync on, synchronous_commit on)", db::service, true);
            }
        } finally {
            TestDatabase.delete(dir);
        }
        System.out.println(out);
    }

    private static void run(StringBuilder out, String server, Connect connect, boolean durable) throws Exception {
        for (int batch : new int[]{1, 8, 32}) {
            try (Connection c = connect.get()) {
                c.setAutoCommit(false);
                long records = 0;
                long commits = 0;
                long warmEnd = System.nanoTime() + 1_000_000_000L;
                long start = 0;
                long end = 0;
                while (true) {
                    List<AuditWriter.Draft> drafts = new ArrayList<>();
                    for (int i = 0; i < batch; i++) {
                        drafts.add(new AuditWriter.Draft("parent.premium", "parent", "student.grades",
                                "GET /api/v1/students/0123456789abcdef0123456789abcdef/grades",
                                "0123456789abcdef0123456789abcdef", "ALM-0001", null, "127.0.0.1", "ALLOWED", null));
                    }
                    AuditWriter.appendAll(c, drafts, KEY);
                    if (!durable) {
                        try (Statement s = c.createStatement()) {
                            s.execute("SET LOCAL synchronous_commit TO off"); // zonky's default
                        }
                    }
                    c.commit();
                    long now = System.nanoTime();
                    if (start == 0 && now >= warmEnd) {
                        start = now;
                    } else if (start != 0) {
                        records += batch;
                        commits++;
                        end = now;
                        if (now - start >= MILLIS * 1_000_000L) {
                            break;
                        }
                    }
                }
                double secs = (end - start) / 1e9;
                out.append(String.format("| %s | %d | %.0f | %.2f |%n", server, batch, records / secs,
                        secs * 1000 / commits));
            }
        }
    }
}
