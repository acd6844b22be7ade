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
 * Term marks (docs/rules.md §2) on hand-computed cases. Each pupil id names its case; every expected number is
 * worked out in the comment beside it: FO% = ΣFO/(10·n), SOR% pooled = Σpoints/Σmaxima, total = 0.25·FO% + 0.25·SOR%
 * + 0.50·SOCH% (0.5/0.5 without СОЧ, absent components renormalised), rounded half-up to a whole percent, then
 * 85→5, 65→4, 40→3, else 2.
 */
class TermGradesTest extends SparkTestBase {

    private static final String YEAR = "2025-2026";
    private static Map<String, Row> computed;
    private static Map<String, Row> averaged;
    private static Map<String, Row> termGrades;
    private static Map<String, Row> conflicts;

    @BeforeAll
    static void computeOnce() {
        List<Event> e = new ArrayList<>();
        // The example of docs/rules.md §2: FO 8×5 = 40/50 = 80 %; SOR (12+9)/(15+15) = 70 %; SOCH 18/25 = 72 %
        // → 0.25·80 + 0.25·70 + 0.5·72 = 20 + 17.5 + 36 = 73.5 → 74 → 4.
        example(e, "example", 1);
        // 0.25·80 + 0.25·90 + 0.5·84 = 20 + 22.5 + 42 = 84.5 → 85 → 5.
        fsc(e, "at84.5", "8", "9", "10", "84", "100");
        // SOCH 41.9/50 = 83.8 %: 20 + 22.5 + 41.9 = 84.4 → 84 → 4.
        fsc(e, "at84.4", "8", "9", "10", "41.9", "50");
        // 0.25·60 + 0.25·70 + 0.5·64 = 15 + 17.5 + 32 = 64.5 → 65 → 4.
        fsc(e, "at64.5", "6", "7", "10", "64", "100");
        // SOCH 63.8 %: 15 + 17.5 + 31.9 = 64.4 → 64 → 3.
        fsc(e, "at64.4", "6", "7", "10", "63.8", "100");
        // 0.25·40 + 0.25·30 + 0.5·44 = 10 + 7.5 + 22 = 39.5 → 40 → 3.
        fsc(e, "at39.5", "4", "3", "10", "44", "100");
        // SOCH 43.8 %: 10 + 7.5 + 21.9 = 39.4 → 39 → 2.
        fsc(e, "at39.4", "4", "3", "10", "43.8", "100");
        // Only СОР 5/10 and 20/20: pooled 25/30 = 83.33 % → 83 → 4; averaged (50 + 100)/2 = 75 % → 4.
        e.add(event("sor-a", "MATH", 1, "SOR", "5", "10"));
        e.add(event("sor-a", "MATH", 1, "SOR", "20", "20"));
        // СОР 2/10 and 20/20: pooled 22/30 = 73.33 % → 73 → 4; averaged (20 + 100)/2 = 60 % → 3.
        e.add(event("sor-b", "MATH", 1, "SOR", "2", "10"));
        e.add(event("sor-b", "MATH", 1, "SOR", "20", "20"));
        // No СОЧ: FO (7+9)/20 = 80 %, SOR 13/20 = 65 % → 0.5·80 + 0.5·65 = 72.5 → 73 → 4.
        e.add(event("no-soch", "MATH", 1, "FO", "7", "10"));
        e.add(event("no-soch", "MATH", 1, "FO", "9", "10"));
        e.add(event("no-soch", "MATH", 1, "SOR", "13", "20"));
        // Half-year subject, term 2, no СОЧ: FO (10+9)/20 = 95 %, SOR 17/20 = 85 % → 90 → 5.
        e.add(event("half", "ART", 2, "FO", "10", "10"));
        e.add(event("half", "ART", 2, "FO", "9", "10"));
        e.add(event("half", "ART", 2, "SOR", "17", "20"));
        // Only FO: (7+8+6+9)/40 = 75 % — the FO weight renormalised to 1 → 75 → 4.
        for (String s : List.of("7", "8", "6", "9")) {
            e.add(event("fo-only", "MATH", 1, "FO", s, "10"));
        }
        // FO 60 % and SOCH 20/25 = 80 %, no СОР: (0.25·60 + 0.5·80)/0.75 = 55/0.75 = 73.33 → 73 → 4
        // (without renormalising it would be 55 → 3).
        e.add(event("fo-soch", "MATH", 1, "FO", "6", "10"));
        e.add(event("fo-soch", "MATH", 1, "SOCH", "20", "25"));
        // Decimal points: FO 9 = 90 %; SOR (7.5 + 11.5)/(10 + 15) = 19/25 = 76 %; SOCH 20.5/25 = 82 %
        // → 22.5 + 19 + 41 = 82.5 → 83 → 4.
        e.add(event("decimal", "MATH", 1, "FO", "9", "10"));
        e.add(event("decimal", "MATH", 1, "SOR", "7.5", "10"));
        e.add(event("decimal", "MATH", 1, "SOR", "11.5", "15"));
        e.add(event("decimal", "MATH", 1, "SOCH", "20.5", "25"));
        // total_pct is the exact total rounded half-up to 4 decimals once. FO 10×10 + 8 + 7 + 7 = 122/130
        // = 93.846153…%; SOR (13 + 12 + 13)/45 = 38/45 = 84.4444…%; SOCH 19/20 = 95 %. Exact total
        // 25·122/130 + 25·38/45 + 50·19/20 = 23.461538… + 21.111111… + 47.5 = 92.0726495… → 92.0726 (not
        // 92.0727: rounding to 6 decimals first gives 92.072650); → 92 → 5.
        for (int i = 0; i < 10; i++) {
            e.add(event("exact-total", "MATH", 1, "FO", "10", "10"));
        }
        for (String s : List.of("8", "7", "7")) {
            e.add(event("exact-total", "MATH", 1, "FO", s, "10"));
        }
        e.add(event("exact-total", "MATH", 1, "SOR", "13", "15"));
        e.add(event("exact-total", "MATH", 1, "SOR", "12", "15"));
        e.add(event("exact-total", "MATH", 1, "SOR", "13", "15"));
        e.add(event("exact-total", "MATH", 1, "SOCH", "19", "20"));
        // A component percentage likewise: SOR (26 + 25)/(51 + 50) = 51/101 = 50.4950495…% → 50.4950 (6 decimals
        // first would give 50.495050 → 50.4951); the total is the SOR alone: 50.4950 → 50 → 3.
        e.add(event("exact-sor", "MATH", 1, "SOR", "26", "51"));
        e.add(event("exact-sor", "MATH", 1, "SOR", "25", "50"));
        // A pass/fail subject has no computed mark.
        e.add(event("pe", "PE", 1, "FO", "10", "10"));
        // Certified TERM 5 beside assessments that compute to 4 (the example of docs/rules.md §2 again): 5 stands,
        // 4 beside it.
        example(e, "imported", 2);
        e.add(event("imported", "MATH", 2, "TERM", "5", "5").recorded("2025-12-27T10:00:00"));
        // Certified 5 and computed FO 100 % + SOCH 100 % → 5: they agree, no conflict.
        e.add(event("agree", "MATH", 2, "FO", "10", "10"));
        e.add(event("agree", "MATH", 2, "SOCH", "25", "25"));
        e.add(event("agree", "MATH", 2, "TERM", "5", "5"));
        // Two sources disagree on the certified mark: the later recorded one (bilimclass, 5) stands.
        e.add(event("two-src", "MATH", 1, "TERM", "4", "5").source("kundelik").recorded("2025-10-30T10:00:00"));
        e.add(event("two-src", "MATH", 1, "TERM", "5", "5").source("bilimclass").recorded("2025-11-02T09:00:00"));
        // Only a certified mark: it stands, nothing computed, nothing to conflict with.
        e.add(event("only-imported", "MATH", 1, "TERM", "3", "5"));

        Dataset<Row> events = events(e.toArray(Event[]::new));
        Dataset<Row> subjects = df("subject_code string, assessment string",
                row("MATH", "QUARTER"), row("ART", "HALF_YEAR"), row("PE", "PASS_FAIL"));
        List<Row> places = new ArrayList<>();
        for (String s : List.of("example", "at84.5", "at84.4", "at64.5", "at64.4", "at39.5", "at39.4", "sor-a",
                "sor-b", "no-soch", "half", "fo-only", "fo-soch", "decimal", "pe", "imported", "agree", "two-src",
                "only-imported", "exact-total", "exact-sor")) {
            places.add(row(s, YEAR, "S1", "10А", 10));
        }
        Dataset<Row> placement = df("student_id string, academic_year string, school_id string, class_label string,"
                + " grade_level int", places);

        Rules rules = Rules.defaults();
        Dataset<Row> comp = TermGrades.computed(events, subjects, rules);
        Dataset<Row> imported = TermGrades.certified(events, "TERM", "student_id", "subject_code", "academic_year",
                "term");
        Dataset<Row> full = TermGrades.build(comp, imported, placement).cache();
        computed = byKey(comp);
        averaged = byKey(TermGrades.computed(events, subjects,
                rulesWith("\"sorPooling\": \"POOLED\"", "\"sorPooling\": \"AVERAGE\"")));
        termGrades = byKey(TermGrades.table(full));
        conflicts = byKey(TermGrades.conflicts(full));
        for (Map<String, Row> rows : List.of(computed, averaged, termGrades, conflicts)) {
            assertThat(rows.values()).allSatisfy(r -> assertThat(r.<String>getAs("academic_year")).isEqualTo(YEAR));
        }
    }

