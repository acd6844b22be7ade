package kz.baga.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import kz.baga.service.audit.AuditEntry;
import kz.baga.service.audit.AuditWriter;
import org.junit.jupiter.api.Test;

/** The chain hash, computed field by field, equals the original one-string definition for every kind of value. */
class AuditHashTest {

    /** The definition records were chained with from the start (the hash must never change for them). */
    private static String reference(AuditEntry e) throws Exception {
        StringBuilder b = new StringBuilder();
        for (Object v : new Object[]{e.prevHash(), e.id(), e.at().toString(), e.username(), e.role(), e.action(),
                e.endpoint(), e.studentIds(), e.schoolId(), e.districtId(), e.clientAddr(), e.outcome(),
                e.detail()}) {
            String s = v == null ? "\u2400" : v.toString();
            b.append(s.length()).append(':').append(s).append('|');
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void equalsTheOriginalDefinition() throws Exception {
        List<String> values = new ArrayList<>(List.of("", "parent.premium", "GET /api/v1/students/04aa/analytics?lang=kk",
                "11А", "Әліппе ҒҚҢӨҰҮҺІ", "😀 emoji", "\u2400", "a|b:c", "\ud800", "x\udc00", "\ud83dz", "12:ab|",
                "x".repeat(10_000)));
        values.add(null);
        Random r = new Random(2026);
        for (int i = 0; i < 200; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = r.nextInt(40); k > 0; k--) {
                s.append((char) r.nextInt(0x10000));
            }
            values.add(s.toString());
        }
        Instant at = Instant.parse("2026-11-25T04:40:00.123456Z");
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            String w = values.get((i * 7 + 3) % values.size());
            AuditEntry e = new AuditEntry(i * 1_000_003L, i % 2 == 0 ? at : at.plusSeconds(i), v, "parent", w,
                    v, w, v, null, w, i % 3 == 0 ? "DENIED" : "ALLOWED", v, i % 5 == 0 ? null
                    : AuditWriter.GENESIS, null);
            assertThat(AuditWriter.hash(e)).as("value #" + i).isEqualTo(reference(e));
        }
    }
}
