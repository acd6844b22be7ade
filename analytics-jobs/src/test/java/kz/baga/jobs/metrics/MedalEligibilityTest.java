package kz.baga.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import kz.baga.jobs.SparkTestBase;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Medal and honours status (docs/rules.md §4) on hand-made histories. Current year 2025-2026, current term: the pupil's
 * latest term with marks (2, or 3 for "sunk"). A pupil in grade 11 was in grade 10 in 2024-2025, 9 in 2023-2024, 8 in 2022-2023,
 * 7 in 2021-2022. HONOURS_9 is evaluated in grade 9 (annual marks of grades 5–9), HONOURS_11 in grades 10–11
 * (annual marks of 10–11), ALTYN_BELGI in 10–11 (annual marks of 5–11 and every term mark of 10–11).
 * Priority: LOST > INCOMPLETE > AT_RISK > ON_TRACK; reasons list the deciding category only.
 */
class MedalEligibilityTest extends SparkTestBase {

    private static final String Y = "2025-2026";
    private static final String ALTYN = "ALTYN_BELGI";
    private static final String H11 = "HONOURS_11";
    private static final String H9 = "HONOURS_9";
    private static Map<String, Row> status;

    @BeforeAll
    static void computeOnce() {
        Dataset<Row> directory = df("student_id string, school_id string, class_label string, grade_level int,"
                        + " academic_year string",
                row("on-track", "S1", "11А", 11, Y), row("risk", "S1", "11А", 11, Y), row("risk2", "S1", "11А", 11, Y),
                row("rec", "S1", "11А", 11, Y),
                row("sunk", "S1", "11А", 11, Y), row("hist7", "S1", "11А", 11, Y), row("nine", "S1", "9А", 9, Y),
                row("gap", "S1", "11А", 11, Y), row("gap-risk", "S1", "11А", 11, Y),
                row("lost-all", "S1", "11А", 11, Y), row("final", "S1", "10А", 10, Y), row("g8", "S1", "8А", 8, Y),
                row("term-gap", "S1", "11А", 11, Y), row("certified", "S1", "11А", 11, Y));
        Dataset<Row> termGrades = df("student_id string, subject_code string, academic_year string, term int,"
                        + " mark int, total_pct decimal(9,4), mark_source string, grade_level int",
                row("on-track", "MATH", Y, 1, 5, dec("95"), "COMPUTED", 11),
                row("on-track", "MATH", Y, 2, 5, dec("92"), "COMPUTED", 11),
                // 87.9 % in the current term: still a 5 (≥ 84.5) but below the 88 % margin by 0.1;
                // term 1's 86 % is finished and does not count as a running total.
                row("risk", "MATH", Y, 1, 5, dec("86"), "COMPUTED", 11),
                row("risk", "MATH", Y, 2, 5, dec("87.9"), "COMPUTED", 11),
                // 87.95 % is shown as 87.9 % and 0.1 short (not "88.0 %, 0.1 points below 88 %").
                row("risk2", "MATH", Y, 2, 5, dec("87.95"), "COMPUTED", 11),
                // A 4 in term 1: ALTYN is lost (every term must be 5); for HONOURS_11 the annual mark is 5 at best
                // ((4 + 5 + 5 + 5)/4 = 4.75 → 5) and still with one more 4 ((4 + 4 + 5 + 5)/4 = 4.5 → 5) → ON_TRACK.
                row("rec", "MATH", Y, 1, 4, dec("80"), "COMPUTED", 11),
                row("rec", "MATH", Y, 2, 5, dec("95"), "COMPUTED", 11),
                // Finished 3 and 4, term 3 running at 5: at best (3 + 4 + 5 + 5)/4 = 4.25 → 4 → HONOURS_11 lost
                // too (the running term is taken at its best, 5, whatever its mark so far).
                row("sunk", "MATH", Y, 1, 3, dec("60"), "COMPUTED", 11),
                row("sunk", "MATH", Y, 2, 4, dec("75"), "COMPUTED", 11),
                row("sunk", "MATH", Y, 3, 5, dec("95"), "COMPUTED", 11),
                row("hist7", "MATH", Y, 1, 5, dec("95"), "COMPUTED", 11),
                row("nine", "MATH", Y, 1, 5, dec("95"), "COMPUTED", 9),
                row("gap", "MATH", Y, 1, 5, dec("95"), "COMPUTED", 11),
                row("gap-risk", "MATH", Y, 2, 5, dec("86"), "COMPUTED", 11),
                row("lost-all", "PHYS", Y, 1, 4, dec("70"), "COMPUTED", 11),
                row("lost-all", "MATH", Y, 2, 5, dec("87"), "COMPUTED", 11),
                row("final", "MATH", Y, 1, 5, dec("95"), "COMPUTED", 10),
                row("term-gap", "MATH", Y, 2, 5, dec("95"), "COMPUTED", 11),
                // A certified term mark 5 (computed total 80 % beside it): the term is closed, nothing is running.
                row("certified", "MATH", Y, 2, 5, dec("80"), "IMPORTED", 11));
        Dataset<Row> annual = df("student_id string, subject_code string, academic_year string, grade_level int,"
                        + " mark int, final_mark int, exam_mark int, mark_source string, term_count int",
                row("on-track", "MATH", "2023-2024", 9, 5, 5, 5, "IMPORTED", null),
                row("on-track", "MATH", Y, 11, 5, 5, null, "COMPUTED", 2),
                // Grade 7 annual 4 (history from the old platform): kills ALTYN (needs grades 5–9) but not
                // HONOURS_11 (grades 10–11 only).
                row("hist7", "MATH", "2021-2022", 7, 4, 4, null, "IMPORTED", null),
                // Grade 9 pupil with a computed grade 7 annual 4 in a finished year: HONOURS_9 lost.
                row("nine", "MATH", "2023-2024", 7, 4, 4, null, "COMPUTED", 4),
                // Grade 9 annual 5 but final 4 (exam 3): ALTYN lost, HONOURS_11 untouched.
                row("final", "MATH", "2024-2025", 9, 5, 4, 3, "COMPUTED", 4),
                // The current year's provisional annual mark 4 (from term marks so far) is not a finished mark.
                row("sunk", "MATH", Y, 11, 4, 4, null, "COMPUTED", 2));
        Dataset<Row> gaps = df("student_id string, subject_code string, academic_year string, term int,"
                        + " detail string",
                row("gap", "ALL", "2022-2023", 0, "no marks at all for 2022-2023 (grade 8)"),
                row("gap-risk", "ALL", "2022-2023", 0, "no marks at all for 2022-2023 (grade 8)"),
                row("lost-all", "ALL", "2022-2023", 0, "no marks at all for 2022-2023 (grade 8)"),
                row("term-gap", "MATH", Y, 1, "no mark for term 1 while term 2 has one"));
        Dataset<Row> subjects = df("subject_code string, assessment string",
                row("MATH", "QUARTER"), row("PHYS", "QUARTER"));
        Dataset<Row> result = MedalEligibility.build(directory, termGrades, annual, gaps, subjects, Rules.defaults());
        status = byKey(result, "student_id", "award");
        assertThat(status.values()).allSatisfy(r -> assertThat(r.<String>getAs("academic_year")).isEqualTo(Y));
    }