    private static void example(List<Event> e, String student, int term) {
        for (int i = 0; i < 5; i++) {
            e.add(event(student, "MATH", term, "FO", "8", "10"));
        }
        e.add(event(student, "MATH", term, "SOR", "12", "15"));
        e.add(event(student, "MATH", term, "SOR", "9", "15"));
        e.add(event(student, "MATH", term, "SOCH", "18", "25"));
    }

    /** One FO mark, one SOR and one SOCH in MATH term 1. */
    private static void fsc(List<Event> e, String student, String fo, String sor, String sorMax, String soch,
                            String sochMax) {
        e.add(event(student, "MATH", 1, "FO", fo, "10"));
        e.add(event(student, "MATH", 1, "SOR", sor, sorMax));
        e.add(event(student, "MATH", 1, "SOCH", soch, sochMax));
    }

    private static Map<String, Row> byKey(Dataset<Row> data) {
        return byKey(data, "student_id", "subject_code", "term");
    }

    /** Asserts fo/sor/soch/total percentages (null = absent), the rounded percent and the computed mark. */
    private static void assertComputed(Row r, String fo, String sor, String soch, String total, int rounded, int mark) {
        assertPct(r, "fo_pct", fo);
        assertPct(r, "sor_pct", sor);
        assertPct(r, "soch_pct", soch);
        assertPct(r, "total_pct", total);
        assertThat(r.<Integer>getAs("rounded_pct")).isEqualTo(rounded);
        assertThat(r.<Integer>getAs("computed_mark")).isEqualTo(mark);
    }

