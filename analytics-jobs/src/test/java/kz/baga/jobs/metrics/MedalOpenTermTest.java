package kz.baga.jobs.metrics;

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
 * The current term (the latest with marks) is running. For «Алтын белгі», where every term mark counts, it is open
 * while no СОЧ is written: a computed 4 there is a warning, not a lost medal; once the СОЧ is in (or the mark is
 * certified), the same 4 is final. For the annual-only honours the running term's mark is never final: only the
 * finished terms count, every open slot (the running term and those to come) is taken at its best (5), and the
 * annual mark is the half-up mean — LOST when even that is below 5, AT_RISK when every open slot must be 5. So the
 * status depends on the multiset of finished marks, not on their order nor on whether the running СОЧ is written.
 */
class MedalOpenTermTest extends SparkTestBase {

    private static final String Y = "2025-2026";
    private static final String H11 = "HONOURS_11";
    private static final String H9 = "HONOURS_9";
    private static final String ALTYN = "ALTYN_BELGI";
    private static Map<String, Row> status;

    @BeforeAll
    static void compute() {
        List<Row> pupils = new ArrayList<>();
        for (String p : List.of("open4", "closed4", "old4", "risk4544", "gap4_44", "asc5445", "mid4545", "open5445",
                "room5545", "room5545-open")) {
            pupils.add(row(p, "S1", "11А", 11, Y));
        }
        pupils.add(row("nine4544", "S1", "9А", 9, Y));
        Dataset<Row> directory = df("student_id string, school_id string, class_label string, grade_level int,"
                + " academic_year string", pupils);
        List<Row> t = new ArrayList<>();
        t.add(row("open4", "MATH", Y, 1, 5, dec("91"), "COMPUTED", 11, 1));
        // term 2 is current, no СОЧ yet: 80.1 % gives 4 so far (4.4 points short of 84.5)
        t.add(row("open4", "MATH", Y, 2, 4, dec("80.1"), "COMPUTED", 11, 0));
        t.add(row("closed4", "MATH", Y, 1, 5, dec("91"), "COMPUTED", 11, 1));
        // the same 4 with its СОЧ written: final for «Алтын белгі»
        t.add(row("closed4", "MATH", Y, 2, 4, dec("80.1"), "COMPUTED", 11, 1));
        // a 4 in an earlier term without СОЧ is not open: only the current term can be
        t.add(row("old4", "MATH", Y, 1, 4, dec("80.1"), "COMPUTED", 11, 0));
        t.add(row("old4", "MATH", Y, 2, 5, dec("95"), "COMPUTED", 11, 1));
        // Finished 4, 5, 4 and a running 4 (СОЧ written): (4 + 5 + 4 + 5)/4 = 4.5 → 5 is still reachable if the
        // running term ends with a 5; counting the running 4 as final would give 17/4 = 4.25 → 4, a wrong LOST.
        terms(t, "risk4544", 11, 4, 5, 4, 4);
        // Finished 4, (term 2 missing), 4 and a running 4: at best (4 + 5 + 4 + 5)/4 = 4.5 → 5, and the gap
        // leaves it undecidable → INCOMPLETE (never LOST).
        t.add(row("gap4_44", "MATH", Y, 1, 4, dec("80"), "COMPUTED", 11, 1));
        t.add(row("gap4_44", "MATH", Y, 3, 4, dec("80"), "COMPUTED", 11, 1));
        t.add(row("gap4_44", "MATH", Y, 4, 4, dec("80"), "COMPUTED", 11, 1));
        // The same multiset {5, 4, 4} of finished marks in two orders, a running 5 (СОЧ written): (13 + 5)/4 = 4.5
        // → 5, and one point less in term 4 gives 17/4 = 4.25 → 4: term 4 must stay 5 → AT_RISK for both.
        terms(t, "asc5445", 11, 5, 4, 4, 5);
        terms(t, "mid4545", 11, 4, 5, 4, 5);
        // ... and the same without the running term's СОЧ: the same status.
        terms(t, "open5445", 11, 5, 4, 4, 5);
        t.set(t.size() - 1, row("open5445", "MATH", Y, 4, 5, dec("95"), "COMPUTED", 11, 0));
        // Finished 5, 5, 4: (14 + 5)/4 = 4.75 → 5, and with a 4 in term 4 still 18/4 = 4.5 → 5: room for one
        // more 4, nothing at risk — with or without the running term's СОЧ.
        terms(t, "room5545", 11, 5, 5, 4, 5);
        terms(t, "room5545-open", 11, 5, 5, 4, 5);
        t.set(t.size() - 1, row("room5545-open", "MATH", Y, 4, 5, dec("95"), "COMPUTED", 11, 0));
        // HONOURS_9 in grade 9 the same way as risk4544.
        terms(t, "nine4544", 9, 4, 5, 4, 4);
        Dataset<Row> terms = df("student_id string, subject_code string, academic_year string, term int, mark int,"
                + " total_pct decimal(9,4), mark_source string, grade_level int, soch_count int", t);
        Dataset<Row> annual = df("student_id string, subject_code string, academic_year string, grade_level int,"
                + " mark int, final_mark int, exam_mark int, mark_source string, term_count int");
        Dataset<Row> gaps = df("student_id string, subject_code string, academic_year string, term int, detail string",
                row("gap4_44", "MATH", Y, 2, "no mark for term 2 while term 3 has one"));
        Dataset<Row> subjects = df("subject_code string, assessment string", row("MATH", "QUARTER"));
        status = byKey(MedalEligibility.build(directory, terms, annual, gaps, subjects, Rules.defaults()),
                "student_id", "award");
    }

