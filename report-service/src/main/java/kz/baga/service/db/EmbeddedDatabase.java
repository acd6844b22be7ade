package kz.baga.service.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL (zonky: a real server unpacked from a jar) for when no {@code BAGA_DB_URL} is given.
 * Its data folder survives restarts; the JDBC settings are handed to Quarkus as system properties before the
 * application (and so the datasource) starts.
 *
 * <p>Hardened for the audit log: fsync and synchronous commit on (zonky turns both off), passwords required for
 * every connection, a superuser {@value #OWNER} that owns the schema and runs the migrations, and a role
 * {@value #SERVICE} for the service that owns nothing. Both passwords are generated at the first start and kept
 * in the data folder, readable by its owner only.
 */
public final class EmbeddedDatabase {

    public static final String OWNER = "postgres";
    public static final String SERVICE = "baga_service";
    public static final String DATABASE = "baga";
    static final String OWNER_PASSWORD_FILE = "baga-owner.password";
    static final String SERVICE_PASSWORD_FILE = "baga-service.password";

    private static Cluster cluster;

    private EmbeddedDatabase() {
    }

    /** One running server on a data folder, with what is needed to connect as the owner or the service. */
    public static final class Cluster implements AutoCloseable {
        private final Path dataDir;
        private final EmbeddedPostgres postgres;
        private final String ownerPassword;
        private final String servicePassword;

        private Cluster(Path dataDir, EmbeddedPostgres postgres, String ownerPassword, String servicePassword) {
            this.dataDir = dataDir;
            this.postgres = postgres;
            this.ownerPassword = ownerPassword;
            this.servicePassword = servicePassword;
        }

        public Path dataDir() {
            return dataDir;
        }

        public int port() {
            return postgres.getPort();
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
        }

        public String ownerPassword() {
            return ownerPassword;
        }

        public String servicePassword() {
            return servicePassword;
        }

        public Connection owner() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), OWNER, ownerPassword);
        }

        public Connection service() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), SERVICE, servicePassword);
        }

        /** The postmaster's process id (first line of postmaster.pid). */
        public long postmasterPid() throws IOException {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        }

        @Override
        public void close() throws IOException {
            postgres.close();
        }
    }

    /**
     * Starts a server on {@code dataDir} (a new cluster when the folder holds none; {@code port} 0 picks a free
     * one), then makes sure of the roles, the password rule and the durability settings.
     */
    public static Cluster open(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
        String ownerPassword = fresh ? newPassword() : readOrNull(dataDir.resolve(OWNER_PASSWORD_FILE));
        boolean legacy = ownerPassword == null; // a cluster made before passwords were required (trust)
        if (legacy) {
            ownerPassword = newPassword();
        }
        String finalOwnerPassword = ownerPassword;
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                // zonky starts the postmaster with -F (fsync off) and synchronous_commit=off; -c options come
                // after -F on its command line, so these win (checked below with SHOW)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setConnectConfig("password", ownerPassword)
                .setDataDirectoryCustomizer(dir -> writeSecret(dir.toPath().resolve(OWNER_PASSWORD_FILE),
                        finalOwnerPassword));
        if (port > 0) {
            b.setPort(port);
        }
        Path pwfile = null;
        if (fresh) {
            // initdb sets the superuser's password and requires it from the start (zonky's -A trust comes first
            // on the command line; these later options override it)
            pwfile = Files.createTempFile("baga-initdb", ".pw", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pwfile, ownerPassword + "\n");
            b.setLocaleConfig("auth-local", "scram-sha-256")
                    .setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("pwfile", pwfile.toString());
        }
        EmbeddedPostgres postgres;
        try {
            postgres = b.start();
        } finally {
            if (pwfile != null) {
                Files.deleteIfExists(pwfile);
            }
        }
        String servicePassword = readOrNull(dataDir.resolve(SERVICE_PASSWORD_FILE));
        if (servicePassword == null) {
            servicePassword = newPassword();
            writeSecret(dataDir.resolve(SERVICE_PASSWORD_FILE), servicePassword);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            requireSetting(s, "fsync", "on");
            requireSetting(s, "synchronous_commit", "on");
            if (legacy) {
                setPassword(c, "ALTER ROLE " + OWNER + " PASSWORD ?", ownerPassword);
            }
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + SERVICE + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE ROLE " + SERVICE + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION");
                }
            }
            setPassword(c, "ALTER ROLE " + SERVICE + " PASSWORD ?", servicePassword);
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER);
                }
            }
            if (requirePasswords(dataDir.resolve("pg_hba.conf"))) {
                s.execute("SELECT pg_reload_conf()");
            }
        } catch (SQLException e) {
            postgres.close();
            throw new IOException("cannot prepare the embedded database: " + e.getMessage(), e);
        }
        return new Cluster(dataDir, postgres, ownerPassword, servicePassword);
    }

    /** Starts the server once per JVM. */
    public static synchronized Cluster start(Path dataDir) throws IOException {
        if (cluster == null) {
            cluster = open(dataDir, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::stop, "embedded-postgres-stop"));
        }
        return cluster;
    }

    public static synchronized void stop() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (IOException ignored) {
                // best effort at shutdown
            }
            cluster = null;
        }
    }

    /**
     * Unless {@code BAGA_DB_URL} (or {@code quarkus.datasource.jdbc.url}) is set, starts the embedded server under
     * {@code baga.db.dir} (default {@code .baga/pg} in the working directory) and points the datasource (as the
     * service role) and Flyway (as the owner) at it. The audit key and checkpoints go beside it
     * ({@code baga.audit.dir}, default the folder {@code audit} next to the data folder) unless set.
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
        Cluster c = start(dir);
        System.getProperties().putAll(quarkusSettings(c));
        if (System.getProperty("baga.audit.dir") == null && System.getenv("BAGA_AUDIT_DIR") == null) {
            System.setProperty("baga.audit.dir", dir.resolveSibling("audit").toString());
        }
        System.err.println("baga: embedded PostgreSQL with data in " + dir);
    }

    /** The datasource as the service role, Flyway as the owner. */
    public static java.util.Map<String, String> quarkusSettings(Cluster c) {
        return java.util.Map.of(
                "quarkus.datasource.jdbc.url", c.jdbcUrl(),
                "quarkus.datasource.username", SERVICE,
                "quarkus.datasource.password", c.servicePassword(),
                "quarkus.flyway.username", OWNER,
                "quarkus.flyway.password", c.ownerPassword());
    }

    /** Rewrites pg_hba.conf so that every connection needs a password; true when it changed. */
    static boolean requirePasswords(Path hba) throws IOException {
        String wanted = "# written by Baga: every connection needs a password\n"
                + "local   all   all                 scram-sha-256\n"
                + "host    all   all   127.0.0.1/32  scram-sha-256\n"
                + "host    all   all   ::1/128       scram-sha-256\n";
        if (Files.exists(hba) && Files.readString(hba).equals(wanted)) {
            return false;
        }
        Files.writeString(hba, wanted);
        return true;
    }

    private static void requireSetting(Statement s, String name, String value) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            if (!value.equals(rs.getString(1))) {
                throw new SQLException(name + " is " + rs.getString(1) + ", expected " + value);
            }
        }
    }

    private static void setPassword(Connection c, String sql, String password) throws SQLException {
        // ALTER ROLE takes no bind parameters: the password is a generated hex string, quoted as a literal
        try (Statement s = c.createStatement()) {
            s.execute(sql.replace("?", "'" + password.replace("'", "''") + "'"));
        }
    }

    private static String newPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String readOrNull(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8).trim() : null;
    }

    /** Writes a secret readable by its owner only (created so, never widened first). */
    public static void writeSecret(Path p, String secret) {
        try {
            if (Files.exists(p)) {
                return;
            }
            Path dir = p.toAbsolutePath().getParent();
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
