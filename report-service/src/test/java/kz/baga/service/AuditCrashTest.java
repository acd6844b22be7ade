package kz.baga.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import kz.baga.service.audit.AuditEntry;
import kz.baga.service.audit.AuditLog;
import kz.baga.service.audit.AuditWriter;
import kz.baga.service.audit.Checkpoints;
import kz.baga.service.db.EmbeddedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the embedded PostgreSQL under load, then a restart on the same data folder: every record whose commit
 * returned is there, and the chain verifies. A plain test (no Quarkus): it drives the writer the service uses
 * ({@link AuditWriter#appendAll(Connection, List, byte[])}, one transaction per batch, as the service role) against
 * a real server it starts and kills itself; a commit that returned is exactly when the service would send the
 * answers of that batch.
 */
class AuditCrashTest {

    private static final byte[] KEY = "crash-test-key-0123456789abcdef-0123456789".getBytes();
    /** -Dbaga.crash.loose=true commits with synchronous_commit off: shows the test failing. */
    private static final boolean LOOSE = Boolean.getBoolean("baga.crash.loose");

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyCommittedRecordSurvivesAKilledServer() throws Exception {
        Path dir = Files.createTempDirectory("baga-crash");
        Path data = dir.resolve("pg");
        EmbeddedDatabase.Cluster db = EmbeddedDatabase.open(data, 0);
        int port = db.port();
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            TestDatabase.migrate(db);
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> loops = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                loops.add(pool.submit(() -> {
                    int n = 0;
                    while (!stop.get()) {
                        try (Connection c = db.service()) {
                            c.setAutoCommit(false);
                            while (!stop.get()) {
                                List<AuditWriter.Draft> drafts = new ArrayList<>();
                                for (int k = 1 + (n++ % 4); k > 0; k--) {
                                    drafts.add(new AuditWriter.Draft("parent." + thread, "parent", "student.grades",
                                            "GET /api/v1/students/x/grades", "s" + n, null, null, "127.0.0.1",
                                            "ALLOWED", null));
                                }
                                List<AuditEntry> written = AuditWriter.appendAll(c, drafts, KEY);
                                if (LOOSE) {
                                    try (Statement s = c.createStatement()) {
                                        s.execute("SET LOCAL synchronous_commit TO off");
                                    }
                                }
                                c.commit();
                                // the commit returned: the service would answer these requests now
                                written.forEach(e -> acknowledged.add(e.id()));
                            }
                        } catch (SQLException e) {
                            failures.incrementAndGet();
                            sleep(20);
                        }
                    }
                }));
            }
            while (acknowledged.size() < 300) {
                sleep(10);
            }
            // the crash: the postmaster and every backend, at once
            TestDatabase.kill(db);
            int atCrash = acknowledged.size();
            sleep(200); // the writers see the server gone
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(failures.get()).as("writers saw the crash").isPositive();
            try {
                db.close(); // releases zonky's lock on the folder; the server is already gone
            } catch (Exception ignored) {
                // pg_ctl stop finds no server
            }

            EmbeddedDatabase.Cluster again = EmbeddedDatabase.open(data, port);
            try (Connection c = again.owner(); Statement s = c.createStatement()) {
                Set<Long> present = new java.util.HashSet<>();
                try (ResultSet rs = s.executeQuery("SELECT id FROM audit_log")) {
                    while (rs.next()) {
                        present.add(rs.getLong(1));
                    }
                }
                Set<Long> lost = new java.util.TreeSet<>(acknowledged);
                lost.removeAll(present);
                System.out.printf("audit crash test: %d commits acknowledged (%d when the server died), %d records "
                        + "after restart, %d acknowledged records lost%n", acknowledged.size(), atCrash,
                        present.size(), lost.size());
                assertThat(lost).as("acknowledged records missing after the crash").isEmpty();
                Map<String, Object> v = AuditLog.verify(TestDatabase.ownerDataSource(again), KEY,
                        new Checkpoints.Contents(List.of(), List.of()));
                assertThat(v.get("ok")).as(v.toString()).isEqualTo(true);
                assertThat((Long) v.get("checked")).isEqualTo(present.size());
            } finally {
                again.close();
            }
        } finally {
            stop.set(true);
            TestDatabase.delete(dir);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