    private static void assertPct(Row r, String column, String expected) {
        if (expected == null) {
            assertThat(r.<Object>getAs(column)).as(column).isNull();
        } else {
            assertThat(r.<java.math.BigDecimal>getAs(column)).as(column).isEqualByComparingTo(expected);
        }
    }

    @Test
    void domainExample() {
        Row r = get(computed, "example", "MATH", 1);
        assertComputed(r, "80", "70", "72", "73.5", 74, 4);
        assertThat(r.<Integer>getAs("fo_count")).isEqualTo(5);
        assertThat(r.<Integer>getAs("sor_count")).isEqualTo(2);
        assertThat(r.<Integer>getAs("soch_count")).isEqualTo(1);
        Row t = get(termGrades, "example", "MATH", 1);
        assertThat(t.<Integer>getAs("mark")).isEqualTo(4);
        assertThat(t.<String>getAs("mark_source")).isEqualTo("COMPUTED");
        assertThat(t.<java.math.BigDecimal>getAs("total_pct")).isEqualByComparingTo("73.5");
        assertThat(t.<String>getAs("school_id")).isEqualTo("S1");
        assertThat(t.<String>getAs("class_label")).isEqualTo("10А");
        assertThat(t.<Integer>getAs("grade_level")).isEqualTo(10);
    }

