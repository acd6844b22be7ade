package kz.baga.jobs.marks;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import kz.baga.contract.Table;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Term marks (docs/rules.md §2) from ФО/СОР/СОЧ, and imported {@code TERM} marks with the certified mark standing.
 *
 * <p>Exactness: a mark is decided by comparing the total with whole-percent thresholds after half-up rounding,
 * so the total is never a rounded decimal on the way. Scores have at most two decimals; scaled by 100 they
 * are integers, and the weighted total is one fraction {@code num/den} of integers (decimal(38,0)):
 * <pre>
 *   num = 100 · Σ_c w_c · n_c · Π_{k≠c} d_k      den = (Σ_c w_c) · Π_k d_k
 * </pre>
 * over the present components c ∈ {FO, SOR, SOCH} (n = points, d = maxima; an absent component has w = 0,
 * d = 1, which renormalises the weights of the others). The rounded percentage is then the integer
 * {@code (2·num + den) div (2·den)} — half-up, exactly. {@code total_pct} is the same fraction rounded half-up to
 * 4 decimals once (never a sum of rounded component percentages), and each component percentage likewise.
 */
public final class TermGrades {

    public static final String COMPUTED = "COMPUTED";
    public static final String IMPORTED = "IMPORTED";
    private static final String D38 = "decimal(38,0)";

    private TermGrades() {
    }

    /** Computed term totals per (student, subject, year, term) from assessments; mark in {@code computed_mark}. */
    public static Dataset<Row> computed(Dataset<Row> events, Dataset<Row> subjects, Rules rules) {
        return fromTotals(EventTotals.of(events, rules), subjects, rules);
    }

    /** {@link #computed} from the shared per-period totals of {@link EventTotals}. */
    public static Dataset<Row> fromTotals(Dataset<Row> totals, Dataset<Row> subjects, Rules rules) {
        Dataset<Row> marked = broadcast(subjects.where(col("assessment").notEqual("PASS_FAIL")).select("subject_code"));
        // Per-event sums were taken in 64-bit integers (scores have two decimals, so ×100 is exact); the wide
        // decimal arithmetic below runs once per term, not once per event.
        Dataset<Row> agg = totals.join(marked, "subject_code")
                .groupBy("student_id", "subject_code", "academic_year", "term").agg(
                        sum("fo_n").cast(D38).as("fo_n"),
                        sum("fo_d").cast(D38).as("fo_d"),
                        sum("fo_count").cast("int").as("fo_count"),
                        sum("sor_n").cast(D38).as("sor_n"),
                        sum("sor_d").cast(D38).as("sor_d"),
                        sum("sor_count").cast("int").as("sor_count"),
                        sum("soch_n").cast(D38).as("soch_n"),
                        sum("soch_d").cast(D38).as("soch_d"),
                        sum("soch_count").cast("int").as("soch_count"));

        Column hasSoch = col("soch_count").gt(0);
        Column wF = weight(rules, "FO", hasSoch, col("fo_count"));
        Column wS = weight(rules, "SOR", hasSoch, col("sor_count"));
        Column wC = weight(rules, "SOCH", hasSoch, col("soch_count"));
        Column dF = when(col("fo_count").gt(0), col("fo_d")).otherwise(lit(BigDecimal.ONE)).cast(D38);
        Column dS = when(col("sor_count").gt(0), col("sor_d")).otherwise(lit(BigDecimal.ONE)).cast(D38);
        Column dC = when(col("soch_count").gt(0), col("soch_d")).otherwise(lit(BigDecimal.ONE)).cast(D38);
        Column nF = coalesce(col("fo_n"), lit(BigDecimal.ZERO)).cast(D38);
        Column nS = coalesce(col("sor_n"), lit(BigDecimal.ZERO)).cast(D38);
        Column nC = coalesce(col("soch_n"), lit(BigDecimal.ZERO)).cast(D38);

        Dataset<Row> fractions = agg
                .withColumn("w_f", wF).withColumn("w_s", wS).withColumn("w_c", wC)
                .withColumn("d_f", dF).withColumn("d_s", dS).withColumn("d_c", dC)
                .withColumn("n_f", nF).withColumn("n_s", nS).withColumn("n_c", nC)
                .withColumn("num", lit(new BigDecimal(100)).multiply(
                        col("w_f").multiply(col("n_f")).multiply(col("d_s")).multiply(col("d_c"))
                                .plus(col("w_s").multiply(col("n_s")).multiply(col("d_f")).multiply(col("d_c")))
                                .plus(col("w_c").multiply(col("n_c")).multiply(col("d_f")).multiply(col("d_s"))))
                        .cast(D38))
                .withColumn("den", col("w_f").plus(col("w_s")).plus(col("w_c"))
                        .multiply(col("d_f")).multiply(col("d_s")).multiply(col("d_c")).cast(D38))
                .where(col("den").gt(0));

        // Integral division: half-up rounding to a whole percent with no intermediate rounding.
        Column rounded = expr("(2 * num + den) div (2 * den)").cast("int");
        return fractions.select(
                col("student_id"), col("subject_code"), col("academic_year"), col("term"),
                pct("fo_n", "fo_d", col("fo_count")).as("fo_pct"),
                pct("sor_n", "sor_d", col("sor_count")).as("sor_pct"),
                pct("soch_n", "soch_d", col("soch_count")).as("soch_pct"),
                fourDecimals("num", "den").as("total_pct"),
                rounded.as("rounded_pct"),
                markFor(rounded, rules).as("computed_mark"),
                col("fo_count"), col("sor_count"), col("soch_count"));
    }