    /** MATH terms 1–4 with the given marks, each with its СОЧ (95 % for a 5, 80 % for a 4). */
    private static void terms(List<Row> rows, String student, int grade, int... marks) {
        for (int i = 0; i < marks.length; i++) {
            rows.add(row(student, "MATH", Y, i + 1, marks[i], dec(marks[i] == 5 ? "95" : "80"), "COMPUTED", grade, 1));
        }
    }

    private static void assertStatus(String key, String expected, String reasons) {
        Row r = get(status, key);
        assertThat(r.<String>getAs("status")).as(key).isEqualTo(expected);
        assertThat(r.<String>getAs("reasons")).as(key + " reasons").isEqualTo(reasons);
    }

    private static final String ALL_FINE = "every mark so far meets the condition";

    @Test
    void anOpenTermBelowFiveIsAtRiskNotLost() {
        assertStatus("open4/" + ALTYN, "AT_RISK", "MATH term 2 (open, no СОЧ yet): running total 80.1 % gives 4 so far;"
                + " 85 % (rounded) is needed for a 5");
    }

    @Test
    void aClosedTermBelowFiveLosesAltyn() {
        assertStatus("closed4/" + ALTYN, "LOST", "MATH 2025-2026 term 2: mark 4");
    }

    @Test
    void honoursTakeTheRunningTermAsOpenWithOrWithoutItsSoch() {
        // 5 and a running 4, terms 3 and 4 to come: at best (5 + 5 + 5 + 5)/4, and one 4 anywhere still gives
        // 19/4 = 4.75 → 5: nothing must be 5 yet → ON_TRACK, whether or not term 2's СОЧ is written.
        assertStatus("open4/" + H11, "ON_TRACK", ALL_FINE);
        assertStatus("closed4/" + H11, "ON_TRACK", ALL_FINE);
    }

    @Test
    void onlyTheCurrentTermIsOpen() {
        assertThat(status.get("old4/" + ALTYN).<String>getAs("status")).isEqualTo("LOST");
    }

    @Test
    void aRunningMarkNeverMakesHonoursLost() {
        assertStatus("risk4544/" + H11, "AT_RISK",
                "MATH 2025-2026: term marks 4,5,4 (term 4 still open: 4 so far) - every remaining term must be 5");
        assertStatus("nine4544/" + H9, "AT_RISK",
                "MATH 2025-2026: term marks 4,5,4 (term 4 still open: 4 so far) - every remaining term must be 5");
        Row detail = status.get("risk4544/" + H11).<Row>getList(status.get("risk4544/" + H11)
                .fieldIndex("reason_details")).get(0);
        assertThat(detail.<String>getAs("code")).isEqualTo("TERM_BELOW_TOP");
        assertThat(detail.<Integer>getAs("mark")).isEqualTo(5);
        // «Алтын белгі» counts every term mark, and term 4's СОЧ is written: its 4 is final there.
        assertStatus("risk4544/" + ALTYN, "LOST", "MATH 2025-2026 term 1: mark 4; MATH 2025-2026 term 3: mark 4;"
                + " MATH 2025-2026 term 4: mark 4");
    }

    @Test
    void aGapBeforeTheRunningTermIsIncompleteNotLost() {
        assertStatus("gap4_44/" + H11, "INCOMPLETE", "MATH 2025-2026: no mark for term 2 while term 3 has one");
    }

    @Test
    void theSameMarksInAnyOrderGetTheSameStatus() {
        String tail = " (term 4 still open: 5 so far) - every remaining term must be 5";
        assertStatus("asc5445/" + H11, "AT_RISK", "MATH 2025-2026: term marks 5,4,4" + tail);
        assertStatus("mid4545/" + H11, "AT_RISK", "MATH 2025-2026: term marks 4,5,4" + tail);
        assertStatus("open5445/" + H11, "AT_RISK", "MATH 2025-2026: term marks 5,4,4" + tail);
    }

    @Test
    void noRiskWhileARemainingTermMayStillBeAFour() {
        assertStatus("room5545/" + H11, "ON_TRACK", ALL_FINE);
        assertStatus("room5545-open/" + H11, "ON_TRACK", ALL_FINE);
    }
}
