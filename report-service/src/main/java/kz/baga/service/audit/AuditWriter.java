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

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Appends hash-chained records, serialised by an advisory lock. {@link #append} writes one record in its own
 * transaction; {@link #appendAll} writes several (a group commit, see {@link AuditLog}) in one transaction: one
 * lock, one look-up of the chain's last hash, one commit, the records chained in the given order. New records are
 * chained with HMAC-SHA256 under the audit key ({@link #KEYED}); the transaction commits synchronously whatever
 * the server's default, so a record is on disk before the answer it stands for is sent.
 */
@ApplicationScoped
public class AuditWriter {

    public static final String GENESIS = "0".repeat(64);
    /** Hash versions: SHA-256 of the fields (the original definition), HMAC-SHA256 of the same bytes. */
    public static final int UNKEYED = 1;
    public static final int KEYED = 2;
    private static final long LOCK_KEY = 0x6261676141554449L; // "bagaAUDI"

    /** A record to write (everything but id, time and hashes). */
    public record Draft(String username, String role, String action, String endpoint, String studentIds,
                        String schoolId, String districtId, String clientAddr, String outcome, String detail) {
    }

    @Inject
    AgroalDataSource ds;

    @Inject
    AuditSeal seal;

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
        try (Connection c = ds.getConnection()) {
            return appendAll(c, drafts, seal.key());
        }
    }

    /**
     * Writes the drafts on {@code c} within its current transaction, chained with HMAC under {@code key}; the
     * caller commits. The transaction is marked {@code synchronous_commit = on}, so its commit returns only once
     * the records are flushed to the write-ahead log.
     */
    public static List<AuditEntry> appendAll(Connection c, List<Draft> drafts, byte[] key) throws SQLException {
        int n = drafts.size();
        {
            String prev = GENESIS;
            long[] ids = new long[n];
            // one round trip: the lock first (statements of one query string run in order), then the chain's
            // last hash and the ids, both read under the lock
            try (Statement s = c.createStatement()) {
                boolean isResult = s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ");"
                        + "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1;"
                        + "SELECT nextval('audit_log_id_seq') FROM generate_series(1, " + n + ");"
                        + "SET LOCAL synchronous_commit TO on");
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
                    + "endpoint, student_ids, school_id, district_id, client_addr, outcome, detail, prev_hash, hash, "
                    + "hash_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?," + KEYED + ")")) {
                for (int i = 0; i < n; i++) {
                    Draft d = drafts.get(i);
                    AuditEntry e = new AuditEntry(ids[i], at, d.username(), d.role(), d.action(), d.endpoint(),
                            d.studentIds(), d.schoolId(), d.districtId(), d.clientAddr(), d.outcome(), d.detail(),
                            prev, null, KEYED);
                    String hash = hmac(e, key);
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
                            prev, hash, KEYED));
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
     * to the digest field by field rather than built as one string first, which every audited request would
     * otherwise allocate and encode; the bytes are the same (records already stored verify unchanged, see
     * AuditHashTest).
     */
    public static String hash(AuditEntry e) {
        MessageDigest d = SHA256.get();
        fields(d::update, d::update, e);
        return HexFormat.of().formatHex(d.digest());
    }

    /** Version 2: the same bytes as {@link #hash}, as HMAC-SHA256 under the audit key. */
    public static String hmac(AuditEntry e, byte[] key) {
        Mac mac = mac(key);
        fields(mac::update, mac::update, e);
        return HexFormat.of().formatHex(mac.doFinal());
    }

    /** A Mac per thread, initialised again only when the key changes (doFinal resets it for the next use). */
    private static Mac mac(byte[] key) {
        Object[] cached = MACS.get();
        if (cached[0] != key) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                cached[0] = key;
                cached[1] = mac;
            } catch (java.security.GeneralSecurityException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return (Mac) cached[1];
    }

    private static final ThreadLocal<Object[]> MACS = ThreadLocal.withInitial(() -> new Object[2]);

    /** The hash of a record by its own version. */
    public static String hashOf(AuditEntry e, byte[] key) {
        return e.hashVersion() == KEYED ? hmac(e, key) : hash(e);
    }

    private interface ByteSink {
        void update(byte b);
    }

    private interface BytesSink {
        void update(byte[] b);
    }

    private static void fields(ByteSink d, BytesSink db, AuditEntry e) {
        field(d, db, e.prevHash());
        field(d, db, Long.toString(e.id()));
        field(d, db, e.at().toString());
        field(d, db, e.username());
        field(d, db, e.role());
        field(d, db, e.action());
        field(d, db, e.endpoint());
        field(d, db, e.studentIds());
        field(d, db, e.schoolId());
        field(d, db, e.districtId());
        field(d, db, e.clientAddr());
        field(d, db, e.outcome());
        field(d, db, e.detail());
    }

    private static final byte[] NULL = "\u2400".getBytes(StandardCharsets.UTF_8);

    private static void field(ByteSink d, BytesSink db, String s) {
        int length = s == null ? 1 : s.length();
        for (char c : Integer.toString(length).toCharArray()) {
            d.update((byte) c);
        }
        d.update((byte) ':');
        db.update(s == null ? NULL : s.getBytes(StandardCharsets.UTF_8));
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
