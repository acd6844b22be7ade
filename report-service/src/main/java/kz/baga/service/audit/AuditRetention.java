package kz.baga.service.audit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Retention of the audit log, run as the schema's owner (the service's own role may not delete records): stores
 * the retention period for the trigger at start, and deletes records older than it, oldest first, each deletion
 * recorded as a signed retention checkpoint so that verification tells it from a deleted head. Without owner
 * credentials ({@code quarkus.flyway.username/password} differing from the service's) it does nothing.
 */
@ApplicationScoped
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);

    @ConfigProperty(name = "baga.audit.retention-years", defaultValue = "10")
    int retentionYears;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String serviceUser;

    @ConfigProperty(name = "quarkus.flyway.username")
    Optional<String> ownerUser;

    @ConfigProperty(name = "quarkus.flyway.password")
    Optional<String> ownerPassword;

    @Inject
    AuditSeal seal;

    void onStart(@Observes StartupEvent ev) {
        if (!ownerConfigured()) {
            return;
        }
        try (Connection c = owner(); PreparedStatement ps = c.prepareStatement(
                "UPDATE audit_settings SET retention_years = ? WHERE id = 1")) {
            ps.setInt(1, Math.max(1, retentionYears));
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("cannot store the audit retention setting: " + e.getMessage());
        }
    }

    @Scheduled(every = "${baga.audit.retention.every:24h}", delayed = "1h")
    void scheduled() {
        if (!ownerConfigured()) {
            return;
        }
        try (Connection c = owner()) {
            purge(c, seal.checkpoints(), Instant.now().atOffset(ZoneOffset.UTC).minusYears(Math.max(1,
                    retentionYears)).toInstant());
        } catch (SQLException | IOException e) {
            LOG.error("audit retention failed: " + e.getMessage());
        }
    }

    private boolean ownerConfigured() {
        return ownerUser.isPresent() && ownerPassword.isPresent() && !ownerUser.get().equals(serviceUser);
    }

    private Connection owner() throws SQLException {
        return DriverManager.getConnection(url, ownerUser.get(), ownerPassword.get());
    }

    /**
     * Deletes the records older than {@code cutoff} from the head of the chain, in one transaction on
     * {@code owner} that commits only after the signed retention checkpoint (range deleted, hash of the last
     * deleted record) is on disk. Returns the checkpoint, or empty when nothing was old enough.
     */
    public static Optional<Checkpoints.Checkpoint> purge(Connection owner, Checkpoints checkpoints, Instant cutoff)
            throws SQLException, IOException {
        boolean auto = owner.getAutoCommit();
        owner.setAutoCommit(false);
        try (Statement s = owner.createStatement()) {
            s.execute("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"); // no append while the head moves
            long from;
            long to;
            String head;
            long keyedFrom;
            try (PreparedStatement ps = owner.prepareStatement("SELECT min(id), "
                    + "(SELECT max(id) FROM audit_log WHERE id < coalesce((SELECT min(id) FROM audit_log "
                    + "WHERE at >= ?), 9223372036854775807)), "
                    + "(SELECT min(id) FROM audit_log WHERE hash_version = " + AuditWriter.KEYED + ") FROM audit_log")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    from = rs.getLong(1);
                    boolean none = rs.getObject(2) == null;
                    to = rs.getLong(2);
                    keyedFrom = rs.getLong(3);
                    if (none) {
                        owner.rollback();
                        return Optional.empty();
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT hash FROM audit_log WHERE id = " + to)) {
                rs.next();
                head = rs.getString(1);
            }
            int deleted = s.executeUpdate("DELETE FROM audit_log WHERE id <= " + to);
            Checkpoints.Checkpoint cp = new Checkpoints.Checkpoint(Checkpoints.Kind.retention, to, head, Instant.now(),
                    keyedFrom, from, to);
            String line = checkpoints.append(cp);
            owner.commit();
            LOG.info("audit retention deleted " + deleted + " records older than " + cutoff + ": " + line);
            return Optional.of(cp);
        } catch (SQLException | IOException | RuntimeException e) {
            owner.rollback();
            throw e;
        } finally {
            owner.setAutoCommit(auto);
        }
    }
}
