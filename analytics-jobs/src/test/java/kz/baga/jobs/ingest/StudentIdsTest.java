package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kz.baga.jobs.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Pseudonymous ids: {@link StudentIds#column} (HMAC-SHA256 written with Spark's sha2) equals the plain-Java
 * {@link StudentIds#of} (javax.crypto.Mac), which in turn matches RFC 4231.
 */
class StudentIdsTest extends SparkTestBase {

    private static final List<String> IINS = List.of("080315501236", "950101300125", "000229501234",
            "991231401236", "080315500011", "", "what do ya want for nothing?");

    private static void assertColumnMatchesReference(StudentIds ids) {
        List<Row> out = df("iin string", IINS.stream().map(i -> row(i)).toList())
                .select(col("iin"), ids.column(col("iin")).as("id")).collectAsList();
        assertThat(out).hasSize(IINS.size());
        for (Row r : out) {
            assertThat(r.getString(1)).as(r.getString(0)).isEqualTo(ids.of(r.getString(0))).hasSize(32);
        }
    }

    @Test
    void referenceIsHmacSha256PerRfc4231() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?" →
        // 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843; the id is its first 32 hex digits.
        assertThat(StudentIds.withKey("Jefe").of("what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c7");
    }

    @Test
    void sparkColumnEqualsTheReference() {
        assertColumnMatchesReference(StudentIds.withKey("Jefe"));
        assertColumnMatchesReference(StudentIds.withKey(StudentIds.DEMO_KEY));
        // Keys of exactly one block (64 bytes), longer than a block (hashed first), and non-ASCII (UTF-8 bytes).
        assertColumnMatchesReference(StudentIds.withKey("k".repeat(64)));
        assertColumnMatchesReference(StudentIds.withKey("a-long-key-".repeat(12)));
        assertColumnMatchesReference(StudentIds.withKey("Қазақстан-кілті-ӘҒҚҢӨҰҮҺІ"));
    }

    @Test
    void differentKeysGiveDifferentIdsAndTheFingerprintIsNotTheKey() {
        StudentIds a = StudentIds.withKey("key-a");
        StudentIds b = StudentIds.withKey("key-b");
        assertThat(a.of("080315501236")).isNotEqualTo(b.of("080315501236"));
        assertThat(a.of("080315501236")).isNotEqualTo(a.of("950101300125"));
        assertThat(a.keyFingerprint()).hasSize(12).isNotEqualTo(b.keyFingerprint()).doesNotContain("key-a");
        assertThat(a.usesDemoKey()).isFalse();
    }
}