    /** {@code n/d·100} as decimal(9,4) (half-up, exactly), null when the component is absent. */
    private static Column pct(String n, String d, Column count) {
        return when(count.gt(0), fourDecimals("100 * " + n, d));
    }

    /**
     * The fraction {@code num/den} of non-negative integers (SQL expressions) rounded half-up to 4 decimals once,
     * as decimal(9,4): the integer {@code (2·10⁴·num + den) div (2·den)} (an exact integral division), scaled by
     * 10⁻⁴. A decimal division would not do: Spark rounds its quotient to 6 decimals, and rounding that again to 4
     * is 0.0001 off whenever it makes a 5 of the 5th decimal (92.0726495… → 92.072650 → 92.0727, not 92.0726).
     */
    private static Column fourDecimals(String num, String den) {
        String n = "cast(" + num + " as " + D38 + ")";
        String d = "cast(" + den + " as " + D38 + ")";
        return expr("cast((cast(20000 * " + n + " as " + D38 + ") + " + d + ") div cast(2 * " + d + " as " + D38
                + ") as decimal(18,0)) * 0.0001BD").cast("decimal(9,4)");
    }

    /** The weight of a component as an integer (rules weights × 10^4), 0 when the component is absent. */
    private static Column weight(Rules rules, String kind, Column hasSoch, Column componentCount) {
        BigDecimal with = rules.weight(kind, true).movePointRight(4);
        BigDecimal without = rules.weight(kind, false).movePointRight(4);
        return when(componentCount.gt(0), when(hasSoch, lit(with)).otherwise(lit(without))).otherwise(lit(BigDecimal.ZERO))
                .cast(D38);
    }

    /** The mark for a whole rounded percentage, by the rules' scale. */
    public static Column markFor(Column roundedPct, Rules rules) {
        Column mark = null;
        for (Rules.ScaleStep step : rules.scale()) {
            Column cond = roundedPct.geq(step.minPercent());
            mark = mark == null ? when(cond, lit(step.mark())) : mark.when(cond, lit(step.mark()));
        }
        return mark;
    }

    /**
     * Certified marks of one kind ({@code TERM} or {@code YEAR}) per key: the latest recorded one stands;
     * {@code marks} lists every distinct value with its source so disagreements can be reported.
     */
    public static Dataset<Row> certified(Dataset<Row> events, String kind, String... key) {
        return latestMarks(events.where(col("kind").equalTo(kind)), key);
    }

