package kz.baga.jobs.metrics;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import kz.baga.contract.Table;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * School and district indicators (docs/rules.md §6) by academic year, term (0 = the year, from annual marks), grade
 * level (0 = all) and subject ({@code ALL} = across subjects).
 *
 * <p>Per subject, N counts the pupils with a mark. Across subjects ({@code ALL}) each pupil is counted once, by
 * their lowest mark in the period: a pupil with only 5s is an "отличник" (n5), with 4s and 5s a "хорошист"
 * (n4), with a 3 somewhere n3, with a 2 somewhere n2 — the way Kazakh schools report успеваемость and качество
 * for a class. District cells describing fewer pupils than the rules' minimum are suppressed.
 */
public final class Indicators {

    public static final String ALL = "ALL";

    private Indicators() {
    }

    /** One row per pupil, subject and period with the mark: {@code term} 1–4 from term marks, 0 from annual. */
    public static Dataset<Row> marks(Dataset<Row> termGrades, Dataset<Row> annualGrades, Dataset<Row> schools) {
        String[] cols = {"student_id", "academic_year", "term", "grade_level", "subject_code", "school_id", "mark"};
        Dataset<Row> terms = termGrades.selectExpr(cols);
        Dataset<Row> years = annualGrades.withColumn("term", lit(0)).selectExpr(cols);
        Dataset<Row> perSubject = terms.unionByName(years).where(col("school_id").isNotNull()
                .and(col("grade_level").isNotNull()));
        Dataset<Row> perPupil = perSubject.groupBy("student_id", "academic_year", "term", "grade_level", "school_id")
                .agg(min("mark").as("mark"))
                .withColumn("subject_code", lit(ALL));
        return perSubject.unionByName(perPupil.selectExpr(cols))
                .join(broadcast(schools.select("school_id", "district_id")), "school_id");
    }

    public static Dataset<Row> school(Dataset<Row> marks, Rules rules) {
        Dataset<Row> byGrade = aggregate(marks, rules, "school_id", "district_id", "academic_year", "term", "grade_level",
                "subject_code");
        Dataset<Row> allGrades = aggregate(marks.withColumn("grade_level", lit(0)), rules, "school_id", "district_id",
                "academic_year", "term", "grade_level", "subject_code");
        return byGrade.unionByName(allGrades)
                .select(Table.SCHOOL_INDICATORS.columnNames().stream().map(c -> col(c)).toArray(Column[]::new));
    }

    public static Dataset<Row> district(Dataset<Row> marks, Rules rules) {
        Dataset<Row> byGrade = aggregate(marks, rules, "district_id", "academic_year", "term", "grade_level",
                "subject_code");
        Dataset<Row> allGrades = aggregate(marks.withColumn("grade_level", lit(0)), rules, "district_id",
                "academic_year", "term", "grade_level", "subject_code");
        return suppressed(byGrade.unionByName(allGrades), rules);
    }

    /** Cells of fewer pupils than the rules' minimum keep only their keys and {@code suppressed}. */
    private static Dataset<Row> suppressed(Dataset<Row> rows, Rules rules) {
        Dataset<Row> all = rows.withColumn("suppressed", col("n").lt(rules.districtMinCell()));
        for (String c : List.of("n", "n5", "n4", "n3", "n2", "success_rate", "quality_rate", "sou", "avg_mark")) {
            all = all.withColumn(c, when(col("suppressed"), lit(null)).otherwise(col(c)));
        }
        return all.select(Table.DISTRICT_INDICATORS.columnNames().stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /**
     * The district rows from the school rows: a district's counts are the sum of its schools' (each mark belongs to
     * one school), and every rate follows from the counts, so this equals {@link #district} over the marks. What an
     * incremental run uses, having recomputed only some schools.
     */
    public static Dataset<Row> districtFromSchools(Dataset<Row> schoolIndicators, Rules rules) {
        Dataset<Row> counts = schoolIndicators.groupBy("district_id", "academic_year", "term", "grade_level",
                        "subject_code")
                .agg(sum("n").cast("bigint").as("n"), sum("n5").cast("bigint").as("n5"),
                        sum("n4").cast("bigint").as("n4"), sum("n3").cast("bigint").as("n3"),
                        sum("n2").cast("bigint").as("n2"));
        return suppressed(rates(counts, rules), rules);
    }

    private static Dataset<Row> aggregate(Dataset<Row> marks, Rules rules, String... keys) {
        Column n = count(lit(1));
        Dataset<Row> counts = marks.groupBy(keys[0], java.util.Arrays.copyOfRange(keys, 1, keys.length)).agg(
                n.as("n"),
                sum(when(col("mark").equalTo(5), 1).otherwise(0)).cast("bigint").as("n5"),
                sum(when(col("mark").equalTo(4), 1).otherwise(0)).cast("bigint").as("n4"),
                sum(when(col("mark").equalTo(3), 1).otherwise(0)).cast("bigint").as("n3"),
                sum(when(col("mark").leq(2), 1).otherwise(0)).cast("bigint").as("n2"));
        return rates(counts, rules);
    }

    private static Dataset<Row> rates(Dataset<Row> counts, Rules rules) {
        Column total = col("n").cast("decimal(20,0)");
        return counts
                .withColumn("success_rate", rate(col("n5").plus(col("n4")).plus(col("n3")).multiply(100), total))
                .withColumn("quality_rate", rate(col("n5").plus(col("n4")).multiply(100), total))
                .withColumn("sou", rate(col("n5").multiply(rules.souWeight(5)).plus(col("n4").multiply(rules.souWeight(4)))
                        .plus(col("n3").multiply(rules.souWeight(3))).plus(col("n2").multiply(rules.souWeight(2))), total))
                .withColumn("avg_mark", rate(col("n5").multiply(5).plus(col("n4").multiply(4))
                        .plus(col("n3").multiply(3)).plus(col("n2").multiply(2)), total));
    }

    /** numerator / N, rounded half-up to two decimals (decimal arithmetic, no binary floating point). */
    private static Column rate(Column numerator, Column total) {
        return numerator.cast("decimal(20,0)").divide(total).cast("decimal(7,2)");
    }
}
