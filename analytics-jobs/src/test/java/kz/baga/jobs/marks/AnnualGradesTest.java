package kz.baga.jobs.marks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kz.baga.jobs.SparkTestBase;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Annual and final marks (docs/rules.md §3): the mean of the term marks rounded half-up (4.5 → 5), an imported
 * {@code YEAR} mark standing with a year-level CONFLICT when the terms say otherwise, the exam mark beside it and
 * the final mark by the rules' policy.
 */
class AnnualGradesTest extends SparkTestBase {

    private static final String YEAR = "2025-2026";
    private static final String TERMS = "student_id string, subject_code string, academic_year string, term int,"
            + " mark int";
    private static Map<String, Row> annual;
    private static Map<String, Row> meanPolicy;
    private static Map<String, Row> conflicts;

    @BeforeAll
    static void computeOnce() {
        List<Row> terms = new ArrayList<>();
        quarters(terms, "a5454", 5, 4, 5, 4);   // 18/4 = 4.5 → 5
        quarters(terms, "a4445", 4, 4, 4, 5);   // 17/4 = 4.25 → 4
        quarters(terms, "a3322", 3, 3, 2, 2);   // 10/4 = 2.5 → 3
        quarters(terms, "a2223", 2, 2, 2, 3);   //  9/4 = 2.25 → 2
        terms.add(row("half", "ART", YEAR, 2, 4)); // half-year: (4 + 5)/2 = 4.5 → 5
        terms.add(row("half", "ART", YEAR, 4, 5));
        terms.add(row("mid-year", "MATH", YEAR, 1, 5)); // terms so far: (5 + 4)/2 = 4.5 → 5, from 2 terms
        terms.add(row("mid-year", "MATH", YEAR, 2, 4));
        quarters(terms, "year-conflict", 5, 5, 4, 4); // 4.5 → 5, but the certified YEAR mark is 4
        quarters(terms, "exam5", 5, 5, 5, 5);
        quarters(terms, "exam3", 5, 5, 5, 5);
        quarters(terms, "exam-up", 4, 4, 4, 4);

        Dataset<Row> events = events(
                event("year-conflict", "MATH", 4, "YEAR", "4", "5").source("oldplatform"),
                // History from a previous platform: only the annual mark of 2023-2024 is known.
                event("history", "MATH", 4, "YEAR", "5", "5").source("oldplatform").year("2023-2024")
                        .date("2024-05-25").grade(8).cls("8А"),
                // Two sources disagree on an annual mark: the later recorded (kundelik, 4) stands.
                event("year-2src", "MATH", 4, "YEAR", "5", "5").source("bilimclass").recorded("2026-05-20T10:00:00"),
                event("year-2src", "MATH", 4, "YEAR", "4", "5").source("kundelik").recorded("2026-05-28T10:00:00"),
                event("exam5", "MATH", 4, "EXAM", "4", "5"),
                event("exam3", "MATH", 4, "EXAM", "3", "5"),
                event("exam-up", "MATH", 4, "EXAM", "5", "5"),
                // Term-level kinds are not annual marks.
                event("a5454", "MATH", 1, "TERM", "2", "5"),
                event("a5454", "MATH", 1, "FO", "2", "10"));
        List<Row> places = new ArrayList<>();
        for (String s : List.of("a5454", "a4445", "a3322", "a2223", "half", "mid-year", "year-conflict", "year-2src",
                "exam5", "exam3", "exam-up")) {
            places.add(row(s, YEAR, "S1", "10А", 10));
        }
        places.add(row("history", "2023-2024", "S1", "8А", 8));
        Dataset<Row> placement = df("student_id string, academic_year string, school_id string, class_label string,"
                + " grade_level int", places);
        Dataset<Row> termGrades = df(TERMS, terms);

        Dataset<Row> full = AnnualGrades.build(termGrades, events, placement, Rules.defaults()).cache();
        annual = byKey(AnnualGrades.table(full));
        conflicts = byKey(AnnualGrades.conflicts(full));
        meanPolicy = byKey(AnnualGrades.table(AnnualGrades.build(termGrades, events, placement,
                rulesWith("\"finalMark\": \"ANNUAL\"", "\"finalMark\": \"MEAN_OF_ANNUAL_AND_EXAM\""))));
    }

    private static void quarters(List<Row> out, String student, int... marks) {
        for (int t = 1; t <= marks.length; t++) {
            out.add(row(student, "MATH", YEAR, t, marks[t - 1]));
        }
    }

    private static Map<String, Row> byKey(Dataset<Row> data) {
        return byKey(data, "student_id", "subject_code", "academic_year");
    }

    /** The row of {@code student} and {@code subject} in the current year. */
    private static Row get(Map<String, Row> rows, String student, String subject) {
        return get(rows, student, subject, YEAR);
    }

    private static void assertAnnual(Row r, int mark, String source, Integer computed, Integer termCount) {
        assertThat(r.<Integer>getAs("mark")).as("mark").isEqualTo(mark);
        assertThat(r.<String>getAs("mark_source")).as("mark_source").isEqualTo(source);
        assertThat(r.<Integer>getAs("computed_mark")).as("computed_mark").isEqualTo(computed);
        assertThat(r.<Integer>getAs("term_count")).as("term_count").isEqualTo(termCount);
    }

