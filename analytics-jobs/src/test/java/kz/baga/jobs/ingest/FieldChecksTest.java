package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.baga.contract.Iin;
import kz.baga.jobs.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IIN validation (docs/rules.md §7) in Spark ({@link FieldChecks#withIinProblem}) against the plain-Java reference
 * ({@link Iin#isValid}). Check digits worked by hand: c = Σ d_i·i mod 11; if 10, c = Σ d_i·w_i mod 11 with
 * w = 3,4,5,6,7,8,9,10,11,1,2; if still 10 there is no valid IIN with these 11 digits.
 */
class FieldChecksTest extends SparkTestBase {

    private static final String DATE = "IIN birth date is not a real date";
    private static final String DIGITS = "IIN must be 12 digits";
    private static final String CHECK = "IIN check digit does not match";
    private static final String NO_CHECK = "IIN has no valid check digit";

    /** IIN → the problem Spark must report (null = valid). */
    private static final Map<String, String> CASES = new LinkedHashMap<>();

    static {
        // 2008-03-15, century 5 (2000s, male): 0·1+8·2+0·3+3·4+1·5+5·6+5·7+0·8+1·9+2·10+3·11 = 160; 160 mod 11 = 6.
        CASES.put("080315501236", null);
        // 1995-01-01, century 3: 9+10+0+4+0+6+21+0+0+10+22 = 82; 82 mod 11 = 5.
        CASES.put("950101300125", null);
        // 2000-02-29 is a leap day (2000 is divisible by 400): 169 mod 11 = 4.
        CASES.put("000229501234", null);
        // 1999-12-31, century 4 (1900s, female): 149 mod 11 = 6.
        CASES.put("991231401236", null);
        // The second weights: 0803155000 1 → Σd·i = 109, 109 mod 11 = 10; Σd·w = 0·3+8·4+0·5+3·6+1·7+5·8+5·9+0·10
        // +0·11+0·1+1·2 = 144, 144 mod 11 = 1 → check digit 1.
        CASES.put("080315500011", null);
        // Same 11 digits: a naive "c mod 10" would take 0.
        CASES.put("080315500010", CHECK);
        CASES.put("080315500012", CHECK);
        // 08031550000: Σd·i = 98 → 10; Σd·w = 142 → 10 again: no check digit exists.
        CASES.put("080315500000", NO_CHECK);
        CASES.put("080315500003", NO_CHECK);
        // Wrong check digit (6 is right).
        CASES.put("080315501237", CHECK);
        CASES.put("080315501230", CHECK);
        // Impossible dates, each with the check digit that would otherwise be right.
        CASES.put("081315501239", DATE); // month 13
        CASES.put("080230501234", DATE); // 30 February
        CASES.put("000229301231", DATE); // 1900-02-29: 1900 is not a leap year
        CASES.put("000229101239", DATE); // 1800-02-29
        CASES.put("080315701239", DATE); // century digit 7 does not exist
        CASES.put("080315001234", DATE); // century digit 0 does not exist
        CASES.put("080300501236", DATE); // day 00
        // Not 12 digits.
        CASES.put("08031550123", DIGITS);
        CASES.put("0803155012366", DIGITS);
        CASES.put("08031550123A", DIGITS);
        CASES.put("O80315501236", DIGITS); // a letter O
        CASES.put(" 80315501236", DIGITS);
        CASES.put("080315 501236", DIGITS);
        CASES.put("", DIGITS);
        CASES.put("-80315501236", DIGITS);
    }

    private static Map<String, String> problems;

    @BeforeAll
    static void computeOnce() {
        List<Row> rows = new ArrayList<>();
        CASES.keySet().forEach(iin -> rows.add(row(iin)));
        rows.add(row((Object) null));
        rows.add(row("٠80315501236")); // an Arabic-Indic zero in front
        problems = new LinkedHashMap<>();
        for (Row r : FieldChecks.withIinProblem(df("iin string", rows), "iin", "problem").select("iin", "problem")
                .collectAsList()) {
            problems.put(r.getString(0), r.getString(1));
        }
    }

    @Test
    void sparkReportsTheExpectedProblem() {
        for (Map.Entry<String, String> c : CASES.entrySet()) {
            assertThat(problems.get(c.getKey())).as("'" + c.getKey() + "'").isEqualTo(c.getValue());
        }
        assertThat(problems).containsEntry(null, "IIN is missing");
    }

    @Test
    void sparkAgreesWithTheJavaReference() {
        for (String iin : CASES.keySet()) {
            assertThat(problems.get(iin) == null).as("'" + iin + "' valid in Spark").isEqualTo(Iin.isValid(iin));
        }
        assertThat(Iin.isValid(null)).isFalse();
    }

    @Test
    void rowsKnownToBeValidSkipTheCheckAndTheOthersStillGetIt() {
        // known = the IIN was found in the pupil directory (which holds only valid IINs).
        List<Row> out = FieldChecks.withIinProblem(df("iin string, known boolean", row("080315501237", true),
                        row("080315501237", false), row("080315501236", false), row(null, false)), "iin", "problem",
                org.apache.spark.sql.functions.col("known")).select("iin", "known", "problem").collectAsList();
        assertThat(out).containsExactly(row("080315501237", true, null),
                row("080315501237", false, "IIN check digit does not match"),
                row("080315501236", false, null),
                row(null, false, "IIN is missing"));
    }

    @Test
    void referenceCheckDigits() {
        assertThat(Iin.checkDigit("08031550123")).isEqualTo(6);
        assertThat(Iin.checkDigit("08031550001")).isEqualTo(1);
        assertThat(Iin.checkDigit("08031550000")).isEqualTo(-1);
        assertThat(Iin.of(java.time.LocalDate.of(2008, 3, 15), true, 123)).isEqualTo("080315501236");
    }

    @Test
    void onlyAsciiDigitsAreDigitsInSpark() {
        assertThat(problems.get("٠80315501236")).isEqualTo(DIGITS);
    }

    @Test
    void referenceRejectsNonAsciiDigits() {
        assertThat(Iin.isValid("٠80315501236")).isFalse();
    }
}
