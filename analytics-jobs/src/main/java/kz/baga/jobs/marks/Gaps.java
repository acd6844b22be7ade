package kz.baga.jobs.marks;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * GAP findings (docs/pipeline.md, "Warehouse"): a term without a mark in a year that has term marks after it,
 * and a year of a pupil's history (from grade 5 on) with no marks at all. A year known only by annual marks is
 * complete.
 */
public final class Gaps {

    public static final String ALL_SUBJECTS = "ALL";

    private Gaps() {
    }

    /** Per pupil and subject: terms before the latest marked term that have no mark. */
    public static Dataset<Row> termGaps(Dataset<Row> termGrades, Dataset<Row> subjects) {
        Dataset<Row> kinds = broadcast(subjects.select(col("subject_code").as("s_code"), col("assessment")));
        Dataset<Row> present = termGrades.groupBy("student_id", "subject_code", "academic_year", "school_id",
                        "class_label")
                .agg(collect_set("term").as("terms"), max("term").as("last_term"))
                .join(kinds, col("subject_code").equalTo(col("s_code")));
        Column expected = when(col("assessment").equalTo("HALF_YEAR"), array(lit(2), lit(4)))
                .otherwise(array(lit(1), lit(2), lit(3), lit(4)));
        Column missing = filter(expected, t -> t.lt(col("last_term")).and(not(array_contains(col("terms"), t))));
        return present.select(col("student_id"), col("subject_code"), col("academic_year"), col("school_id"),
                        col("class_label"), col("last_term"), explode(missing).as("term"))
                .select(col("student_id"), col("subject_code"), col("academic_year"), col("term"),
                        lit("GAP").as("issue"),
                        concat(lit("no mark for term "), col("term").cast("string"), lit(" while term "),
                                col("last_term").cast("string"), lit(" has one")).as("detail"),
                        col("school_id"), col("class_label"));
    }

    /**
     * Per pupil of the directory: each academic year from grade {@code historyFromGrade} up to the current one in
     * which the pupil has no event at all. Assumes one grade per year (a repeated year shows up as a gap to check).
     */
    public static Dataset<Row> yearGaps(Dataset<Row> directory, Dataset<Row> placement, Rules rules) {
        int from = rules.historyFromGrade();
        Column startYear = substring(col("academic_year"), 1, 4).cast("int");
        Dataset<Row> expected = directory.where(col("grade_level").geq(from))
                .select(col("student_id"), col("school_id"), col("class_label"), col("grade_level"),
                        startYear.as("current_start"),
                        explode(sequence(lit(from), col("grade_level"))).as("grade"))
                .withColumn("y", col("current_start").minus(col("grade_level").minus(col("grade"))))
                .withColumn("year", concat(col("y").cast("string"), lit("-"), col("y").plus(1).cast("string")));
        Dataset<Row> seen = placement.select(col("student_id").as("s_student"), col("academic_year").as("s_year"));
        return expected.join(seen, col("student_id").equalTo(col("s_student")).and(col("year").equalTo(col("s_year"))),
                        "left_anti")
                .select(col("student_id"), lit(ALL_SUBJECTS).as("subject_code"), col("year").as("academic_year"),
                        lit(0).as("term"), lit("GAP").as("issue"),
                        concat(lit("no marks at all for "), col("year"), lit(" (grade "), col("grade").cast("string"),
                                lit(")")).as("detail"),
                        col("school_id"), col("class_label"));
    }
}
