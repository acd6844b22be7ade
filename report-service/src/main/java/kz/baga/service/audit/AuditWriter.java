package kz.baga.service.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Appends one hash-chained record in its own transaction, serialised by an advisory lock. */
@ApplicationScoped
public class AuditWriter {

    public static final String GENESIS = "0".repeat(64);
    private static final long LOCK_KEY = 0x6261676141554449L; // "bagaAUDI"

    @Inject
    AgroalDataSource ds;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public AuditEntry append(String username, String role, String action, String endpoint, String studentIds,
                             String schoolId, String districtId, String clientAddr, String outcome, String detail)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            String prev = GENESIS;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")) {
                if (rs.next()) {
                    prev = rs.getString(1);
                }
            }
            long id;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT nextval('audit_log_id_seq')")) {
                rs.next();
                id = rs.getLong(1);
            }
            Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
            AuditEntry e = new AuditEntry(id, at, username, role, action, endpoint, studentIds, schoolId, districtId,
                    clientAddr, outcome, detail, prev, null);
            String hash = hash(e);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (id, at, username, role, action, "
                    + "endpoint, student_ids, school_id, district_id, client_addr, outcome, detail, prev_hash, hash) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setLong(1, id);
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setString(3, username);
                ps.setString(4, role);
                ps.setString(5, action);
                ps.setString(6, endpoint);
                ps.setString(7, studentIds);
                ps.setString(8, schoolId);
                ps.setString(9, districtId);
                ps.setString(10, clientAddr);
                ps.setString(11, outcome);
                ps.setString(12, detail);
                ps.setString(13, prev);
                ps.setString(14, hash);
                ps.executeUpdate();
            }
            return new AuditEntry(id, at, username, role, action, endpoint, studentIds, schoolId, districtId,
                    clientAddr, outcome, detail, prev, hash);
        }
    }

    /** SHA-256 over the previous hash and every field, each length-prefixed so no two records collide. */
    public static String hash(AuditEntry e) {
        StringBuilder b = new StringBuilder();
        for (Object v : new Object[]{e.prevHash(), e.id(), e.at().toString(), e.username(), e.role(), e.action(),
                e.endpoint(), e.studentIds(), e.schoolId(), e.districtId(), e.clientAddr(), e.outcome(),
                e.detail()}) {
            String s = v == null ? "\u2400" : v.toString();
            b.append(s.length()).append(':').append(s).append('|');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
