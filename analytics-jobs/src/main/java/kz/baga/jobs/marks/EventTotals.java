package kz.baga.jobs.marks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.math.BigInteger;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one pass over the assessment events (ФО, СОР, СОЧ) that the term marks and the grade dynamics share: per
 * pupil, subject, year, term and dynamics period (month or week), the sums and counts each of them needs. Each then
 * aggregates these rows (several events per row) instead of grouping every event itself. Per event only 64-bit
 * integer arithmetic (no decimal division), which keeps this one grouping cheaper than the two it replaces.
 *
 * <p>Columns: the key (with the works' {@code source}); {@code fo_n, fo_d, fo_count, sor_n, sor_d, sor_count, soch_n, soch_d, soch_count} (points
 * and maxima ×100 as integers, see {@link TermGrades}); {@code pct_sum, pct_count} (each work's percentage ×10¹⁰,
 * rounded half-up, summed; and the number of works).
 */
public final class EventTotals {

    static final String D38 = "decimal(38,0)";
    /** Scale of a work's percentage in {@code pct_sum}: 10 decimals. */
    public static final long PCT_SCALE = 10_000_000_000L;
    /** Above this many points (×100) the ×10¹² product would leave 64 bits; such works take the decimal path. */
    private static final long LONG_SAFE_POINTS = 4_000_000L;

    private EventTotals() {
    }

    /** Scores have two decimals: ×100 is an exact integer. A decimal(3,0) factor keeps the product 64-bit. */
    static Column hundredths(String column) {
        return col(column).multiply(lit(new BigDecimal(100))).cast("bigint");
    }

    public static Dataset<Row> of(Dataset<Row> events, Rules rules) {
        // points and maxima are taken once per event as columns; every sum and the percentage below use them
        Column points = col("points");
        Column maxima = col("maxima");
        Column kind = col("kind");
        Column isFo = kind.equalTo("FO");
        Column isSor = kind.equalTo("SOR");
        Column isSoch = kind.equalTo("SOCH");
        Column isWork = kind.isin("FO", "SOR", "SOCH");
        // 100·score/max ×10¹⁰ rounded half-up: (2·p·10¹² + m) div (2·m), in 64 bits whenever that cannot overflow.
        Column pctLong = expr("(points * 2000000000000 + maxima) div (2 * maxima)");
        Column pctWide = expr("cast((cast(points as " + D38 + ") * 2000000000000 + maxima) div (2 * maxima) as bigint)");
        Column pct = when(points.lt(LONG_SAFE_POINTS), pctLong).otherwise(pctWide);
        // Averaged СОР (a policy alternative): each work's ratio scaled by 10^12, i.e. exact to 1e-12.
        BigInteger scale = BigInteger.TEN.pow(12);
        Column sorN = rules.sorPooled()
                ? sum(when(isSor, points))
                : sum(when(isSor, points.cast(D38).multiply(lit(new BigDecimal(scale))).cast(D38)
                        .divide(maxima.cast(D38)).cast(D38)));
        Column sorD = rules.sorPooled()
                ? sum(when(isSor, maxima))
                : count(when(isSor, lit(1))).multiply(lit(new BigDecimal(scale))).cast(D38);
        return events.where(isWork)
                .withColumn("points", hundredths("score"))
                .withColumn("maxima", hundredths("max_score"))
                .withColumn("period_start", date_trunc(rules.dynamicsPeriod(), col("event_date")).cast("date"))
                // by source too, so the dynamics can say where a period's works came from; a period rarely has
                // works of two sources, so this adds few rows
                .groupBy("student_id", "subject_code", "academic_year", "term", "period_start", "source")
                .agg(
                        sum(when(isFo, points)).as("fo_n"),
                        sum(when(isFo, maxima)).as("fo_d"),
                        count(when(isFo, lit(1))).as("fo_count"),
                        sorN.as("sor_n"),
                        sorD.as("sor_d"),
                        count(when(isSor, lit(1))).as("sor_count"),
                        sum(when(isSoch, points)).as("soch_n"),
                        sum(when(isSoch, maxima)).as("soch_d"),
                        count(when(isSoch, lit(1))).as("soch_count"),
                        sum(pct).as("pct_sum"),
                        count(lit(1)).as("pct_count"));
    }
}