    @Test
    void meanOfTermMarksRoundedHalfUp() {
        assertAnnual(get(annual, "a5454", "MATH"), 5, "COMPUTED", 5, 4);
        assertAnnual(get(annual, "a4445", "MATH"), 4, "COMPUTED", 4, 4);
        assertAnnual(get(annual, "a3322", "MATH"), 3, "COMPUTED", 3, 4);
        assertAnnual(get(annual, "a2223", "MATH"), 2, "COMPUTED", 2, 4);
        assertAnnual(get(annual, "mid-year", "MATH"), 5, "COMPUTED", 5, 2);
    }

    @Test
    void halfYearSubjectHasTwoTerms() {
        assertAnnual(get(annual, "half", "ART"), 5, "COMPUTED", 5, 2);
    }

    @Test
    void placementComesFromThePupilsYear() {
        Row r = get(annual, "a5454", "MATH");
        assertThat(r.<String>getAs("school_id")).isEqualTo("S1");
        assertThat(r.<String>getAs("class_label")).isEqualTo("10А");
        assertThat(r.<Integer>getAs("grade_level")).isEqualTo(10);
        Row h = get(annual, "history", "MATH", "2023-2024");
        assertThat(h.<String>getAs("class_label")).isEqualTo("8А");
        assertThat(h.<Integer>getAs("grade_level")).isEqualTo(8);
    }

    @Test
    void importedYearMarkStandsAndAConflictIsReported() {
        assertAnnual(get(annual, "year-conflict", "MATH"), 4, "IMPORTED", 5, 4);
        Row c = get(conflicts, "year-conflict", "MATH");
        assertThat(c.<Integer>getAs("term")).isZero();
        assertThat(c.<String>getAs("issue")).isEqualTo("CONFLICT");
        assertThat(c.<String>getAs("detail"))
                .isEqualTo("certified annual mark 4 (oldplatform) stands; the term marks give 5");
        assertThat(c.<String>getAs("school_id")).isEqualTo("S1");
    }

    @Test
    void yearKnownOnlyByItsAnnualMark() {
        Row h = get(annual, "history", "MATH", "2023-2024");
        assertAnnual(h, 5, "IMPORTED", null, null);
        assertThat(h.<Integer>getAs("final_mark")).isEqualTo(5);
        assertThat(conflicts).doesNotContainKey("history/MATH/2023-2024");
    }

    @Test
    void sourcesDisagreeingOnTheAnnualMark() {
        assertAnnual(get(annual, "year-2src", "MATH"), 4, "IMPORTED", null, null);
        assertThat(get(conflicts, "year-2src", "MATH").<String>getAs("detail")).isEqualTo(
                "sources disagree on the annual mark: bilimclass=5, kundelik=4; the latest (kundelik) stands");
        assertThat(conflicts.keySet()).containsExactlyInAnyOrder("year-conflict/MATH/" + YEAR,
                "year-2src/MATH/" + YEAR);
    }

    @Test
    void examMarkBesideAndFinalMarkIsTheAnnualUnderPolicyAnnual() {
        Row e = get(annual, "exam3", "MATH");
        assertThat(e.<Integer>getAs("mark")).isEqualTo(5);
        assertThat(e.<Integer>getAs("exam_mark")).isEqualTo(3);
        assertThat(e.<Integer>getAs("final_mark")).isEqualTo(5);
        assertThat(get(annual, "exam5", "MATH").<Integer>getAs("final_mark")).isEqualTo(5);
        Row up = get(annual, "exam-up", "MATH");
        assertThat(up.<Integer>getAs("exam_mark")).isEqualTo(5);
        assertThat(up.<Integer>getAs("final_mark")).isEqualTo(4);
        Row none = get(annual, "a4445", "MATH");
        assertThat(none.<Object>getAs("exam_mark")).isNull();
        assertThat(none.<Integer>getAs("final_mark")).isEqualTo(4);
    }

    @Test
    void finalMarkAsMeanOfAnnualAndExamWhenTheRulesSaySo() {
        // (5 + 4)/2 = 4.5 → 5;  (5 + 3)/2 = 4;  (4 + 5)/2 = 4.5 → 5;  no exam → the annual mark.
        assertThat(get(meanPolicy, "exam5", "MATH").<Integer>getAs("final_mark")).isEqualTo(5);
        assertThat(get(meanPolicy, "exam3", "MATH").<Integer>getAs("final_mark")).isEqualTo(4);
        assertThat(get(meanPolicy, "exam-up", "MATH").<Integer>getAs("final_mark")).isEqualTo(5);
        assertThat(get(meanPolicy, "a4445", "MATH").<Integer>getAs("final_mark")).isEqualTo(4);
        assertThat(get(meanPolicy, "exam3", "MATH").<Integer>getAs("mark")).isEqualTo(5);
    }

    @Test
    void oneRowPerPupilSubjectAndYear() {
        // 11 pupils of this year + the 2023-2024 history row.
        assertThat(annual).hasSize(12);
    }
}
