package kz.baga.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import kz.baga.service.audit.AuditLog;
import kz.baga.service.db.EmbeddedDatabase;
import org.junit.jupiter.api.Test;

/**
 * The embedded database as the service gets it: durable settings, passwords required, secrets owner-only, a
 * service role that may not rewrite the audit log; also for a cluster made before any of that (trust, no
 * passwords), which is hardened in place.
 */
class EmbeddedDatabaseTest {

    @Test
    void aClusterMadeWithoutPasswordsIsHardenedInPlace() throws Exception {
        Path dir = Files.createTempDirectory("baga-embedded");
        Path data = dir.resolve("pg");
        try {
            // a cluster as zonky makes it by default: trust, a superuser without a password
            try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                    .start(); Connection c = old.getPostgresDatabase().getConnection();
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE baga");
            }
            try (EmbeddedDatabase.Cluster db = EmbeddedDatabase.open(data, 0)) {
                TestDatabase.migrate(db);
                check(db);
            }
            // and again on the next start, from the stored passwords
            try (EmbeddedDatabase.Cluster db = EmbeddedDatabase.open(data, 0)) {
                check(db);
            }
        } finally {
            TestDatabase.delete(dir);
        }
    }

    private static void check(EmbeddedDatabase.Cluster db) throws Exception {
        for (String f : new String[]{"baga-owner.password", "baga-service.password"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db.dataDir().resolve(f))))
                    .isEqualTo("rw-------");
        }
        String url = db.jdbcUrl();
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "")).hasMessageContaining("password");
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres"))
                .hasMessageContaining("password authentication failed");
        try (Connection c = db.owner(); Statement s = c.createStatement()) {
            for (String[] setting : new String[][]{{"fsync", "on"}, {"synchronous_commit", "on"},
                    {"full_page_writes", "on"}}) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting[0])) {
                    rs.next();
                    assertThat(rs.getString(1)).as(setting[0]).isEqualTo(setting[1]);
                }
            }
            assertThat(AuditLog.privileges(c)).contains("act as superuser", "UPDATE", "DELETE", "TRUNCATE");
        }
        try (Connection c = db.service(); Statement s = c.createStatement()) {
            assertThat(AuditLog.privileges(c)).isEmpty();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                    + "WHERE r.rolname = current_user")) {
                rs.next();
                assertThat(rs.getLong(1)).as("relations the service role owns").isZero();
            }
            assertThatThrownBy(() -> s.execute("SELECT setval('audit_log_id_seq', 1)"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("UPDATE audit_settings SET retention_years = 1"))
                    .hasMessageContaining("permission denied");
        }
    }
}
