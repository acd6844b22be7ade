package kz.baga.service.audit;

import java.time.Instant;

/** One audit record as stored (and as served to auditors). */
public record AuditEntry(long id, Instant at, String username, String role, String action, String endpoint,
                         String studentIds, String schoolId, String districtId, String clientAddr, String outcome,
                         String detail, String prevHash, String hash) {
}
