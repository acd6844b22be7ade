package kz.baga.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import kz.baga.service.db.EmbeddedDatabase;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Per Quarkus start: a fresh embedded PostgreSQL set up as in production (passwords required, the schema owned by
 * the superuser, the service connected as a role that owns nothing), its own audit key and checkpoint folder, and
 * a private copy of the test warehouse (the snapshot the build made from the committed sample), so a test may
 * move CURRENT or break the audit table without affecting others. The {@link NoSnapshotProfile} gets an empty
 * warehouse instead.
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedDatabase.Cluster current;
    private static volatile TestDatabase running;
    private static volatile Path currentAuditDir;

    private EmbeddedDatabase.Cluster postgres;
    private Path dataDir;
    private Path auditDir;
    private Path warehouse;
    private String profile;

    /** A connection as the database's owner (a superuser): what a test that tampers needs. */
    public static Connection owner() throws SQLException {
        return current.owner();
    }

    public static EmbeddedDatabase.Cluster cluster() {
        return current;
    }

    /**
     * The crash: SIGKILL to the postmaster and every backend at once; then the server started again on the same
     * data folder and port (the service's pool is left with dead connections; tests read through {@link #owner}).
     */
    public static synchronized void crashAndRestart() throws Exception {
        TestDatabase t = running;
        kill(t.postgres);
        int port = t.postgres.port();
        try {
            t.postgres.close(); // releases zonky's lock on the folder; the server is already gone
        } catch (IOException ignored) {
            // pg_ctl stop finds no server
        }
        t.postgres = EmbeddedDatabase.open(t.dataDir.resolve("pg"), port);
        current = t.postgres;
    }

    /** SIGKILL to the postmaster and every backend at once, as a crash would; returns once all are gone. */
    static void kill(EmbeddedDatabase.Cluster db) throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(db.postmasterPid()).orElseThrow();
        List<ProcessHandle> backends = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        postmaster.onExit().get(10, TimeUnit.SECONDS);
        for (ProcessHandle b : backends) {
            b.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** The service's migrations on a cluster of a plain test (no Quarkus): run as the owner, as Flyway does. */
    static void migrate(EmbeddedDatabase.Cluster db) {
        Flyway.configure().dataSource(db.jdbcUrl(), EmbeddedDatabase.OWNER, db.ownerPassword())
                .placeholders(Map.of("service_role", EmbeddedDatabase.SERVICE)).load().migrate();
    }

    /** Owner connections as a DataSource, for {@link kz.baga.service.audit.AuditLog#verify} outside the service. */
    static DataSource ownerDataSource(EmbeddedDatabase.Cluster db) {
        return new PGSimpleDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return db.owner();
            }
        };
    }

    /** Runs {@code body} while audit_log is renamed away, so that no record can be written; then puts it back. */
    static void withAuditLogOffline(Runnable body) throws SQLException {
        try (Connection c = owner(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_log RENAME TO audit_log_offline");
            try {
                body.run();
            } finally {
                s.execute("ALTER TABLE audit_log_offline RENAME TO audit_log");
            }
        }
    }

    /** The running service's audit folder (audit.key, checkpoints.log). */
    public static Path auditDir() {
        return currentAuditDir;
    }

    @Override
    public void setContext(Context context) {
        this.profile = context.testProfile();
    }

    public static Path sourceWarehouse() {
        String p = System.getProperty("baga.test.warehouse", "target/test-warehouse");
        Path path = Paths.get(p).toAbsolutePath();
        if (!Files.isRegularFile(path.resolve("CURRENT"))) {
            throw new IllegalStateException("no test warehouse at " + path + ": the build makes it in the "
                    + "generate-test-resources phase (run the module's tests through Maven)");
        }
        return path;
    }

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("baga-test-pg");
            auditDir = Files.createTempDirectory("baga-test-audit");
            postgres = EmbeddedDatabase.open(dataDir.resolve("pg"), 0);
            current = postgres;
            running = this;
            currentAuditDir = auditDir;
            warehouse = Files.createTempDirectory("baga-test-warehouse");
            if (profile == null || !profile.endsWith("NoSnapshotProfile")) {
                copy(sourceWarehouse(), warehouse);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> cfg = new HashMap<>(EmbeddedDatabase.quarkusSettings(postgres));
        cfg.put("baga.audit.dir", auditDir.toString());
        cfg.put("baga.warehouse", warehouse.toString());
        cfg.put("baga.warehouse.poll", "1s");
        cfg.put("baga.demo", profile != null && profile.endsWith("ProductionModeProfile") ? "false" : "true");
        return cfg;
    }

    /**
     * Commits a copy of snapshot {@code oldId} (folder {@code oldDir}) as {@code newId} the way the pipeline does:
     * the folder written completely (its manifest naming the new id), then {@code CURRENT} replaced atomically.
     */
    static void commitCopy(Path warehouse, Path oldDir, String oldId, String newId) throws IOException {
        Path dir = warehouse.resolve("snapshots").resolve(newId);
        copy(oldDir, dir);
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace(oldId, newId));
        Path tmp = warehouse.resolve("CURRENT.tmp");
        Files.writeString(tmp, newId + "\n");
        Files.move(tmp, warehouse.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Commits a copy of the served snapshot as its id plus {@code suffix} ({@link #commitCopy}) and waits until the
     * service serves it; returns the new id.
     */
    static String switchSnapshot(SnapshotRegistry registry, String suffix) throws IOException {
        Snapshot old = registry.require();
        String newId = old.id() + suffix;
        commitCopy(registry.root(), old.dir(), old.id(), newId);
        Poll.until("snapshot " + newId + " served", Duration.ofSeconds(30),
                () -> newId.equals(registry.require().id()));
        return newId;
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public void stop() {
        try {
            if (postgres != null) {
                postgres.close();
            }
            for (Path dir : new Path[]{warehouse, dataDir, auditDir}) {
                if (dir != null) {
                    delete(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
