package kz.baga.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kz.baga.jobs.SparkTestBase;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * School and district indicators (docs/rules.md §6): success = (n5+n4+n3)/N·100, quality = (n5+n4)/N·100,
 * СОУ = (100·n5 + 64·n4 + 36·n3 + 16·n2)/N, average = (5·n5 + 4·n4 + 3·n3 + 2·n2)/N, all half-up to two decimals;
 * ALL counts each pupil once by their lowest mark; grade level 0 sums the grades; district cells under 5 pupils
 * are suppressed.
 */
class IndicatorsTest extends SparkTestBase {

    private static final String Y = "2025-2026";
    private static final String[] COLS = {"n", "n5", "n4", "n3", "n2", "success_rate", "quality_rate", "sou",
            "avg_mark"};
    private static Dataset<Row> school;
    private static Dataset<Row> district;

    @BeforeAll
    static void computeOnce() {
        List<Row> terms = new ArrayList<>();
        // S1 grade 5, term 1, MATH: 5 5 4 4 4 3 3 3 3 2 → n5=2 n4=3 n3=4 n2=1, N=10.
        int[] math = {5, 5, 4, 4, 4, 3, 3, 3, 3, 2};
        for (int i = 0; i < math.length; i++) {
            terms.add(row("p" + (i + 1), Y, 1, 5, "MATH", "S1", math[i]));
        }
        // PHYS for three of them: p1 4, p3 2, p6 5.
        terms.add(row("p1", Y, 1, 5, "PHYS", "S1", 4));
        terms.add(row("p3", Y, 1, 5, "PHYS", "S1", 2));
        terms.add(row("p6", Y, 1, 5, "PHYS", "S1", 5));
        // S1 grade 6: two pupils, MATH 5 and 4.
        terms.add(row("q1", Y, 1, 6, "MATH", "S1", 5));
        terms.add(row("q2", Y, 1, 6, "MATH", "S1", 4));
        // S2 (same district) grade 5: MATH 5 5 4.
        terms.add(row("r1", Y, 1, 5, "MATH", "S2", 5));
        terms.add(row("r2", Y, 1, 5, "MATH", "S2", 5));
        terms.add(row("r3", Y, 1, 5, "MATH", "S2", 4));
        // Term 2 in S2 grade 5: MATH for five pupils (5 4 4 3 2), ART for four (all 5).
        int[] term2 = {5, 4, 4, 3, 2};
        for (int i = 0; i < term2.length; i++) {
            terms.add(row("r" + (i + 1), Y, 2, 5, "MATH", "S2", term2[i]));
            if (i < 4) {
                terms.add(row("r" + (i + 1), Y, 2, 5, "ART", "S2", 5));
            }
        }
        // S3, another district: one pupil.
        terms.add(row("z1", Y, 1, 5, "MATH", "S3", 3));
        Dataset<Row> termGrades = df("student_id string, academic_year string, term int, grade_level int,"
                + " subject_code string, school_id string, mark int", terms);
        Dataset<Row> annual = df("student_id string, academic_year string, grade_level int, subject_code string,"
                        + " school_id string, mark int",
                row("q1", Y, 6, "MATH", "S1", 5),
                row("q2", Y, 6, "MATH", "S1", 4));
        Dataset<Row> schools = df("school_id string, district_id string",
                row("S1", "D1"), row("S2", "D1"), row("S3", "D2"));
        Rules rules = Rules.defaults();
        Dataset<Row> marks = Indicators.marks(termGrades, annual, schools).cache();
        school = Indicators.school(marks, rules).cache();
        district = Indicators.district(marks, rules).cache();
    }

    private static Row schoolCell(String school, int term, int grade, String subject) {
        return one(IndicatorsTest.school, String.format("school_id = '%s' and term = %d and grade_level = %d"
                + " and subject_code = '%s'", school, term, grade, subject), COLS);
    }

    private static Row districtCell(String district, int term, int grade, String subject) {
        return one(IndicatorsTest.district, String.format("district_id = '%s' and term = %d and grade_level = %d"
                + " and subject_code = '%s'", district, term, grade, subject), append(COLS, "suppressed"));
    }