    @Test
    void thresholdsRoundHalfUpToWholePercentBeforeTheScale() {
        assertComputed(get(computed, "at84.5", "MATH", 1), "80", "90", "84", "84.5", 85, 5);
        assertComputed(get(computed, "at84.4", "MATH", 1), "80", "90", "83.8", "84.4", 84, 4);
        assertComputed(get(computed, "at64.5", "MATH", 1), "60", "70", "64", "64.5", 65, 4);
        assertComputed(get(computed, "at64.4", "MATH", 1), "60", "70", "63.8", "64.4", 64, 3);
        assertComputed(get(computed, "at39.5", "MATH", 1), "40", "30", "44", "39.5", 40, 3);
        assertComputed(get(computed, "at39.4", "MATH", 1), "40", "30", "43.8", "39.4", 39, 2);
    }

    @Test
    void sorIsPooledNotAveragedByDefault() {
        assertComputed(get(computed, "sor-a", "MATH", 1), null, "83.3333", null, "83.3333", 83, 4);
        assertComputed(get(computed, "sor-b", "MATH", 1), null, "73.3333", null, "73.3333", 73, 4);
    }

    @Test
    void averagedSorWhenTheRulesSaySo() {
        assertComputed(get(averaged, "sor-a", "MATH", 1), null, "75", null, "75", 75, 4);
        assertComputed(get(averaged, "sor-b", "MATH", 1), null, "60", null, "60", 60, 3);
        // Pooling changes nothing where there is one СОР; the example of docs/rules.md §2 has two of equal maximum
        // (70 % both ways).
        assertComputed(get(averaged, "example", "MATH", 1), "80", "70", "72", "73.5", 74, 4);
        // 7.5/10 = 75 %, 11.5/15 = 76.67 %: averaged 75.8333 %; total 22.5 + 18.9583 + 41 = 82.4583 → 82 → 4.
        assertComputed(get(averaged, "decimal", "MATH", 1), "90", "75.8333", "82", "82.4583", 82, 4);
    }

    @Test
    void termWithoutSochWeighsFoAndSorHalfAndHalf() {
        assertComputed(get(computed, "no-soch", "MATH", 1), "80", "65", null, "72.5", 73, 4);
    }

    @Test
    void halfYearSubject() {
        assertComputed(get(computed, "half", "ART", 2), "95", "85", null, "90", 90, 5);
        assertThat(get(termGrades, "half", "ART", 2).<Integer>getAs("mark")).isEqualTo(5);
    }

    @Test
    void missingComponentsRenormaliseTheWeights() {
        assertComputed(get(computed, "fo-only", "MATH", 1), "75", null, null, "75", 75, 4);
        assertComputed(get(computed, "fo-soch", "MATH", 1), "60", null, "80", "73.3333", 73, 4);
    }

    @Test
    void decimalScores() {
        assertComputed(get(computed, "decimal", "MATH", 1), "90", "76", "82", "82.5", 83, 4);
    }