    /**
     * Every certified mark ({@code TERM}, {@code YEAR}, {@code EXAM}) in one pass over the events, keyed by
     * {@code kind}, pupil, subject, year and {@code term} (0 for the year's marks); {@link #ofKind} takes one kind out.
     */
    public static Dataset<Row> certifiedAll(Dataset<Row> events) {
        return latestMarks(events.where(col("kind").isin("TERM", "YEAR", "EXAM"))
                        .withColumn("term", when(col("kind").equalTo("TERM"), col("term")).otherwise(lit(0))),
                "kind", "student_id", "subject_code", "academic_year", "term");
    }

    /** The marks of one kind from {@link #certifiedAll}, without {@code kind} (and {@code term} unless TERM). */
    public static Dataset<Row> ofKind(Dataset<Row> certifiedAll, String kind) {
        Dataset<Row> rows = certifiedAll.where(col("kind").equalTo(kind)).drop("kind");
        return kind.equals("TERM") ? rows : rows.drop("term");
    }

    private static Dataset<Row> latestMarks(Dataset<Row> events, String... key) {
        Column[] keys = java.util.Arrays.stream(key).map(k -> col(k)).toArray(Column[]::new);
        return events.groupBy(keys)
                .agg(max(struct(coalesce(col("recorded_at"), col("event_date").cast("timestamp")).as("t"),
                                col("source"), col("event_id"), col("score").cast("int").as("mark"))).as("latest"),
                        sort_array(collect_set(concat(col("source"), lit("="), col("score").cast("int").cast("string"))))
                                .as("marks"),
                        collect_set(col("score").cast("int")).as("distinct_marks"))
                .select(java.util.stream.Stream.concat(java.util.Arrays.stream(keys), java.util.stream.Stream.of(
                        col("latest.mark").as("imported_mark"), col("latest.source").as("imported_source"),
                        col("marks"), size(col("distinct_marks")).as("distinct_marks"))).toArray(Column[]::new));
    }

    /**
     * {@code term_grades}: computed and imported marks joined; the imported (certified) mark stands when both
     * exist, the computed one beside it.
     */
    public static Dataset<Row> build(Dataset<Row> computed, Dataset<Row> imported, Dataset<Row> placement) {
        // A using-join: the key columns come out once, merged from both sides.
        Dataset<Row> joined = computed.join(imported,
                        new String[] {"student_id", "subject_code", "academic_year", "term"}, "full_outer")
                .select(col("student_id"), col("subject_code"), col("academic_year"), col("term"),
                        col("fo_pct"), col("sor_pct"), col("soch_pct"), col("total_pct"),
                        coalesce(col("imported_mark"), col("computed_mark")).as("mark"),
                        when(col("imported_mark").isNotNull(), lit(IMPORTED)).otherwise(lit(COMPUTED)).as("mark_source"),
                        col("computed_mark"), col("rounded_pct"), col("fo_count"), col("sor_count"), col("soch_count"),
                        col("imported_mark"), col("imported_source"), col("marks"), col("distinct_marks"));
        return joined.join(placement, new String[] {"student_id", "academic_year"}, "left");
    }

    /** Only the contract's columns, in its order. */
    public static Dataset<Row> table(Dataset<Row> termGrades) {
        return termGrades.select(Table.TERM_GRADES.columnNames().stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /** CONFLICT findings: certified vs computed, and sources that disagree on the certified mark. */
    public static Dataset<Row> conflicts(Dataset<Row> termGrades) {
        Column differs = col("imported_mark").isNotNull().and(col("computed_mark").isNotNull())
                .and(col("imported_mark").notEqual(col("computed_mark")));
        Column detail = when(differs, concat(lit("certified term mark "), col("imported_mark").cast("string"),
                        lit(" ("), col("imported_source"), lit(") stands; computed from assessments: "),
                        col("computed_mark").cast("string"), lit(" (total "), col("total_pct").cast("string"),
                        lit(" %)")))
                .otherwise(concat(lit("sources disagree on the term mark: "), concat_ws(", ", col("marks")),
                        lit("; the latest ("), col("imported_source"), lit(") stands")));
        return termGrades.where(differs.or(coalesce(col("distinct_marks"), lit(0)).gt(1)))
                .select(col("student_id"), col("subject_code"), col("academic_year"), col("term"),
                        lit("CONFLICT").as("issue"), detail.as("detail"), col("school_id"), col("class_label"));
    }
}