    private static String[] append(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    private static Row cell(long n, long n5, long n4, long n3, long n2, String success, String quality, String sou,
                            String avg) {
        return row(n, n5, n4, n3, n2, dec(success), dec(quality), dec(sou), dec(avg));
    }

    @Test
    void successQualitySouAndAverageOfOneGroup() {
        // success (2+3+4)/10 = 90.00; quality (2+3)/10 = 50.00; СОУ (200 + 192 + 144 + 16)/10 = 55.20;
        // average (10 + 12 + 12 + 2)/10 = 3.60.
        assertThat(schoolCell("S1", 1, 5, "MATH")).isEqualTo(cell(10, 2, 3, 4, 1, "90.00", "50.00", "55.20", "3.60"));
        // PHYS: 4, 2, 5 → success 2/3 = 66.67; quality 66.67; СОУ (100 + 64 + 16)/3 = 60.00; avg 11/3 = 3.67.
        assertThat(schoolCell("S1", 1, 5, "PHYS")).isEqualTo(cell(3, 1, 1, 0, 1, "66.67", "66.67", "60.00", "3.67"));
    }

    @Test
    void allSubjectsCountsEachPupilOnceByTheLowestMark() {
        // Lowest marks: p1 min(5,4)=4, p2 5, p3 min(4,2)=2, p4 4, p5 4, p6 min(3,5)=3, p7–p9 3, p10 2
        // → n5=1 n4=3 n3=4 n2=2: success 80.00, quality 40.00, СОУ (100+192+144+32)/10 = 46.80, avg 33/10 = 3.30.
        assertThat(schoolCell("S1", 1, 5, "ALL")).isEqualTo(cell(10, 1, 3, 4, 2, "80.00", "40.00", "46.80", "3.30"));
    }

    @Test
    void gradeLevelZeroRollsUpTheSchool() {
        // S1 MATH term 1, grades 5 and 6: n5=3 n4=4 n3=4 n2=1, N=12: success 11/12 = 91.67, quality 7/12 = 58.33,
        // СОУ (300 + 256 + 144 + 16)/12 = 716/12 = 59.67, average 45/12 = 3.75.
        assertThat(schoolCell("S1", 1, 0, "MATH")).isEqualTo(cell(12, 3, 4, 4, 1, "91.67", "58.33", "59.67", "3.75"));
        // ALL over grades 5 and 6: the 10 above + q1 (5) and q2 (4) → n5=2 n4=4 n3=4 n2=2, N=12:
        // success 10/12 = 83.33, quality 6/12 = 50.00, СОУ (200 + 256 + 144 + 32)/12 = 632/12 = 52.67, avg 42/12 = 3.50.
        assertThat(schoolCell("S1", 1, 0, "ALL")).isEqualTo(cell(12, 2, 4, 4, 2, "83.33", "50.00", "52.67", "3.50"));
    }

    @Test
    void yearIsTermZeroFromAnnualMarks() {
        // Grade 6 annual: 5 and 4 → success 100.00, quality 100.00, СОУ 164/2 = 82.00, average 4.50.
        assertThat(schoolCell("S1", 0, 6, "MATH")).isEqualTo(cell(2, 1, 1, 0, 0, "100.00", "100.00", "82.00", "4.50"));
        assertThat(school.where("term = 0 and grade_level = 5").count()).isZero();
    }

    @Test
    void districtSumsItsSchoolsAndSuppressesSmallCells() {
        // D1 grade 5 MATH: S1's 10 + S2's 5,5,4 → n5=4 n4=4 n3=4 n2=1, N=13: success 12/13 = 92.31,
        // quality 8/13 = 61.54, СОУ (400 + 256 + 144 + 16)/13 = 816/13 = 62.77, average 50/13 = 3.85.
        assertThat(districtCell("D1", 1, 5, "MATH"))
                .isEqualTo(append(cell(13, 4, 4, 4, 1, "92.31", "61.54", "62.77", "3.85"), false));
        // Under 5 pupils: grade 6 (2), PHYS (3), D2 (1) — no numbers at all, only the flag.
        Row hidden = row(null, null, null, null, null, null, null, null, null, true);
        assertThat(districtCell("D1", 1, 6, "MATH")).isEqualTo(hidden);
        assertThat(districtCell("D1", 1, 5, "PHYS")).isEqualTo(hidden);
        assertThat(districtCell("D2", 1, 5, "MATH")).isEqualTo(hidden);
        assertThat(districtCell("D2", 1, 0, "ALL")).isEqualTo(hidden);
        assertThat(districtCell("D1", 2, 5, "ART")).isEqualTo(hidden);
        // Exactly 5 is shown: term 2 MATH 5 4 4 3 2 → success 4/5 = 80.00, quality 3/5 = 60.00,
        // СОУ (100 + 128 + 36 + 16)/5 = 56.00, average 18/5 = 3.60.
        assertThat(districtCell("D1", 2, 5, "MATH"))
                .isEqualTo(append(cell(5, 1, 2, 1, 1, "80.00", "60.00", "56.00", "3.60"), false));
        // Grade 0: D1 MATH term 1 has 10 + 2 + 3 = 15 pupils.
        assertThat(districtCell("D1", 1, 0, "MATH").<Long>getAs(0)).isEqualTo(15L);
        assertThat(district.columns()).containsExactlyElementsOf(
                kz.baga.contract.Table.DISTRICT_INDICATORS.columnNames());
    }

    private static Row append(Row r, Object value) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            values.add(r.get(i));
        }
        values.add(value);
        return row(values.toArray());
    }

    @Test
    void schoolTableHasTheContractColumns() {
        assertThat(school.columns()).containsExactlyElementsOf(kz.baga.contract.Table.SCHOOL_INDICATORS.columnNames());
        // The district id is carried on school rows for partitioning.
        assertThat(rows(school.where("school_id = 'S2'").select("district_id").distinct(), "district_id")).containsExactly(row("D1"));
    }

    /** What an incremental run relies on: the districts summed from the schools' rows are the districts' rows. */
    @Test
    void districtsFromTheSchoolsCountsAreTheDistrictsFromTheMarks() {
        Dataset<Row> fromSchools = Indicators.districtFromSchools(school, Rules.defaults());
        assertThat(fromSchools.columns()).containsExactly(district.columns());
        assertThat(fromSchools.exceptAll(district).count()).isZero();
        assertThat(district.exceptAll(fromSchools).count()).isZero();
        assertThat(fromSchools.count()).isEqualTo(district.count()).isPositive();
    }
}