    private static void assertStatus(String student, String award, String expected, String reasons) {
        Row r = get(status, student, award);
        assertThat(r.<String>getAs("status")).as(student + " " + award).isEqualTo(expected);
        assertThat(r.<String>getAs("reasons")).as(student + " " + award + " reasons").isEqualTo(reasons);
    }

    private static final String ALL_FINE = "every mark so far meets the condition";

    @Test
    void awardsFollowTheCurrentGrade() {
        assertThat(status.keySet()).filteredOn(k -> k.startsWith("nine/")).containsExactly("nine/" + H9);
        assertThat(status.keySet()).filteredOn(k -> k.startsWith("final/"))
                .containsExactlyInAnyOrder("final/" + H11, "final/" + ALTYN);
        assertThat(status.keySet()).noneMatch(k -> k.startsWith("g8/"));
        // 12 pupils in grades 10–11 × 2 awards + 1 in grade 9.
        assertThat(status).hasSize(25);
    }

    @Test
    void onTrack() {
        assertStatus("on-track", ALTYN, "ON_TRACK", ALL_FINE);
        assertStatus("on-track", H11, "ON_TRACK", ALL_FINE);
        assertThat(status.get("on-track/" + ALTYN).<List<?>>getList(
                status.get("on-track/" + ALTYN).fieldIndex("reason_details"))).isEmpty();
    }

