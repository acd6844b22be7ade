package kz.baga.jobs.metrics;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import kz.baga.contract.Table;
import kz.baga.jobs.marks.TermGrades;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Medal and honours status (DOMAIN.md §4) over a pupil's whole history, with the findings that explain it.
 *
 * <ul>
 * <li>{@code HONOURS_9}: annual and final marks of 5 in every subject of grades 5–9 (evaluated in grade 9).</li>
 * <li>{@code HONOURS_11}: annual and final marks of 5 in every subject of grades 10–11.</li>
 * <li>{@code ALTYN_BELGI}: the grade 5–9 condition, and every term, annual and final mark of grades 10–11 is 5.</li>
 * </ul>
 * Findings, by category: {@code LOST} — a finished mark below 5, a term mark below 5 where every term counts
 * (for «Алтын белгі» the running term's mark is final once its СОЧ is written), or finished term marks that make
 * an annual 5 impossible even with 5s in every open term; {@code INCOMPLETE} — a GAP in the years or terms the
 * award looks at; {@code AT_RISK} — in the current term a subject's running total (a computed term mark; a
 * certified {@code TERM} mark closes the term) gives a 5 but is below the rules' margin (88 %), or, for
 * «Алтын белгі», is below 5 with no СОЧ yet, or an annual-only award keeps its annual 5 only with a 5 in every
 * open term. For the annual-only awards the running term is open (not final) whether or not its СОЧ is written:
 * its mark never makes a LOST, and the status depends only on the multiset of finished term marks.
 * Status is the first category that has a finding, else {@code ON_TRACK}; {@code reasons} lists that category's
 * findings.
 */
public final class MedalEligibility {

    public static final String ALTYN_BELGI = "ALTYN_BELGI";
    public static final String HONOURS_11 = "HONOURS_11";
    public static final String HONOURS_9 = "HONOURS_9";

    private MedalEligibility() {
    }

    private static Column inGrades(Column grade, int[] range) {
        return grade.between(range[0], range[range.length - 1]);
    }

    private static Column anyOf(Column grade, int[] values) {
        Column c = lit(false);
        for (int v : values) {
            c = c.or(grade.equalTo(v));
        }
        return c;
    }

