package kz.baga.jobs.marks;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import kz.baga.contract.Table;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Annual and final marks (docs/rules.md §3): the annual mark is the mean of the year's term marks rounded half-up
 * ({@code (2·Σ + n) div (2·n)}, exact); an imported {@code YEAR} mark (history from a previous platform) stands
 * when present; the exam mark is reported beside it and the final mark follows the rules' policy.
 */
public final class AnnualGrades {

    private AnnualGrades() {
    }

    public static Dataset<Row> build(Dataset<Row> termGrades, Dataset<Row> events, Dataset<Row> placement, Rules rules) {
        return fromCertified(termGrades, TermGrades.certifiedAll(events), placement, rules);
    }

    /** {@link #build} from the certified marks already taken out of the events by {@link TermGrades#certifiedAll}. */
    public static Dataset<Row> fromCertified(Dataset<Row> termGrades, Dataset<Row> certifiedAll, Dataset<Row> placement,
                                             Rules rules) {
        Dataset<Row> computed = termGrades.groupBy("student_id", "subject_code", "academic_year")
                .agg(sum("mark").cast("int").as("term_sum"), count("mark").cast("int").as("term_count"),
                        // the mean of the term totals, for the class rankings' tie-break on the year (term
                        // marks without totals, e.g. only certified ones, have none)
                        (List.of(termGrades.columns()).contains("total_pct") ? avg("total_pct")
                                : lit(null).cast("decimal(13,8)")).as("year_pct"))
                .withColumn("computed_mark", expr("(2 * term_sum + term_count) div (2 * term_count)").cast("int"));
        Dataset<Row> imported = TermGrades.ofKind(certifiedAll, "YEAR");
        Dataset<Row> exams = TermGrades.ofKind(certifiedAll, "EXAM")
                .select(col("student_id").as("e_student"), col("subject_code").as("e_subject"),
                        col("academic_year").as("e_year"), col("imported_mark").as("exam_mark"));

        Dataset<Row> annual = computed.join(imported, new String[] {"student_id", "subject_code", "academic_year"},
                        "full_outer")
                .withColumn("mark", coalesce(col("imported_mark"), col("computed_mark")))
                .withColumn("mark_source", when(col("imported_mark").isNotNull(), lit(TermGrades.IMPORTED))
                        .otherwise(lit(TermGrades.COMPUTED)));
        annual = annual.join(exams, col("student_id").equalTo(col("e_student"))
                        .and(col("subject_code").equalTo(col("e_subject")))
                        .and(col("academic_year").equalTo(col("e_year"))), "left")
                .drop("e_student", "e_subject", "e_year");
        Column finalMark = rules.finalIsMeanOfAnnualAndExam()
                ? when(col("exam_mark").isNotNull(), expr("(mark + exam_mark + 1) div 2").cast("int")).otherwise(col("mark"))
                : col("mark");
        return annual.withColumn("final_mark", finalMark)
                .join(placement, new String[] {"student_id", "academic_year"}, "left");
    }

    public static Dataset<Row> table(Dataset<Row> annual) {
        return annual.select(Table.ANNUAL_GRADES.columnNames().stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /** CONFLICT findings at year level (term 0). */
    public static Dataset<Row> conflicts(Dataset<Row> annual) {
        Column differs = col("imported_mark").isNotNull().and(col("computed_mark").isNotNull())
                .and(col("imported_mark").notEqual(col("computed_mark")));
        Column detail = when(differs, concat(lit("certified annual mark "), col("imported_mark").cast("string"),
                        lit(" ("), col("imported_source"), lit(") stands; the term marks give "),
                        col("computed_mark").cast("string")))
                .otherwise(concat(lit("sources disagree on the annual mark: "), concat_ws(", ", col("marks")),
                        lit("; the latest ("), col("imported_source"), lit(") stands")));
        return annual.where(differs.or(coalesce(col("distinct_marks"), lit(0)).gt(1)))
                .select(col("student_id"), col("subject_code"), col("academic_year"), lit(0).as("term"),
                        lit("CONFLICT").as("issue"), detail.as("detail"), col("school_id"), col("class_label"));
    }
}
