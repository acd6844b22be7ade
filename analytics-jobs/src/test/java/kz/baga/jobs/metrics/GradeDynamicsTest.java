package kz.baga.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kz.baga.jobs.SparkTestBase;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Grade dynamics: per pupil, subject and month (or ISO week), the mean % of the pupil's ФО/СОР/СОЧ works and the
 * class's mean of its pupils' means.
 */
class GradeDynamicsTest extends SparkTestBase {

    private static final String Y = "2025-2026";
    private static List<Row> monthly;
    private static List<Row> weekly;

    @BeforeAll
    static void computeOnce() {
        Dataset<Row> events = events(
                event("A", "MATH", 1, "FO", "8", "10").date("2025-09-05"),    // 80 %
                event("A", "MATH", 1, "SOR", "9", "15").date("2025-09-20"),   // 60 %  → September: 70 %, 2 works
                event("A", "MATH", 1, "SOCH", "18", "25").date("2025-10-20"), // 72 %  → October: 72 %
                event("A", "MATH", 1, "TERM", "4", "5").date("2025-10-30"),   // a mark, not a work: ignored
                event("A", "PHYS", 1, "FO", "7", "10").date("2025-09-03"),    // 70 %
                event("B", "MATH", 1, "FO", "10", "10").date("2025-09-10"),   // 100 %
                event("C", "MATH", 1, "SOR", "12.5", "15").date("2025-09-12")); // 83.3333 %, class 10Б
        Dataset<Row> placement = df("student_id string, academic_year string, school_id string, class_label string,"
                        + " grade_level int",
                row("A", Y, "S1", "10А", 10), row("B", Y, "S1", "10А", 10), row("C", Y, "S1", "10Б", 10));
        String[] cols = {"student_id", "subject_code", "cast(period_start as string)", "avg_pct", "class_avg_pct",
                "events", "school_id", "class_label"};
        monthly = rows(GradeDynamics.build(events, placement, Rules.defaults()), cols);
        weekly = rows(GradeDynamics.build(events, placement, rulesWith("\"period\": \"month\"", "\"period\": \"week\"")),
                cols);
    }

    @Test
    void monthlyPupilAndClassAverages() {
        // 10А MATH September: A 70, B 100 → class (70 + 100)/2 = 85 (each pupil once; by works it would be 80).
        assertThat(monthly).containsExactly(
                row("A", "MATH", "2025-09-01", dec("70.0000"), dec("85.0000"), 2, "S1", "10А"),
                row("A", "MATH", "2025-10-01", dec("72.0000"), dec("72.0000"), 1, "S1", "10А"),
                row("A", "PHYS", "2025-09-01", dec("70.0000"), dec("70.0000"), 1, "S1", "10А"),
                row("B", "MATH", "2025-09-01", dec("100.0000"), dec("85.0000"), 1, "S1", "10А"),
                row("C", "MATH", "2025-09-01", dec("83.3333"), dec("83.3333"), 1, "S1", "10Б"));
    }

    @Test
    void weeklyBucketsStartOnMonday() {
        // 05.09 (Fri) → 01.09; 20.09 (Sat) → 15.09; 20.10 (Mon) → 20.10; 03.09 (Wed) → 01.09; 10.09 and 12.09 → 08.09.
        assertThat(weekly).containsExactly(
                row("A", "MATH", "2025-09-01", dec("80.0000"), dec("80.0000"), 1, "S1", "10А"),
                row("A", "MATH", "2025-09-15", dec("60.0000"), dec("60.0000"), 1, "S1", "10А"),
                row("A", "MATH", "2025-10-20", dec("72.0000"), dec("72.0000"), 1, "S1", "10А"),
                row("A", "PHYS", "2025-09-01", dec("70.0000"), dec("70.0000"), 1, "S1", "10А"),
                row("B", "MATH", "2025-09-08", dec("100.0000"), dec("100.0000"), 1, "S1", "10А"),
                row("C", "MATH", "2025-09-08", dec("83.3333"), dec("83.3333"), 1, "S1", "10Б"));
    }

    @Test
    void sourcesNameThePlatformsOfThePeriodsWorks() {
        // December on the old platform, plus one work re-entered on the new one; January on the new one only.
        Dataset<Row> events = events(
                event("H", "MATH", 2, "FO", "8", "10").date("2025-12-01"),
                event("H", "MATH", 2, "SOR", "9", "15").date("2025-12-10"),
                event("H", "MATH", 2, "SOR", "9", "15").date("2025-12-10").source("bilimclass"),
                event("H", "MATH", 2, "TERM", "4", "5").date("2025-12-26").source("other"),   // not a work
                event("H", "MATH", 3, "FO", "6", "10").date("2026-01-12").source("bilimclass"),
                event("H", "MATH", 3, "FO", "7", "10").date("2026-01-19").source("bilimclass"),
                event("H", "PHYS", 1, "FO", "7", "10").date("2025-10-03"));
        Dataset<Row> placement = df("student_id string, academic_year string, school_id string, class_label string,"
                + " grade_level int", row("H", Y, "S1", "11А", 11));
        assertThat(rows(GradeDynamics.build(events, placement, Rules.defaults()), "subject_code",
                "cast(period_start as string)", "events", "sources"))
                .containsExactly(row("MATH", "2025-12-01", 3, "bilimclass,kundelik"),
                        row("MATH", "2026-01-01", 2, "bilimclass"),
                        row("PHYS", "2025-10-01", 1, "kundelik"));
    }

    @Test
    void meanIsRoundedHalfUpOnceAndLargeScoresStayExact() {
        Dataset<Row> events = events(
                // 1/128 = 0.78125 % → 0.7813 (half-up; half-even would give 0.7812)
                event("D", "MATH", 1, "SOR", "1", "128").date("2025-09-02"),
                // 1/3 and 2/3: 33.33…% + 66.66…% → the mean is exactly 50, not 49.9999
                event("E", "MATH", 1, "FO", "1", "3").date("2025-09-02"),
                event("E", "MATH", 1, "FO", "2", "3").date("2025-09-03"),
                // 100 % and 1/128: (100 + 0.78125) / 2 = 50.390625 → 50.3906
                event("F", "MATH", 1, "SOCH", "25", "25").date("2025-09-02"),
                event("F", "MATH", 1, "SOR", "1", "128").date("2025-09-09"),
                // scores beyond 64-bit products (×10¹²) take the wide path: 123456.78 / 250000 = 49.382712 %
                event("G", "MATH", 1, "SOR", "123456.78", "250000").date("2025-09-02"));
        Dataset<Row> placement = df("student_id string, academic_year string, school_id string, class_label string,"
                        + " grade_level int",
                row("D", Y, "S1", "5А", 5), row("E", Y, "S1", "5Б", 5), row("F", Y, "S1", "5В", 5),
                row("G", Y, "S1", "5Г", 5));
        assertThat(rows(GradeDynamics.build(events, placement, Rules.defaults()), "student_id", "avg_pct", "events"))
                .containsExactly(row("D", dec("0.7813"), 1), row("E", dec("50.0000"), 2), row("F", dec("50.3906"), 2),
                        row("G", dec("49.3827"), 1));
    }
}
