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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Appends hash-chained records, serialised by an advisory lock. {@link #append} writes one record in its own
 * transaction; {@link #appendAll} writes several (a group commit, see {@link AuditLog}) in one transaction: one
 * lock, one look-up of the chain's last hash, one commit, the records chained in the given order.
 */
@ApplicationScoped
public class AuditWriter {

    public static final String GENESIS = "0".repeat(64);
    private static final long LOCK_KEY = 0x6261676141554449L; // "bagaAUDI"

    /** A record to write (everything but id, time and hashes). */
    public record Draft(String username, String role, String action, String endpoint, String studentIds,
                        String schoolId, String districtId, String clientAddr, String outcome, String detail) {
    }

    @Inject
    AgroalDataSource ds;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public AuditEntry append(String username, String role, String action, String endpoint, String studentIds,
                             String schoolId, String districtId, String clientAddr, String outcome, String detail)
            throws SQLException {
        return appendAll(List.of(new Draft(username, role, action, endpoint, studentIds, schoolId, districtId,
                clientAddr, outcome, detail))).get(0);
    }

    /**
     * Writes every draft, in order, in one new transaction: either all of them are committed when this returns,
     * or none (the exception says why).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<AuditEntry> appendAll(List<Draft> drafts) throws SQLException {
        int n = drafts.size();
        try (Connection c = ds.getConnection()) {
            String prev = GENESIS;
            long[] ids = new long[n];
            // one round trip: the lock first (statements of one query string run in order), then the chain's
            // last hash and the ids, both read under the lock
            try (Statement s = c.createStatement()) {
                boolean isResult = s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ");"
                        + "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1;"
                        + "SELECT nextval('audit_log_id_seq') FROM generate_series(1, " + n + ")");
                int statement = 0;
                while (true) {
                    if (isResult) {
                        try (ResultSet rs = s.getResultSet()) {
                            if (statement == 1 && rs.next()) {
                                prev = rs.getString(1);
                            } else if (statement == 2) {
                                int k = 0;
                                while (rs.next()) {
                                    ids[k++] = rs.getLong(1);
                                }
                                if (k != n) {
                                    throw new SQLException("expected " + n + " audit ids, got " + k);
                                }
                            }
                        }
                    } else if (s.getUpdateCount() == -1) {
                        break;
                    }
                    statement++;
                    isResult = s.getMoreResults();
                }
                if (statement < 3) {
                    throw new SQLException("the audit chain head could not be read");
                }
            }
            java.util.Arrays.sort(ids); // the chain follows the ids
            Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
            List<AuditEntry> out = new ArrayList<>(n);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (id, at, username, role, action, "
                    + "endpoint, student_ids, school_id, district_id, client_addr, outcome, detail, prev_hash, hash) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < n; i++) {
                    Draft d = drafts.get(i);
                    AuditEntry e = new AuditEntry(ids[i], at, d.username(), d.role(), d.action(), d.endpoint(),
                            d.studentIds(), d.schoolId(), d.districtId(), d.clientAddr(), d.outcome(), d.detail(),
                            prev, null);
                    String hash = hash(e);
                    ps.setLong(1, e.id());
                    ps.setTimestamp(2, Timestamp.from(at));
                    ps.setString(3, e.username());
                    ps.setString(4, e.role());
                    ps.setString(5, e.action());
                    ps.setString(6, e.endpoint());
                    ps.setString(7, e.studentIds());
                    ps.setString(8, e.schoolId());
                    ps.setString(9, e.districtId());
                    ps.setString(10, e.clientAddr());
                    ps.setString(11, e.outcome());
                    ps.setString(12, e.detail());
                    ps.setString(13, prev);
                    ps.setString(14, hash);
                    if (n == 1) {
                        ps.executeUpdate();
                    } else {
                        ps.addBatch();
                    }
                    out.add(new AuditEntry(e.id(), at, e.username(), e.role(), e.action(), e.endpoint(),
                            e.studentIds(), e.schoolId(), e.districtId(), e.clientAddr(), e.outcome(), e.detail(),
                            prev, hash));
                    prev = hash;
                }
                if (n > 1) {
                    for (int r : ps.executeBatch()) {
                        if (r != 1 && r != Statement.SUCCESS_NO_INFO) {
                            throw new SQLException("an audit record was not inserted");
                        }
                    }
                }
            }
            return out;
        }
    }

    /**
     * SHA-256 over the previous hash and every field, each length-prefixed so no two records collide: the UTF-8 of
     * {@code len:value|} per field, {@code len} counting UTF-16 units and null written as U+2400. The bytes are fed
     * to the digest field by field rather than built as one string first: the same bytes (records already stored
     * verify unchanged, see AuditHashTest), but building, inflating and encoding that string was 18% of the
     * service's allocation at 50 connections.
     */
    public static String hash(AuditEntry e) {
        MessageDigest d = SHA256.get();
        field(d, e.prevHash());
        field(d, Long.toString(e.id()));
        field(d, e.at().toString());
        field(d, e.username());
        field(d, e.role());
        field(d, e.action());
        field(d, e.endpoint());
        field(d, e.studentIds());
        field(d, e.schoolId());
        field(d, e.districtId());
        field(d, e.clientAddr());
        field(d, e.outcome());
        field(d, e.detail());
        return HexFormat.of().formatHex(d.digest());
    }

    private static final byte[] NULL = "\u2400".getBytes(StandardCharsets.UTF_8);

    private static void field(MessageDigest d, String s) {
        int length = s == null ? 1 : s.length();
        for (char c : Integer.toString(length).toCharArray()) {
            d.update((byte) c);
        }
        d.update((byte) ':');
        d.update(s == null ? NULL : s.getBytes(StandardCharsets.UTF_8));
        d.update((byte) '|');
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    });
}
