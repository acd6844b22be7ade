package kz.baga.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kz.baga.jobs.SparkTestBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Class rankings (docs/rules.md §5): by average mark, ties broken by average total %, competition ranking (1, 2, 2,
 * 4), class size, percentile = 100·(size − rank)/(size − 1) (100 in a class of one), per subject and ALL, per
 * term and for the year (term 0, from annual marks and the mean of the year's term totals).
 */
class ClassRankingsTest extends SparkTestBase {

    private static final String Y = "2025-2026";
    private static Dataset<Row> rankings;

    @BeforeAll
    static void computeOnce() {
        String ddl = "student_id string, academic_year string, term int, subject_code string, school_id string,"
                + " class_label string, grade_level int, mark int, total_pct decimal(9,4)";
        Dataset<Row> termGrades = df(ddl,
                // S1 10А, term 1.      MATH        PHYS       → ALL: avg mark, avg %
                row("A", Y, 1, "MATH", "S1", "10А", 10, 5, dec("90")),  // A: 5 (90), 5 (88) → 5.0, 89
                row("A", Y, 1, "PHYS", "S1", "10А", 10, 5, dec("88")),
                row("B", Y, 1, "MATH", "S1", "10А", 10, 4, dec("80")),  // B: 4 (80), 5 (86) → 4.5, 83
                row("B", Y, 1, "PHYS", "S1", "10А", 10, 5, dec("86")),
                row("C", Y, 1, "MATH", "S1", "10А", 10, 4, dec("80")),  // C: 4 (80), 5 (90) → 4.5, 85
                row("C", Y, 1, "PHYS", "S1", "10А", 10, 5, dec("90")),
                row("D", Y, 1, "MATH", "S1", "10А", 10, 3, dec("60")),  // D: 3 (60), 4 (70) → 3.5, 65
                row("D", Y, 1, "PHYS", "S1", "10А", 10, 4, dec("70")),
                row("A", Y, 2, "MATH", "S1", "10А", 10, 5, dec("94")),  // term 2 so far: only A
                row("E", Y, 1, "MATH", "S1", "10Б", 10, 4, dec("75")),  // a class of one
                row("F", Y, 1, "MATH", "S1", "9А", 9, 5, null),         // imported mark, no total: after G
                row("G", Y, 1, "MATH", "S1", "9А", 9, 5, dec("95")),
                row("H", Y, 1, "MATH", "S2", "10А", 10, 2, dec("30")),  // same label, other school
                row("X", Y, 1, "MATH", "S1", null, 10, 5, dec("99")));  // no class: not ranked
        Dataset<Row> annual = df("student_id string, subject_code string, academic_year string, mark int,"
                        + " school_id string, class_label string, grade_level int",
                row("A", "MATH", Y, 5, "S1", "10А", 10),   // year %: MATH (90 + 94)/2 = 92, PHYS 88 → ALL 5.0, 90
                row("A", "PHYS", Y, 5, "S1", "10А", 10),
                row("B", "MATH", Y, 4, "S1", "10А", 10),   // MATH 80, PHYS 86 → 4.5, 83
                row("B", "PHYS", Y, 5, "S1", "10А", 10),
                row("C", "MATH", Y, 4, "S1", "10А", 10),   // MATH 80, PHYS 90 → 4.5, 85
                row("C", "PHYS", Y, 5, "S1", "10А", 10),
                row("D", "MATH", Y, 4, "S1", "10А", 10),   // MATH 60, PHYS 70 → 4.0, 65
                row("D", "PHYS", Y, 4, "S1", "10А", 10));
        rankings = ClassRankings.build(termGrades, annual).cache();
        rankings.createOrReplaceTempView("rankings");
    }

    private static List<Row> ranked(String school, String classLabel, int term, String subject) {
        return rows(rankings.where(String.format("school_id = '%s' and class_label = '%s' and term = %d"
                        + " and subject_code = '%s'", school, classLabel, term, subject)),
                "rank", "student_id", "avg_mark", "avg_pct", "class_size", "percentile");
    }

    @Test
    void tiesShareARankAndTheNextRankIsSkipped() {
        // MATH term 1: A 5; B and C 4 with 80 % both — a true tie; D 3. Percentiles 3/3, 2/3, 2/3, 0/3.
        assertThat(ranked("S1", "10А", 1, "MATH")).containsExactly(
                row(1, "A", dec("5.0000"), dec("90.0000"), 4, dec("100.0")),
                row(2, "B", dec("4.0000"), dec("80.0000"), 4, dec("66.7")),
                row(2, "C", dec("4.0000"), dec("80.0000"), 4, dec("66.7")),
                row(4, "D", dec("3.0000"), dec("60.0000"), 4, dec("0.0")));
    }

    @Test
    void equalMarksAreOrderedByTotalPercent() {
        // PHYS term 1: three 5s ordered by % (C 90, A 88, B 86), then D.
        assertThat(ranked("S1", "10А", 1, "PHYS")).containsExactly(
                row(1, "C", dec("5.0000"), dec("90.0000"), 4, dec("100.0")),
                row(2, "A", dec("5.0000"), dec("88.0000"), 4, dec("66.7")),
                row(3, "B", dec("5.0000"), dec("86.0000"), 4, dec("33.3")),
                row(4, "D", dec("4.0000"), dec("70.0000"), 4, dec("0.0")));
        // An imported mark without a total ranks after an equal mark with one.
        assertThat(ranked("S1", "9А", 1, "MATH")).containsExactly(
                row(1, "G", dec("5.0000"), dec("95.0000"), 2, dec("100.0")),
                row(2, "F", dec("5.0000"), null, 2, dec("0.0")));
    }

    @Test
    void overallRankingAveragesAcrossSubjects() {
        // B and C both average 4.5; C's 85 % beats B's 83 %.
        assertThat(ranked("S1", "10А", 1, "ALL")).containsExactly(
                row(1, "A", dec("5.0000"), dec("89.0000"), 4, dec("100.0")),
                row(2, "C", dec("4.5000"), dec("85.0000"), 4, dec("66.7")),
                row(3, "B", dec("4.5000"), dec("83.0000"), 4, dec("33.3")),
                row(4, "D", dec("3.5000"), dec("65.0000"), 4, dec("0.0")));
        // Class averages: (5 + 4.5 + 4.5 + 3.5)/4 = 4.375; (89 + 85 + 83 + 65)/4 = 80.5.
        assertThat(sql("SELECT DISTINCT class_avg_mark, class_avg_pct FROM rankings WHERE school_id = 'S1'"
                + " AND class_label = '10А' AND term = 1 AND subject_code = 'ALL'"))
                .containsExactly(row(dec("4.3750"), dec("80.5000")));
    }

    @Test
    void classesAreSeparateAndAClassOfOneIsAtTheTop() {
        assertThat(ranked("S1", "10Б", 1, "MATH")).containsExactly(
                row(1, "E", dec("4.0000"), dec("75.0000"), 1, dec("100.0")));
        assertThat(ranked("S2", "10А", 1, "MATH")).containsExactly(
                row(1, "H", dec("2.0000"), dec("30.0000"), 1, dec("100.0")));
        assertThat(ranked("S1", "10А", 2, "MATH")).containsExactly(
                row(1, "A", dec("5.0000"), dec("94.0000"), 1, dec("100.0")));
        assertThat(rankings.where("student_id = 'X'").count()).isZero();
    }

    @Test
    void theYearsPercentAcrossSubjectsIsRoundedOnceFromExactMeans() {
        // Four subjects, three terms each: exact year means 25, 25.0000333…, 25.0000333…, 25.0001333…; their mean is
        // 25.00005 exactly → 25.0001. Cutting each mean at 8 decimals first gives 25.0000499975 → 25.0000.
        String ddl = "student_id string, academic_year string, term int, subject_code string, school_id string,"
                + " class_label string, grade_level int, mark int, total_pct decimal(9,4)";
        String[][] totals = {{"S1", "25", "25", "25"}, {"S2", "25", "25", "25.0001"}, {"S3", "25", "25", "25.0001"},
                {"S4", "25.0001", "25.0001", "25.0002"}};
        java.util.List<Row> terms = new java.util.ArrayList<>();
        java.util.List<Row> annual = new java.util.ArrayList<>();
        for (String[] t : totals) {
            for (int term = 1; term <= 3; term++) {
                terms.add(row("R", Y, term, t[0], "S9", "11А", 11, 2, dec(t[term])));
            }
            annual.add(row("R", t[0], Y, 2, "S9", "11А", 11));
        }
        Dataset<Row> year = ClassRankings.build(df(ddl, terms.toArray(Row[]::new)),
                df("student_id string, subject_code string, academic_year string, mark int, school_id string,"
                        + " class_label string, grade_level int", annual.toArray(Row[]::new)))
                .where("term = 0");
        assertThat(rows(year.where("subject_code = 'ALL'"), "avg_mark", "avg_pct"))
                .containsExactly(row(dec("2.0000"), dec("25.0001")));
        assertThat(rows(year.where("subject_code in ('S2', 'S4')").orderBy("subject_code"), "avg_pct"))
                .containsExactly(row(dec("25.0000")), row(dec("25.0001")));
    }

    @Test
    void yearRankingsFromAnnualMarks() {
        // Year MATH: A 5 (92 %), B and C 4 (80 %) tie, D 4 (60 %).
        assertThat(ranked("S1", "10А", 0, "MATH")).containsExactly(
                row(1, "A", dec("5.0000"), dec("92.0000"), 4, dec("100.0")),
                row(2, "B", dec("4.0000"), dec("80.0000"), 4, dec("66.7")),
                row(2, "C", dec("4.0000"), dec("80.0000"), 4, dec("66.7")),
                row(4, "D", dec("4.0000"), dec("60.0000"), 4, dec("0.0")));
        assertThat(ranked("S1", "10А", 0, "ALL")).containsExactly(
                row(1, "A", dec("5.0000"), dec("90.0000"), 4, dec("100.0")),
                row(2, "C", dec("4.5000"), dec("85.0000"), 4, dec("66.7")),
                row(3, "B", dec("4.5000"), dec("83.0000"), 4, dec("33.3")),
                row(4, "D", dec("4.0000"), dec("65.0000"), 4, dec("0.0")));
    }

    @Test
    void contractColumnsAndRowCount() {
        assertThat(rankings.columns()).containsExactlyElementsOf(kz.baga.contract.Table.CLASS_RANKINGS.columnNames());
        // term 1: 10А 4×(MATH, PHYS, ALL) = 12, 10Б 2, 9А 4, S2 2; term 2: A MATH + ALL = 2; year: 4×3 = 12.
        assertThat(rankings.count()).isEqualTo(34);
    }
}
