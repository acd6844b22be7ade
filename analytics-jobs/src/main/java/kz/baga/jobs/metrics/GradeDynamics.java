package kz.baga.jobs.metrics;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sum;

import kz.baga.contract.Table;
import kz.baga.jobs.marks.EventTotals;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Grade dynamics: per pupil, subject and period (a calendar month by default; {@code week} in the rules gives
 * ISO weeks starting on Monday), the pupil's mean percentage over their ФО/СОР/СОЧ works in that period, and
 * the class's: the mean of its pupils' means (each pupil counts once, however many works they wrote), and
 * {@code sources}: the distinct sources of the pupil's works in that period, sorted and comma-separated.
 *
 * <p>Each work's percentage is taken to 10 decimals (half-up) and summed exactly; the pupil's mean is that sum
 * over the count rounded half-up to 4 decimals once. Not a threshold quantity, but deterministic: integer sums do
 * not depend on the order Spark merges partial aggregates in.
 */
public final class GradeDynamics {

    private GradeDynamics() {
    }

    public static Dataset<Row> build(Dataset<Row> events, Dataset<Row> placement, Rules rules) {
        return fromTotals(EventTotals.of(events, rules), placement);
    }

    /** From {@link EventTotals}' per-period rows (already bucketed by the rules' period). */
    public static Dataset<Row> fromTotals(Dataset<Row> totals, Dataset<Row> placement) {
        return withClassAverage(perPupil(totals, placement));
    }

    /**
     * Each pupil's rows without the class average: an incremental run computes these for the pupils whose events
     * changed, takes the others' from the previous snapshot, and averages whole classes again.
     */
    public static Dataset<Row> perPupil(Dataset<Row> totals, Dataset<Row> placement) {
        long perUnit = EventTotals.PCT_SCALE / 10_000;   // the sum's units per 0.0001 %: 10¹⁰ / 10⁴
        Dataset<Row> pupil = totals.where(col("pct_count").gt(0))
                .groupBy("student_id", "subject_code", "academic_year", "period_start")
                .agg(sum("pct_sum").as("pct_sum"), sum("pct_count").as("events"),
                        // which platform(s) the period's works came from, e.g. "bilimclass,kundelik"
                        array_join(array_sort(collect_set("source")), ",").as("sources"))
                // (2·Σ + n·10⁶) div (2·n·10⁶) = Σ/(n·10¹⁰) in units of 0.0001, half-up.
                .withColumn("avg_pct", expr("cast((2 * pct_sum + events * " + perUnit + ") div (2 * events * " + perUnit
                        + ") as decimal(18,0)) * 0.0001BD").cast("decimal(9,4)"))
                .withColumn("events", col("events").cast("int"))
                .join(placement.drop("grade_level"), new String[] {"student_id", "academic_year"});
        return pupil.select(Table.GRADE_DYNAMICS.columnNames().stream().filter(c -> !c.equals("class_avg_pct"))
                .map(c -> col(c)).toArray(Column[]::new));
    }

    /** {@code class_avg_pct}: the mean of the class's pupils' means per subject and period. */
    public static Dataset<Row> withClassAverage(Dataset<Row> pupil) {
        return pupil.withColumn("class_avg_pct", avg("avg_pct")
                        .over(Window.partitionBy("school_id", "class_label", "subject_code", "academic_year",
                                "period_start"))
                        .cast("decimal(9,4)"))
                .select(Table.GRADE_DYNAMICS.columnNames().stream().map(c -> col(c)).toArray(Column[]::new));
    }
}
