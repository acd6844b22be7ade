package kz.baga.jobs.metrics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;

import kz.baga.contract.Table;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Grade dynamics: per pupil, subject and period (a calendar month by default; {@code week} in the rules gives
 * ISO weeks starting on Monday), the pupil's mean percentage over their ФО/СОР/СОЧ works in that period, and
 * the class's: the mean of its pupils' means (each pupil counts once, however many works they wrote).
 */
public final class GradeDynamics {

    private GradeDynamics() {
    }

    public static Dataset<Row> build(Dataset<Row> events, Dataset<Row> placement, Rules rules) {
        Dataset<Row> pupil = events.where(col("kind").isin("FO", "SOR", "SOCH"))
                .withColumn("period_start", date_trunc(rules.dynamicsPeriod(), col("event_date")).cast("date"))
                .withColumn("pct", col("score").multiply(100).divide(col("max_score")))
                .groupBy("student_id", "subject_code", "academic_year", "period_start")
                .agg(avg("pct").cast("decimal(9,4)").as("avg_pct"), count("pct").cast("int").as("events"))
                .join(placement.drop("grade_level"), new String[] {"student_id", "academic_year"});
        return pupil.withColumn("class_avg_pct", avg("avg_pct")
                        .over(Window.partitionBy("school_id", "class_label", "subject_code", "academic_year",
                                "period_start"))
                        .cast("decimal(9,4)"))
                .select(Table.GRADE_DYNAMICS.columnNames().stream().map(c -> col(c)).toArray(Column[]::new));
    }
}
