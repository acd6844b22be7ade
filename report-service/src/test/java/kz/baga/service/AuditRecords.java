package kz.baga.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * Audit records as the tests check them: counted straight from {@code audit_log} (before and after a request, so
 * a test sees its own records whatever ran before), or listed by the API as an auditor sees them.
 */
final class AuditRecords {

    private final Map<String, String> equal = new LinkedHashMap<>();
    private String actionPrefix;
    private boolean withClientAddress;

    private AuditRecords() {
    }

    /** Records of one action, e.g. {@code student.grades}. */
    static AuditRecords action(String action) {
        AuditRecords r = new AuditRecords();
        r.equal.put("action", action);
        return r;
    }

    /** Records of every action starting with {@code prefix}, e.g. {@code student.}. */
    static AuditRecords actionsStartingWith(String prefix) {
        AuditRecords r = new AuditRecords();
        r.actionPrefix = prefix;
        return r;
    }

    AuditRecords user(String username) {
        equal.put("username", username);
        return this;
    }

    /** {@code ALLOWED} or {@code DENIED}. */
    AuditRecords outcome(String outcome) {
        equal.put("outcome", outcome);
        return this;
    }

    /** The record's pupils exactly as stored (comma-separated ids). */
    AuditRecords students(String studentIds) {
        equal.put("student_ids", studentIds);
        return this;
    }

    AuditRecords district(String districtId) {
        equal.put("district_id", districtId);
        return this;
    }

    /** Only records that name the client's address (every request's record must). */
    AuditRecords withClientAddress() {
        withClientAddress = true;
        return this;
    }

    long count(DataSource ds) {
        List<String> where = new ArrayList<>();
        List<String> values = new ArrayList<>();
        equal.forEach((column, value) -> {
            where.add(column + " = ?");
            values.add(value);
        });
        if (actionPrefix != null) {
            where.add("action LIKE ?");
            values.add(actionPrefix + "%");
        }
        if (withClientAddress) {
            where.add("client_addr IS NOT NULL");
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_log WHERE "
                     + String.join(" AND ", where))) {
            for (int i = 0; i < values.size(); i++) {
                ps.setString(i + 1, values.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count audit records: " + e.getMessage(), e);
        }
    }

    /** The records of the last 30 days as {@code GET /api/v1/audit} lists them to an auditor, oldest first. */
    static List<Map<String, Object>> listed() {
        return Fixture.as("auditor").get("/api/v1/audit").then().statusCode(200).extract().jsonPath()
                .getList("records");
    }
}