    @Test
    void totalPctIsTheExactTotalRoundedToFourDecimalsOnce() {
        assertComputed(get(computed, "exact-total", "MATH", 1), "93.8462", "84.4444", "95", "92.0726", 92, 5);
        assertThat(get(termGrades, "exact-total", "MATH", 1).<java.math.BigDecimal>getAs("total_pct"))
                .isEqualByComparingTo("92.0726");
        assertComputed(get(computed, "exact-sor", "MATH", 1), null, "50.4950", null, "50.4950", 50, 3);
    }

    @Test
    void passFailSubjectsAreNotComputed() {
        assertThat(computed.keySet()).noneMatch(k -> k.contains("/PE/"));
        assertThat(computed).hasSize(18);
    }

    @Test
    void certifiedTermMarkStandsWithTheComputedOneBeside() {
        Row t = get(termGrades, "imported", "MATH", 2);
        assertThat(t.<Integer>getAs("mark")).isEqualTo(5);
        assertThat(t.<String>getAs("mark_source")).isEqualTo("IMPORTED");
        assertThat(t.<Integer>getAs("computed_mark")).isEqualTo(4);
        assertThat(t.<java.math.BigDecimal>getAs("total_pct")).isEqualByComparingTo("73.5");
        Row c = get(conflicts, "imported", "MATH", 2);
        assertThat(c.<String>getAs("issue")).isEqualTo("CONFLICT");
        assertThat(c.<String>getAs("detail")).isEqualTo(
                "certified term mark 5 (kundelik) stands; computed from assessments: 4 (total 73.5000 %)");
        assertThat(c.<String>getAs("school_id")).isEqualTo("S1");
    }

    @Test
    void agreeingOrLoneCertifiedMarksAreNoConflict() {
        Row agree = get(termGrades, "agree", "MATH", 2);
        assertThat(agree.<Integer>getAs("mark")).isEqualTo(5);
        assertThat(agree.<String>getAs("mark_source")).isEqualTo("IMPORTED");
        assertThat(agree.<Integer>getAs("computed_mark")).isEqualTo(5);
        Row lone = get(termGrades, "only-imported", "MATH", 1);
        assertThat(lone.<Integer>getAs("mark")).isEqualTo(3);
        assertThat(lone.<String>getAs("mark_source")).isEqualTo("IMPORTED");
        assertThat(lone.<Object>getAs("computed_mark")).isNull();
        assertThat(lone.<Object>getAs("total_pct")).isNull();
        assertThat(lone.<String>getAs("school_id")).isEqualTo("S1");
        assertThat(conflicts.keySet()).containsExactlyInAnyOrder("imported/MATH/2", "two-src/MATH/1");
    }

    @Test
    void sourcesDisagreeingOnTheTermMark() {
        Row t = get(termGrades, "two-src", "MATH", 1);
        assertThat(t.<Integer>getAs("mark")).isEqualTo(5);
        assertThat(t.<String>getAs("mark_source")).isEqualTo("IMPORTED");
        assertThat(t.<Object>getAs("computed_mark")).isNull();
        assertThat(get(conflicts, "two-src", "MATH", 1).<String>getAs("detail")).isEqualTo(
                "sources disagree on the term mark: bilimclass=5, kundelik=4; the latest (bilimclass) stands");
    }

    @Test
    void everyComputedTermIsInTermGrades() {
        // 18 computed keys + "two-src" and "only-imported" (certified only) = 20; PE has none.
        assertThat(termGrades).hasSize(20);
        for (Map.Entry<String, Row> c : computed.entrySet()) {
            Row t = termGrades.get(c.getKey());
            assertThat(t).as(c.getKey()).isNotNull();
            if ("COMPUTED".equals(t.getAs("mark_source"))) {
                assertThat(t.<Integer>getAs("mark")).isEqualTo(c.getValue().<Integer>getAs("computed_mark"));
            }
        }
    }
}