    @Test
    void atRiskWhenTheCurrentTermsRunningTotalIsBelowTheMargin() {
        String reason = "MATH term 2: running total 87.9 %, 0.1 points below 88 %";
        assertStatus("risk", ALTYN, "AT_RISK", reason);
        assertStatus("risk", H11, "AT_RISK", reason);
        Row detail = status.get("risk/" + ALTYN).<Row>getList(status.get("risk/" + ALTYN).fieldIndex("reason_details"))
                .get(0);
        assertThat(detail.<String>getAs("code")).isEqualTo("RUNNING_TOTAL_CLOSE");
        assertThat(detail.<String>getAs("subject_code")).isEqualTo("MATH");
        assertThat(detail.<Integer>getAs("term")).isEqualTo(2);
        assertThat(detail.<java.math.BigDecimal>getAs("pct")).isEqualByComparingTo("87.9");
        assertThat(detail.<java.math.BigDecimal>getAs("points_short")).isEqualByComparingTo("0.1");
        assertStatus("risk2", ALTYN, "AT_RISK", "MATH term 2: running total 87.9 %, 0.1 points below 88 %");
    }

    @Test
    void aCertifiedTermMarkIsNotARunningTotal() {
        assertStatus("certified", ALTYN, "ON_TRACK", ALL_FINE);
        assertStatus("certified", H11, "ON_TRACK", ALL_FINE);
    }

    @Test
    void aTermFourLosesAltynButLeavesRoomForHonours() {
        assertStatus("rec", ALTYN, "LOST", "MATH 2025-2026 term 1: mark 4");
        assertStatus("rec", H11, "ON_TRACK", ALL_FINE);
    }

    @Test
    void honoursLostWhenTheAnnualFiveIsOutOfReach() {
        assertStatus("sunk", H11, "LOST", "MATH 2025-2026: term marks 3,4 (term 3 still open: 5 so far) - the annual"
                + " mark can no longer be 5");
        assertStatus("sunk", ALTYN, "LOST", "MATH 2025-2026 term 1: mark 3; MATH 2025-2026 term 2: mark 4");
    }

    @Test
    void anAnnualFourInGradeSevenKillsAltynAndHonours9() {
        assertStatus("hist7", ALTYN, "LOST", "MATH 2021-2022 (grade 7): annual mark 4");
        assertStatus("hist7", H11, "ON_TRACK", ALL_FINE);
        assertStatus("nine", H9, "LOST", "MATH 2023-2024 (grade 7): annual mark 4");
    }

    @Test
    void aFinalMarkBelowFiveLosesAltyn() {
        assertStatus("final", ALTYN, "LOST", "MATH 2024-2025: final mark 4 (exam 3)");
        assertStatus("final", H11, "ON_TRACK", ALL_FINE);
    }

    @Test
    void incompleteWhenTheHistoryTheAwardLooksAtHasAGap() {
        assertStatus("gap", ALTYN, "INCOMPLETE", "ALL 2022-2023: no marks at all for 2022-2023 (grade 8)");
        assertStatus("gap", H11, "ON_TRACK", ALL_FINE); // grade 8 is outside grades 10–11
        String termGap = "MATH 2025-2026: no mark for term 1 while term 2 has one";
        assertStatus("term-gap", ALTYN, "INCOMPLETE", termGap);
        assertStatus("term-gap", H11, "INCOMPLETE", termGap);
    }

    @Test
    void priorityLostOverIncompleteOverAtRisk() {
        // INCOMPLETE beats AT_RISK, and only the gap is given as the reason.
        assertStatus("gap-risk", ALTYN, "INCOMPLETE", "ALL 2022-2023: no marks at all for 2022-2023 (grade 8)");
        assertStatus("gap-risk", H11, "AT_RISK", "MATH term 2: running total 86.0 %, 2.0 points below 88 %");
        // LOST beats both.
        assertStatus("lost-all", ALTYN, "LOST", "PHYS 2025-2026 term 1: mark 4");
        // HONOURS_11: PHYS 4 leaves room for one more 4 ((4 + 4 + 5 + 5)/4 = 4.5 → 5), MATH running 87 % → AT_RISK.
        assertStatus("lost-all", H11, "AT_RISK", "MATH term 2: running total 87.0 %, 1.0 points below 88 %");
    }
}
