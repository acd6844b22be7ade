package kz.baga.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import kz.baga.jobs.SparkTestBase;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The current term while no СОЧ is written is open: a computed 4 there is a warning, not a lost medal. Once the
 * СОЧ is in (or the mark is certified), the same 4 is final.
 */
class MedalOpenTermTest extends SparkTestBase {

    private static final String Y = "2025-2026";
    private static Map<String, Row> status;

    @BeforeAll
    static void compute() {
        Dataset<Row> directory = df("student_id string, school_id string, class_label string, grade_level int,"
                        + " academic_year string",
                row("open4", "S1", "11А", 11, Y), row("closed4", "S1", "11А", 11, Y), row("old4", "S1", "11А", 11, Y));
        Dataset<Row> terms = df("student_id string, subject_code string, academic_year string, term int, mark int,"
                        + " total_pct decimal(9,4), mark_source string, grade_level int, soch_count int",
                row("open4", "MATH", Y, 1, 5, dec("91"), "COMPUTED", 11, 1),
                // term 2 is current, no СОЧ yet: 80.1 % gives 4 so far (4.4 points short of 84.5)
                row("open4", "MATH", Y, 2, 4, dec("80.1"), "COMPUTED", 11, 0),
                row("closed4", "MATH", Y, 1, 5, dec("91"), "COMPUTED", 11, 1),
                // the same 4 with its СОЧ written: the term is over
                row("closed4", "MATH", Y, 2, 4, dec("80.1"), "COMPUTED", 11, 1),
                // a 4 in an earlier term without СОЧ is not open: only the current term can be
                row("old4", "MATH", Y, 1, 4, dec("80.1"), "COMPUTED", 11, 0),
                row("old4", "MATH", Y, 2, 5, dec("95"), "COMPUTED", 11, 1));
        Dataset<Row> annual = df("student_id string, subject_code string, academic_year string, grade_level int,"
                + " mark int, final_mark int, exam_mark int, mark_source string, term_count int");
        Dataset<Row> gaps = df("student_id string, subject_code string, academic_year string, term int, detail string");
        Dataset<Row> subjects = df("subject_code string, assessment string", row("MATH", "QUARTER"));
        status = new HashMap<>();
        for (Row r : MedalEligibility.build(directory, terms, annual, gaps, subjects, Rules.defaults()).collectAsList()) {
            status.put(r.getAs("student_id") + "/" + r.getAs("award"), r);
        }
    }

    @Test
    void anOpenTermBelowFiveIsAtRiskNotLost() {
        Row altyn = status.get("open4/ALTYN_BELGI");
        assertThat(altyn.<String>getAs("status")).isEqualTo("AT_RISK");
        assertThat(altyn.<String>getAs("reasons"))
                .isEqualTo("MATH term 2 (open, no СОЧ yet): running total 80.1 % gives 4 so far; 85 % (rounded) is"
                        + " needed for a 5");
        assertThat(status.get("open4/HONOURS_11").<String>getAs("status")).isEqualTo("AT_RISK");
    }

    @Test
    void aClosedTermBelowFiveLosesAltynButHonoursCanRecover() {
        assertThat(status.get("closed4/ALTYN_BELGI").<String>getAs("status")).isEqualTo("LOST");
        assertThat(status.get("closed4/ALTYN_BELGI").<String>getAs("reasons")).isEqualTo("MATH 2025-2026 term 2: mark 4");
        // (5 + 4 + 5 + 5)/4 = 4.75 → 5: honours still possible, with terms 3 and 4 to come
        assertThat(status.get("closed4/HONOURS_11").<String>getAs("status")).isEqualTo("AT_RISK");
    }

    @Test
    void onlyTheCurrentTermIsOpen() {
        assertThat(status.get("old4/ALTYN_BELGI").<String>getAs("status")).isEqualTo("LOST");
    }
}
