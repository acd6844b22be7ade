package kz.baga.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import kz.baga.jobs.SparkTestBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An event delivered more than once: the copy recorded last stands (a copy without {@code recorded_at} never wins;
 * on a tie the later file, then line), the others are merged and counted, and each such event is one finding.
 */
class DuplicatesTest extends SparkTestBase {

    static final String ACCEPTED = "key_hash bigint, source string, event_id string, recorded_at timestamp,"
            + " file string, line bigint, student_id string, subject_code string, academic_year string, term int,"
            + " score decimal(9,2), school_id string, class_label string";

    static Duplicates duplicates;

    static Row copy(long hash, String source, String id, String recorded, String file, long line, String score) {
        return row(hash, source, id, recorded == null ? null : ts(recorded), file, line, "p1", "MATH", "2025-2026", 1,
                dec(score), "S1", "10А");
    }

    @BeforeAll
    static void resolve() {
        Dataset<Row> accepted = df(ACCEPTED,
                copy(1, "kundelik", "e1", "2025-10-01T10:00:00", "k.csv", 2, "7"),
                copy(1, "kundelik", "e1", "2025-10-01T12:00:00", "k.csv", 3, "9"),
                copy(1, "kundelik", "e1", null, "k.csv", 4, "5"),
                copy(2, "kundelik", "e2", "2025-10-02T08:00:00", "a.csv", 3, "6"),
                copy(2, "kundelik", "e2", "2025-10-02T08:00:00", "b.csv", 2, "8"),
                // the same hash as kundelik's e1 (a collision), but a single copy of its own event
                copy(1, "bilimclass", "e1", "2025-10-01T09:00:00", "b.csv", 5, "4"),
                copy(3, "bilimclass", "e3", "2025-10-03T09:00:00", "b.csv", 6, "10"));
        duplicates = Duplicates.resolve(accepted, false);
    }

    @Test
    void theCopyRecordedLastStands() {
        assertThat(rows(duplicates.kept(), "source", "event_id", "file", "line", "cast(score as string)"))
                .containsExactly(row("bilimclass", "e1", "b.csv", 5L, "4.00"),
                        row("bilimclass", "e3", "b.csv", 6L, "10.00"),
                        row("kundelik", "e1", "k.csv", 3L, "9.00"),
                        row("kundelik", "e2", "b.csv", 2L, "8.00"));
    }

    @Test
    void theOtherCopiesAreCountedAsMergedPerSource() {
        assertThat(Duplicates.mergedBySource(duplicates.repeated())).isEqualTo(Map.of("kundelik", 3L));
    }

    @Test
    void eachRepeatedEventIsOneFinding() {
        assertThat(rows(Duplicates.findings(duplicates.repeated()), "issue", "detail", "student_id", "school_id"))
                .containsExactly(
                        row("DUPLICATE", "kundelik event e1 delivered 3 times; kept the version recorded at"
                                + " 2025-10-01 12:00:00 (score 9.00)", "p1", "S1"),
                        row("DUPLICATE", "kundelik event e2 delivered 2 times; kept the version recorded at"
                                + " 2025-10-02 08:00:00 (score 8.00)", "p1", "S1"));
    }

    @Test
    void databaseCopiesShareTheirPlaceButOneStillStands() {
        // a database's rows all have line 0 in one "file": a correction, and a row delivered twice as it was
        Duplicates db = Duplicates.resolve(df(ACCEPTED,
                copy(6, "diary", "m0", "2026-02-10T15:00:00", "jdbc:diary.marks", 0, "5"),
                copy(7, "diary", "m1", "2026-02-10T15:00:00", "jdbc:diary.marks", 0, "9"),
                copy(7, "diary", "m1", "2026-02-12T09:00:00", "jdbc:diary.marks", 0, "4"),
                copy(8, "diary", "m2", "2026-02-10T15:00:00", "jdbc:diary.marks", 0, "8"),
                copy(8, "diary", "m2", "2026-02-10T15:00:00", "jdbc:diary.marks", 0, "8"),
                copy(9, "diary", "m3", "2026-02-10T15:00:00", "jdbc:diary.marks", 0, "6"),
                copy(9, "diary", "m3", "2026-02-10T15:00:00", "jdbc:diary.marks", 0, "7"),
                // a single copy of its own event whose key hash collides with m1's
                copy(7, "other", "x1", "2026-02-10T15:00:00", "jdbc:diary.marks", 0, "3")), true);
        assertThat(rows(db.kept(), "event_id", "cast(score as string)")).hasSize(5)
                .contains(row("m0", "5.00"), row("m1", "4.00"), row("m2", "8.00"), row("x1", "3.00"));
        assertThat(Duplicates.mergedBySource(db.repeated())).isEqualTo(Map.of("diary", 3L));
        // the same winner on every run, whatever order the rows come in
        String m3 = rows(db.kept().where("event_id = 'm3'"), "cast(score as string)").get(0).getString(0);
        Duplicates reversed = Duplicates.resolve(df(ACCEPTED,
                copy(9, "diary", "m3", "2026-02-10T15:00:00", "jdbc:diary.marks", 0, "7"),
                copy(9, "diary", "m3", "2026-02-10T15:00:00", "jdbc:diary.marks", 0, "6")), true);
        assertThat(rows(reversed.kept(), "cast(score as string)")).containsExactly(row(m3));
    }

    @Test
    void withoutRepeatsThereAreNoFindings() {
        Duplicates none = Duplicates.resolve(df(ACCEPTED,
                copy(3, "bilimclass", "e3", "2025-10-03T09:00:00", "b.csv", 6, "10")), false);
        assertThat(none.repeated().count()).isZero();
        assertThat(Duplicates.mergedBySource(none.repeated())).isEmpty();
        assertThat(none.kept().count()).isEqualTo(1);
    }
}
