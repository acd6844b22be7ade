package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import kz.baga.service.audit.AuditEntry;
import kz.baga.service.audit.AuditLog;
import kz.baga.service.audit.AuditRetention;
import kz.baga.service.audit.AuditSeal;
import kz.baga.service.audit.AuditWriter;
import kz.baga.service.audit.Checkpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tampering as a database superuser would: triggers switched off with {@code session_replication_role = replica},
 * then UPDATE, DELETE, TRUNCATE, hashes rewritten with plain SHA-256, the tail or the head deleted. Verification
 * does not trust the database: each is reported, with the first bad record. After each test the table is put
 * back exactly as it was, and verifies again.
 */
@QuarkusTest
@TestProfile(AuditTamperProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTamperTest {

    @Inject
    AuditSeal seal;

    private long first;
    private long last;

    @BeforeEach
    void someRecordsAndASavedCopy() throws Exception {
        for (int i = 0; i < 6; i++) {
            as("parent.premium").get("/api/v1/students/" + Fixture.premiumChild() + "/grades").then().statusCode(200);
        }
        verify().body("ok", equalTo(true));
        try (Connection c = TestDatabase.owner(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS audit_saved");
            s.execute("CREATE TABLE audit_saved AS SELECT * FROM audit_log");
            try (ResultSet rs = s.executeQuery("SELECT min(id), max(id) FROM audit_log")) {
                rs.next();
                first = rs.getLong(1);
                last = rs.getLong(2);
            }
        }
        assertThat(last - first).isGreaterThanOrEqualTo(5);
    }

    @AfterEach
    void restore() throws Exception {
        try (Connection c = TestDatabase.owner(); Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
            s.execute("DELETE FROM audit_log");
            s.execute("INSERT INTO audit_log SELECT * FROM audit_saved");
        }
        verify().body("ok", equalTo(true));
    }

    private static ValidatableResponse verify() {
        return as("auditor").get("/api/v1/audit/verify").then().statusCode(200);
    }

    /** Runs statements as a superuser with every trigger switched off. */
    private static void asReplica(String... sql) throws Exception {
        try (Connection c = TestDatabase.owner(); Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    @Test
    void anEditedRecordIsReported() throws Exception {
        long victim = last - 2;
        asReplica("UPDATE audit_log SET student_ids = 'someone-else' WHERE id = " + victim);
        verify().body("ok", equalTo(false)).body("firstBrokenId", equalTo((int) victim))
                .body("reason", containsString("altered"));
    }

    @Test
    void aDeletedRecordIsReported() throws Exception {
        long victim = last - 2;
        asReplica("DELETE FROM audit_log WHERE id = " + victim);
        verify().body("ok", equalTo(false)).body("firstBrokenId", equalTo((int) victim + 1))
                .body("reason", containsString("missing"));
    }

    @Test
    void aTruncatedTableIsReported() throws Exception {
        asReplica("TRUNCATE audit_log");
        verify().body("ok", equalTo(false)).body("firstBrokenId", equalTo(1)).body("checked", equalTo(0))
                .body("reason", containsString("missing"));
    }

    @Test
    void aDeletedTailIsReported() throws Exception {
        asReplica("DELETE FROM audit_log WHERE id > " + (last - 3));
        verify().body("ok", equalTo(false)).body("firstBrokenId", equalTo((int) last - 2))
                .body("reason", containsString("records " + (last - 2) + ".." + last + " are missing"));
    }

    @Test
    void aDeletedHeadIsReported() throws Exception {
        asReplica("DELETE FROM audit_log WHERE id < " + (first + 3));
        verify().body("ok", equalTo(false)).body("firstBrokenId", equalTo((int) first))
                .body("reason", containsString("before " + (first + 3)));
    }

    @Test
    void aTailRehashedWithoutTheKeyIsReported() throws Exception {
        long from = last - 3;
        // the smart forger: plain SHA-256 marked as the unkeyed version, links and hashes consistent
        rehash(from, AuditWriter.UNKEYED);
        verify().body("ok", equalTo(false)).body("firstBrokenId", equalTo((int) from))
                .body("reason", containsString("unkeyed"));
        // the naive one: SHA-256 left marked as keyed
        restore();
        rehash(from, AuditWriter.KEYED);
        verify().body("ok", equalTo(false)).body("firstBrokenId", equalTo((int) from))
                .body("reason", containsString("altered"));
    }

    /** Rewrites records from {@code from} on: one field changed, chained again with plain SHA-256. */
    private static void rehash(long from, int version) throws Exception {
        try (Connection c = TestDatabase.owner(); Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
            List<AuditEntry> rows = new ArrayList<>();
            String prev;
            try (ResultSet rs = s.executeQuery("SELECT hash FROM audit_log WHERE id < " + from
                    + " ORDER BY id DESC LIMIT 1")) {
                rs.next();
                prev = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT id, at, username, role, action, endpoint, student_ids, "
                    + "school_id, district_id, client_addr, outcome, detail FROM audit_log WHERE id >= " + from
                    + " ORDER BY id")) {
                while (rs.next()) {
                    rows.add(new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), "someone-else", rs.getString(8),
                            rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), null, null));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_log SET student_ids = ?, prev_hash = ?, "
                    + "hash = ?, hash_version = ? WHERE id = ?")) {
                for (AuditEntry r : rows) {
                    AuditEntry linked = new AuditEntry(r.id(), r.at(), r.username(), r.role(), r.action(),
                            r.endpoint(), r.studentIds(), r.schoolId(), r.districtId(), r.clientAddr(), r.outcome(),
                            r.detail(), prev, null);
                    String hash = AuditWriter.hash(linked);
                    ps.setString(1, r.studentIds());
                    ps.setString(2, prev);
                    ps.setString(3, hash);
                    ps.setInt(4, version);
                    ps.setLong(5, r.id());
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                    prev = hash;
                }
            }
        }
    }

    @Test
    void anAlteredCheckpointFileIsReported() throws Exception {
        Path file = seal.checkpoints().file();
        String original = Files.readString(file);
        try {
            Files.writeString(file, original.replaceFirst("seq=(\\d+)", "seq=9$1"));
            verify().body("ok", equalTo(false)).body("reason", containsString("checkpoint file was altered"));
        } finally {
            Files.writeString(file, original);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void retentionIsASignedCheckpointAndNotADeletedHead() throws Exception {
        Instant cutoff;
        try (Connection c = TestDatabase.owner(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT at FROM audit_log WHERE id = " + (first + 2))) {
            rs.next();
            cutoff = rs.getTimestamp(1).toInstant().plusNanos(1000);
        }
        Checkpoints.Checkpoint cp;
        try (Connection c = TestDatabase.owner(); Statement s = c.createStatement()) {
            // the records are younger than any retention the trigger allows: switched off for this run only
            s.execute("SET session_replication_role = replica");
            cp = AuditRetention.purge(c, seal.checkpoints(), cutoff).orElseThrow();
        }
        assertThat(cp.from()).isEqualTo(first);
        assertThat(cp.to()).isGreaterThanOrEqualTo(first + 2);
        verify().body("ok", equalTo(true)).body("startsAfterRetention", equalTo(true))
                .body("retainedFrom", equalTo((int) cp.to() + 1));
        // the file's signed checkpoint is what counts: the same check without it calls the retention a deletion
        Map<String, Object> unsigned = AuditLog.verify(TestDatabase.ownerDataSource(TestDatabase.cluster()), seal.key(),
                new Checkpoints.Contents(List.of(), List.of()));
        assertThat(unsigned.get("ok")).isEqualTo(false);
        // a deletion past what retention signed is still a deleted head
        asReplica("DELETE FROM audit_log WHERE id <= " + (cp.to() + 2));
        verify().body("ok", equalTo(false)).body("firstBrokenId", equalTo((int) cp.to() + 1));
    }
}