    /**
     * @param directory   the pupil directory (current year and grade)
     * @param termGrades  term marks with grade_level
     * @param annual      annual marks with grade_level, exam and final marks
     * @param gaps        GAP findings (reconciliation rows)
     */
    public static Dataset<Row> build(Dataset<Row> directory, Dataset<Row> termGrades, Dataset<Row> annual,
                                     Dataset<Row> gaps, Dataset<Row> subjects, Rules rules) {
        int top = rules.topMark();
        Column grade = col("grade_level");
        Dataset<Row> pupils = directory.select(col("student_id"), col("school_id"), col("class_label"),
                        col("grade_level"), col("academic_year").as("cur_year"),
                        explode(filter(array(
                                when(anyOf(grade, rules.honours9EvaluatedIn()), lit(HONOURS_9)),
                                when(anyOf(grade, rules.honours11EvaluatedIn()), lit(HONOURS_11)),
                                when(anyOf(grade, rules.altynEvaluatedIn()), lit(ALTYN_BELGI))), a -> a.isNotNull()))
                                .as("award"))
                .withColumn("cur_start", substring(col("cur_year"), 1, 4).cast("int"));

        // Annual-mark range per award: which grades' annual and final marks must be 5.
        int[] h9 = rules.honours9Grades();
        int[] h11 = rules.honours11Grades();
        int[] altynTerms = rules.altynTermGrades();
        Column annualLo = when(col("award").equalTo(HONOURS_11), lit(h11[0])).otherwise(lit(h9[0]));
        Column annualHi = when(col("award").equalTo(HONOURS_9), lit(h9[h9.length - 1])).otherwise(lit(h11[h11.length - 1]));
        // Every finding below joins these few inputs; they are small (only pupils of the evaluated grades) and
        // cached, so that the eight findings do not each recompute them with their own shuffles and joins.
        pupils = pupils.persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> scoped = pupils.withColumn("lo", annualLo).withColumn("hi", annualHi)
                .select("student_id", "award", "cur_year", "cur_start", "lo", "hi")
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> candidates = broadcast(pupils.select("student_id").distinct());
        termGrades = termGrades.join(candidates, "student_id");
        annual = annual.join(candidates, "student_id");

        List<Dataset<Row>> findings = new ArrayList<>();

        // The current term (the pupil's latest term of the current year) is running while its mark is only
        // computed: for the annual-only awards its mark is not final, so it is open like the terms still to come
        // and never makes a LOST. For «Алтын белгі» (every term mark counts) the running term is "open" only until
        // its СОЧ is written: a mark below 5 there is a warning (AT_RISK), after the СОЧ it is final.
        Dataset<Row> currentTerm = termGrades.groupBy("student_id", "academic_year").agg(max("term").as("cur_term"));
        Column noSoch = List.of(termGrades.columns()).contains("soch_count")
                ? coalesce(col("soch_count"), lit(0)).equalTo(0) : lit(false);
        Dataset<Row> dir = directory.select(col("student_id").as("o_student"), col("academic_year").as("o_year"));
        termGrades = termGrades.join(currentTerm, new String[] {"student_id", "academic_year"}, "left")
                .join(dir, col("student_id").equalTo(col("o_student")), "left")
                .withColumn("running", coalesce(col("academic_year").equalTo(col("o_year"))
                        .and(col("term").equalTo(col("cur_term")))
                        .and(col("mark_source").equalTo(TermGrades.COMPUTED)), lit(false)))
                .withColumn("open", col("running").and(noSoch))
                .drop("o_student", "o_year")
                .persist(StorageLevel.MEMORY_AND_DISK());

        // 1. Finished years: annual and final marks below the top mark.
        Dataset<Row> annualFacts = annual.select(col("student_id"), col("subject_code"), col("academic_year"),
                col("grade_level").as("f_grade"), col("mark"), col("final_mark"), col("exam_mark"),
                col("mark_source"), col("term_count"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> withScope = annualFacts.join(scoped, "student_id")
                .withColumn("g", col("f_grade"))
                .where(col("g").between(col("lo"), col("hi")));
        Column finished = col("academic_year").lt(col("cur_year")).or(col("mark_source").equalTo("IMPORTED"));
        findings.add(finding(withScope.where(finished.and(col("mark").lt(top))), "LOST", "ANNUAL_BELOW_TOP",
                col("mark"), concat(col("subject_code"), lit(" "), col("academic_year"), lit(" (grade "),
                        col("g").cast("string"), lit("): annual mark "), col("mark").cast("string"))));
        findings.add(finding(withScope.where(col("final_mark").lt(top).and(col("mark").geq(top))), "LOST",
                "FINAL_BELOW_TOP", col("final_mark"), concat(col("subject_code"), lit(" "), col("academic_year"),
                        lit(": final mark "), col("final_mark").cast("string"), lit(" (exam "),
                        coalesce(col("exam_mark").cast("string"), lit("-")), lit(")"))));

        // 2. The current year of annual-only conditions: can the annual mark still be 5? Only finished term marks
        // count; every open slot (the running term and the terms still to come) is taken at its best, a 5. The
        // annual mark is the half-up mean: LOST when even that is below 5; AT_RISK when one point less in any open
        // slot would lose it, i.e. every remaining term must be 5. Both depend on the multiset of finished marks
        // only, never on their order or on whether the running term's СОЧ is written yet.
        Dataset<Row> kinds = broadcast(subjects.select(col("subject_code").as("k_code"), col("assessment")));
        Column finishedMark = when(col("running").equalTo(false), col("mark"));
        Dataset<Row> current = termGrades.groupBy("student_id", "subject_code", "academic_year")
                .agg(coalesce(sum(finishedMark), lit(0)).cast("int").as("s"), count(finishedMark).cast("int").as("c"),
                        max("grade_level").as("f_grade"),
                        sort_array(collect_list(when(col("running").equalTo(false).and(col("mark").isNotNull()),
                                struct(col("term"), col("mark"))))).as("term_marks"),
                        max(when(col("running").and(col("mark").isNotNull()), struct(col("term"), col("mark"))))
                                .as("running_mark"))
                .join(kinds, col("subject_code").equalTo(col("k_code")))
                .withColumn("e", when(col("assessment").equalTo("HALF_YEAR"), lit(2)).otherwise(lit(4)))
                .join(scoped.where(col("award").notEqual(ALTYN_BELGI)), "student_id")
                .where(col("academic_year").equalTo(col("cur_year")).and(col("f_grade").between(col("lo"), col("hi"))))
                .join(annualFacts.where(col("mark_source").equalTo("IMPORTED"))
                        .select(col("student_id").as("i_student"), col("subject_code").as("i_subject"),
                                col("academic_year").as("i_year")),
                        col("student_id").equalTo(col("i_student")).and(col("subject_code").equalTo(col("i_subject")))
                                .and(col("academic_year").equalTo(col("i_year"))), "left_anti")
                // best: finished marks plus a 5 in every open slot; n: the number of terms the mean is over
                .withColumn("best_sum", expr("s + " + top + " * greatest(e - c, 0)"))
                .withColumn("n", expr("greatest(e, c)"))
                .withColumn("best", expr("(2 * best_sum + n) div (2 * n)"))
                .withColumn("one_less", expr("(2 * (best_sum - 1) + n) div (2 * n)"))
                .withColumn("g", col("f_grade"))
                .withColumn("marks_text", concat(
                        concat_ws(",", transform(col("term_marks"), tm -> tm.getField("mark").cast("string"))),
                        when(col("running_mark").isNotNull(), concat(lit(" (term "),
                                col("running_mark.term").cast("string"), lit(" still open: "),
                                col("running_mark.mark").cast("string"), lit(" so far)"))).otherwise(lit(""))));
        findings.add(finding(current.where(col("best").lt(top)), "LOST", "ANNUAL_CANNOT_REACH_TOP", col("best"),
                concat(col("subject_code"), lit(" "), col("academic_year"), lit(": term marks "), col("marks_text"),
                        lit(" - the annual mark can no longer be " + top))));
        findings.add(finding(current.where(col("best").geq(top).and(col("c").lt(col("e")))
                        .and(col("one_less").lt(top))), "AT_RISK", "TERM_BELOW_TOP",
                col("best"), concat(col("subject_code"), lit(" "), col("academic_year"), lit(": term marks "),
                        col("marks_text"), lit(" - every remaining term must be " + top))));

        // 3. Altyn belgi: every term mark of grades 10-11 is 5.
        Dataset<Row> terms = termGrades.select(col("student_id"), col("subject_code"), col("academic_year"),
                col("term"), col("mark"), col("total_pct"), col("mark_source"), col("grade_level").as("g"),
                col("open"), col("cur_term"));
        Dataset<Row> altynTermFacts = terms.join(scoped.where(col("award").equalTo(ALTYN_BELGI)), "student_id")
                .where(col("g").between(altynTerms[0], altynTerms[altynTerms.length - 1]));
        // Only where every term mark counts: for the annual-only awards a running mark below 5 is handled by 2.
        Dataset<Row> openBelow = terms.where(col("open").and(col("mark").lt(top))).join(scoped, "student_id")
                .where(col("award").equalTo(ALTYN_BELGI)
                        .and(col("g").between(altynTerms[0], altynTerms[altynTerms.length - 1])));
        findings.add(finding(openBelow, "AT_RISK", "RUNNING_TOTAL_BELOW_TOP", col("mark"),
                concat(col("subject_code"), lit(" term "), col("term").cast("string"),
                        lit(" (open, no СОЧ yet): running total "), oneDecimal(col("total_pct"), false), lit(" % gives "),
                        col("mark").cast("string"), lit(" so far; " + rules.topMarkMinPercent()
                                + " % (rounded) is needed for a " + top)),
                lit(BigDecimal.valueOf(rules.topMarkMinPercent()).subtract(new BigDecimal("0.5"))).minus(col("total_pct"))));
        findings.add(finding(altynTermFacts.where(col("mark").lt(top).and(col("open").equalTo(false))), "LOST",
                "TERM_BELOW_TOP", col("mark"),
                concat(col("subject_code"), lit(" "), col("academic_year"), lit(" term "), col("term").cast("string"),
                        lit(": mark "), col("mark").cast("string"))));

        // 4. Running totals of the current term close to the line.
        BigDecimal margin = rules.atRiskBelow();
        Dataset<Row> running = terms
                .where(col("term").equalTo(col("cur_term")))
                .join(scoped, "student_id")
                .where(col("academic_year").equalTo(col("cur_year"))
                        .and(col("g").between(col("lo"), col("hi")).or(col("award").equalTo(ALTYN_BELGI)))
                        // A certified (imported) term mark closes the term: nothing is running any more.
                        .and(col("mark_source").equalTo(TermGrades.COMPUTED))
                        .and(col("mark").geq(top)).and(col("total_pct").lt(margin)));
        // Shown to one decimal, the total rounded down and the shortfall up, so that they never read as
        // "88.0 %, 0.1 points below 88 %" (87.95 → 87.9 and 0.1).
        findings.add(finding(running, "AT_RISK", "RUNNING_TOTAL_CLOSE", col("mark"),
                concat(col("subject_code"), lit(" term "), col("term").cast("string"), lit(": running total "),
                        oneDecimal(col("total_pct"), false), lit(" %, "),
                        oneDecimal(lit(margin).minus(col("total_pct")), true),
                        lit(" points below " + margin.stripTrailingZeros().toPlainString() + " %")),
                lit(margin).minus(col("total_pct"))));

        // 5. Gaps in the years or terms the award looks at.
        Dataset<Row> gapFacts = gaps.select(col("student_id"), col("subject_code"), col("academic_year"), col("term"),
                        col("detail"))
                .join(scoped.join(pupils.select(col("student_id").as("p_student"), col("award").as("p_award"),
                                col("grade_level").as("cur_grade")),
                        col("student_id").equalTo(col("p_student")).and(col("award").equalTo(col("p_award")))),
                        "student_id")
                .withColumn("g", col("cur_grade").minus(col("cur_start")
                        .minus(substring(col("academic_year"), 1, 4).cast("int"))))
                .where(col("g").between(col("lo"), col("hi")));
        findings.add(finding(gapFacts, "INCOMPLETE",
                null, lit(null).cast("int"), concat(col("subject_code"), lit(" "), col("academic_year"),
                        lit(": "), col("detail"))));

        Dataset<Row> all = findings.get(0);
        for (int i = 1; i < findings.size(); i++) {
            all = all.unionByName(findings.get(i));
        }
        Column rankOf = when(col("category").equalTo("LOST"), lit(1)).when(col("category").equalTo("INCOMPLETE"), lit(2))
                .otherwise(lit(3));
        Dataset<Row> ranked = all.withColumn("cat_rank", rankOf);
        Dataset<Row> decisive = ranked.groupBy("student_id", "award").agg(org.apache.spark.sql.functions.min("cat_rank").as("best_rank"));
        Dataset<Row> reasons = ranked.join(decisive, new String[] {"student_id", "award"})
                .where(col("cat_rank").equalTo(col("best_rank")))
                .groupBy("student_id", "award")
                .agg(max("category").as("status"),
                        array_sort(collect_list(col("text"))).as("texts"),
                        sort_array(collect_list(struct(col("academic_year"), col("subject_code"), col("term"),
                                col("code"), col("mark"), col("pct"), col("points_short")))).as("details"));

        Dataset<Row> statuses = pupils.join(reasons, new String[] {"student_id", "award"}, "left")
                .withColumn("status", coalesce(col("status"), lit("ON_TRACK")))
                .withColumn("reasons", when(col("texts").isNull(), lit("every mark so far meets the condition"))
                        .otherwise(concat_ws("; ", col("texts"))))
                .withColumn("reason_details", transform(coalesce(col("details"), expr(
                        "cast(array() as array<struct<academic_year:string,subject_code:string,term:int,code:string,"
                                + "mark:int,pct:decimal(9,4),points_short:decimal(9,4)>>)")), d -> struct(
                        d.getField("code").as("code"), d.getField("subject_code").as("subject_code"),
                        d.getField("academic_year").as("academic_year"), d.getField("term").as("term"),
                        d.getField("mark").as("mark"), d.getField("pct").as("pct"),
                        d.getField("points_short").as("points_short"))))
                .withColumn("academic_year", col("cur_year"));
        return statuses.select(Table.MEDAL_ELIGIBILITY.columnNames().stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /** {@code value} with one decimal, rounded up or down (never half-up), as text. */
    private static Column oneDecimal(Column value, boolean up) {
        Column tenths = up ? ceil(value.multiply(10)) : floor(value.multiply(10));
        return tenths.cast("decimal(9,0)").divide(10).cast("decimal(6,1)").cast("string");
    }

    /** A finding row: student, award, category, code, subject, year, term, mark, pct, points short, text. */
    private static Dataset<Row> finding(Dataset<Row> rows, String category, String code, Column mark, Column text) {
        return finding(rows, category, code, mark, text, lit(null));
    }

    private static Dataset<Row> finding(Dataset<Row> rows, String category, String code, Column mark, Column text,
                                        Column shortBy) {
        List<String> cols = List.of(rows.columns());
        Column term = cols.contains("term") ? col("term").cast("int") : lit(null).cast("int");
        Column pct = cols.contains("total_pct") ? col("total_pct").cast("decimal(9,4)") : lit(null).cast("decimal(9,4)");
        Column codeCol = code != null ? lit(code)
                : when(col("term").equalTo(0), lit("MISSING_YEAR")).otherwise(lit("MISSING_TERM"));
        return rows.select(col("student_id"), col("award"), lit(category).as("category"), codeCol.as("code"),
                col("subject_code"), col("academic_year"), term.as("term"), mark.cast("int").as("mark"),
                pct.as("pct"), shortBy.cast("decimal(9,4)").as("points_short"), text.as("text"));
    }
}
