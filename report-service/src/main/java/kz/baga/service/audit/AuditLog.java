package kz.baga.service.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import kz.baga.service.api.ProblemException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The audit log: records who read which pupil's data (allowed or denied) before any data leaves the service,
 * lists records for auditors and verifies the hash chain.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    @Inject
    AuditWriter writer;

    @Inject
    AgroalDataSource ds;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "baga.audit.retention-years", defaultValue = "10")
    int retentionYears;

    void onStart(@Observes StartupEvent ev) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE audit_settings SET retention_years = ? WHERE id = 1")) {
            ps.setInt(1, Math.max(1, retentionYears));
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("cannot store the audit retention setting: " + e.getMessage());
        }
    }

    /** Writes one record; any failure becomes a 503 problem so that no data is served unaudited. */
    public AuditEntry record(String username, String role, String action, String endpoint, String studentIds,
                             String schoolId, String districtId, String clientAddr, boolean allowed, String detail) {
        try {
            AuditEntry e = writer.append(username, role, action, endpoint, studentIds, schoolId, districtId,
                    clientAddr, allowed ? "ALLOWED" : "DENIED", detail);
            registry.counter("baga.audit.records", "outcome", e.outcome()).increment();
            return e;
        } catch (Exception e) {
            registry.counter("baga.audit.failures").increment();
            LOG.error("audit record could not be written: " + e.getMessage());
            throw ProblemException.auditUnavailable(rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    public List<AuditEntry> list(Instant from, Instant to, int limit) {
        List<AuditEntry> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, at, username, role, action, endpoint, student_ids, "
                     + "school_id, district_id, client_addr, outcome, detail, prev_hash, hash FROM audit_log "
                     + "WHERE at >= ? AND at < ? ORDER BY id LIMIT ?")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
        } catch (SQLException e) {
            throw ProblemException.auditUnavailable(e.getMessage());
        }
        return out;
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14));
    }

    /** Walks the whole chain in id order and reports the first broken link. */
    public Map<String, Object> verify() {
        Map<String, Object> result = new LinkedHashMap<>();
        long checked = 0;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false); // lets the driver stream with a fetch size
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery("SELECT id, at, username, role, action, endpoint, student_ids, "
                        + "school_id, district_id, client_addr, outcome, detail, prev_hash, hash FROM audit_log "
                        + "ORDER BY id")) {
                    String prevHash = null;
                    long prevId = 0;
                    while (rs.next()) {
                        AuditEntry e = entry(rs);
                        String problem = null;
                        if (prevHash == null) {
                            if (!AuditWriter.GENESIS.equals(e.prevHash())) {
                                result.put("startsAfterRetention", true);
                            }
                        } else if (!prevHash.equals(e.prevHash())) {
                            problem = e.id() != prevId + 1
                                    ? "record(s) " + (prevId + 1) + ".." + (e.id() - 1) + " missing: the chain is broken"
                                    : "previous record " + prevId + " was altered or replaced";
                        }
                        if (problem == null && !AuditWriter.hash(e).equals(e.hash())) {
                            problem = "record " + e.id() + " was altered: its hash does not match its content";
                        }
                        if (problem != null) {
                            result.put("ok", false);
                            result.put("checked", checked);
                            result.put("firstBrokenId", e.id());
                            result.put("reason", problem);
                            c.rollback();
                            return result;
                        }
                        checked++;
                        prevHash = e.hash();
                        prevId = e.id();
                    }
                    result.put("lastId", prevId);
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw ProblemException.auditUnavailable(e.getMessage());
        }
        result.put("ok", true);
        result.put("checked", checked);
        return result;
    }
}
