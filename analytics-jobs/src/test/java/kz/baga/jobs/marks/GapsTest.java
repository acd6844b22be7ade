package kz.baga.jobs.marks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kz.baga.jobs.SparkTestBase;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GAP findings (docs/pipeline.md, "Warehouse"): a term with no mark while a later term has one (quarters 1–4,
 * half-year terms 2 and 4), and a year of the history from grade 5 on with no marks at all — a year known only by
 * annual marks is complete. Also {@link Placement}, which says which years a pupil has marks in.
 */
class GapsTest extends SparkTestBase {

    private static final String YEAR = "2025-2026";
    private static List<Row> termGaps;
    private static List<Row> yearGaps;
    private static List<Row> placement;

    @BeforeAll
    static void computeOnce() {
        Dataset<Row> subjects = df("subject_code string, assessment string",
                row("MATH", "QUARTER"), row("ART", "HALF_YEAR"));
        String ddl = "student_id string, subject_code string, academic_year string, term int, school_id string,"
                + " class_label string";
        Dataset<Row> termGrades = df(ddl,
                row("q134", "MATH", YEAR, 1, "S1", "10А"),   // term 2 missing while 3, 4 have marks → GAP 2
                row("q134", "MATH", YEAR, 3, "S1", "10А"),
                row("q134", "MATH", YEAR, 4, "S1", "10А"),
                row("q12", "MATH", YEAR, 1, "S1", "10А"),    // terms 3, 4 not yet marked: no gap after the last
                row("q12", "MATH", YEAR, 2, "S1", "10А"),
                row("q34", "MATH", YEAR, 3, "S1", "10А"),    // terms 1 and 2 missing → two GAPs
                row("q34", "MATH", YEAR, 4, "S1", "10А"),
                row("h4", "ART", YEAR, 4, "S1", "10А"),      // half-year, only term 4 → GAP 2
                row("h24", "ART", YEAR, 2, "S1", "10А"),     // half-year, both terms → none
                row("h24", "ART", YEAR, 4, "S1", "10А"),
                row("h2", "ART", YEAR, 2, "S1", "10А"));     // half-year, term 2 so far → none
        termGaps = rows(Gaps.termGaps(termGrades, subjects), "student_id", "subject_code", "academic_year", "term",
                "issue", "detail", "school_id", "class_label");

        // Directory of the current year; history comes from events.
        Dataset<Row> directory = df("student_id string, school_id string, class_label string, grade_level int,"
                        + " academic_year string",
                row("y8", "S1", "8А", 8, YEAR),
                row("y6", "S1", "6Б", 6, YEAR),
                row("y5", "S1", "5А", 5, YEAR),
                row("y4", "S1", "4А", 4, YEAR));
        Dataset<Row> events = events(
                // y8: grade 8 now, grade 7 in 2024-2025, nothing in 2023-2024 (grade 6), annual marks only in
                // 2022-2023 (grade 5), something in 2020-2021 (grade 3, before the history counts).
                event("y8", "MATH", 1, "FO", "8", "10").cls("8Ә").grade(8),
                event("y8", "MATH", 1, "FO", "8", "10").year("2024-2025").date("2024-10-01").cls("7А").grade(7),
                event("y8", "MATH", 4, "YEAR", "5", "5").year("2022-2023").date("2023-05-25").cls("5В").grade(5)
                        .source("oldplatform"),
                event("y8", "MATH", 4, "YEAR", "5", "5").year("2020-2021").date("2021-05-25").cls("3А").grade(3),
                // y6: last year known only by its annual marks → complete.
                event("y6", "MATH", 1, "SOR", "12", "15").cls("6Б").grade(6),
                event("y6", "MATH", 4, "YEAR", "4", "5").year("2024-2025").date("2025-05-25").cls("5Б").grade(5),
                // y4: grade 4, nothing at all — the history counts from grade 5.
                // y5: grade 5, nothing at all this year.
                event("nobody", "MATH", 1, "FO", "8", "10"));
        Dataset<Row> placed = Placement.of(events, directory);
        placement = rows(placed, "student_id", "academic_year", "school_id", "class_label", "grade_level");
        yearGaps = rows(Gaps.yearGaps(directory, placed, Rules.defaults()), "student_id", "subject_code",
                "academic_year", "term", "issue", "detail", "school_id", "class_label");
    }

    @Test
    void termGaps() {
        assertThat(termGaps).containsExactly(
                row("h4", "ART", YEAR, 2, "GAP", "no mark for term 2 while term 4 has one", "S1", "10А"),
                row("q134", "MATH", YEAR, 2, "GAP", "no mark for term 2 while term 4 has one", "S1", "10А"),
                row("q34", "MATH", YEAR, 1, "GAP", "no mark for term 1 while term 4 has one", "S1", "10А"),
                row("q34", "MATH", YEAR, 2, "GAP", "no mark for term 2 while term 4 has one", "S1", "10А"));
    }

    @Test
    void yearGapsFromGradeFiveOnAndAnnualOnlyYearsAreComplete() {
        // y8: 2023-2024 (grade 6) has nothing; 2022-2023 has annual marks only → complete.
        // y5: grade 5 this year, nothing at all → the current year itself is a gap.
        // y6: 2024-2025 (grade 5) known only by a YEAR mark → no gap. y4: below grade 5 → nothing expected.
        assertThat(yearGaps).containsExactly(
                row("y5", "ALL", YEAR, 0, "GAP", "no marks at all for 2025-2026 (grade 5)", "S1", "5А"),
                row("y8", "ALL", "2023-2024", 0, "GAP", "no marks at all for 2023-2024 (grade 6)", "S1", "8А"));
    }

    @Test
    void placementTakesTheDirectoryForItsYearAndEventsForOthers() {
        assertThat(placement).containsExactly(
                row("nobody", YEAR, "S1", "10А", 10),
                row("y6", "2024-2025", "S1", "5Б", 5),
                row("y6", YEAR, "S1", "6Б", 6),
                row("y8", "2020-2021", "S1", "3А", 3),
                row("y8", "2022-2023", "S1", "5В", 5),
                row("y8", "2024-2025", "S1", "7А", 7),
                row("y8", YEAR, "S1", "8А", 8));
    }
}
