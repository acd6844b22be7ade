package kz.baga.service.audit;

import java.time.Instant;

/**
 * One audit record as stored (and as served to auditors). {@code hashVersion}: 1 = SHA-256 of the fields (records
 * written before the chain was keyed), 2 = HMAC-SHA256 of the same bytes with the audit key.
 */
public record AuditEntry(long id, Instant at, String username, String role, String action, String endpoint,
                         String studentIds, String schoolId, String districtId, String clientAddr, String outcome,
                         String detail, String prevHash, String hash, int hashVersion) {

    /** A record of the original, unkeyed definition. */
    public AuditEntry(long id, Instant at, String username, String role, String action, String endpoint,
                      String studentIds, String schoolId, String districtId, String clientAddr, String outcome,
                      String detail, String prevHash, String hash) {
        this(id, at, username, role, action, endpoint, studentIds, schoolId, districtId, clientAddr, outcome, detail,
                prevHash, hash, AuditWriter.UNKEYED);
    }
}
