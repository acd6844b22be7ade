package kz.baga.jobs.metrics;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kz.baga.contract.Table;
import kz.baga.jobs.marks.TermGrades;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Medal and honours status (docs/rules.md §4) over a pupil's whole history, with the findings that explain it.
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

    private static Column anyOf(Column grade, int[] values) {
        Column c = lit(false);
        for (int v : values) {
            c = c.or(grade.equalTo(v));
        }
        return c;
    }

    /**
     * The term marks, annual marks and GAP rows of the evaluated pupils and one row per pupil are brought to one
     * shape and spread over the pupil's awards; each finding is then a column of that one dataset, not a plan of
     * its own. Two aggregations remain: per pupil, award, subject and year (fixed-width values only, so a hash
     * aggregation) for the annual-only awards, and per pupil and award over the findings. A union of one plan per
     * finding, each with its own joins, would run dozens of small jobs with large task binaries, whatever the size
     * of the district.
     *
     * @param directory   the pupil directory (current year and grade)
     * @param termGrades  term marks with grade_level
     * @param annual      annual marks with grade_level, exam and final marks
     * @param gaps        GAP findings (reconciliation rows)
     */
    public static Dataset<Row> build(Dataset<Row> directory, Dataset<Row> termGrades, Dataset<Row> annual,
                                     Dataset<Row> gaps, Dataset<Row> subjects, Rules rules) {
        int top = rules.topMark();
        Column curGrade = col("cur_grade");
        Column awards = filter(array(
                when(anyOf(curGrade, rules.honours9EvaluatedIn()), lit(HONOURS_9)),
                when(anyOf(curGrade, rules.honours11EvaluatedIn()), lit(HONOURS_11)),
                when(anyOf(curGrade, rules.altynEvaluatedIn()), lit(ALTYN_BELGI))), a -> a.isNotNull());
        // The pupils evaluated this year: those whose current grade carries at least one award.
        Dataset<Row> evaluated = directory.select(col("student_id"), col("school_id"), col("class_label"),
                        col("grade_level").as("cur_grade"), col("academic_year").as("cur_year"))
                .withColumn("cur_start", substring(col("cur_year"), 1, 4).cast("int"))
                .where(functions.size(awards).gt(0));
        Dataset<Row> current = broadcast(evaluated.select("student_id", "cur_year", "cur_start", "cur_grade",
                "school_id", "class_label"));

        // Facts in one shape; kind T = term mark, A = annual mark, G = gap, P = the pupil (one per pupil, so that a
        // pupil without any finding still gets a row).
        Column noSoch = List.of(termGrades.columns()).contains("soch_count")
                ? coalesce(col("soch_count"), lit(0)).equalTo(0) : lit(false);
        Dataset<Row> facts = asFacts(termGrades, "T", noSoch, List.of("subject_code", "academic_year", "term", "mark",
                        "total_pct", "mark_source", "grade_level"))
                .unionByName(asFacts(annual, "A", lit(false), List.of("subject_code", "academic_year", "mark",
                        "mark_source", "grade_level", "final_mark", "exam_mark")))
                .unionByName(asFacts(gaps, "G", lit(false), List.of("subject_code", "academic_year", "term", "detail")))
                .join(current, "student_id");
        Dataset<Row> pupilFacts = asFacts(evaluated, "P", lit(false), List.of(), "cur_year", "cur_start", "cur_grade",
                "school_id", "class_label");
        Column isTerm = col("kind").equalTo("T");

        // The current term is the pupil's latest term of the current year (any subject). It is running while its
        // mark is only computed: for the annual-only awards its mark is not final, so it is open like the terms
        // still to come and never makes a LOST. For «Алтын белгі» (every term mark counts) the running term is
        // "open" only until its СОЧ is written: a mark below 5 there is a warning (AT_RISK), after the СОЧ it is
        // final.
        Dataset<Row> currentTerms = facts.where(isTerm.and(col("academic_year").equalTo(col("cur_year"))))
                .groupBy("student_id").agg(max("term").as("cur_term"));
        Dataset<Row> rows = facts.unionByName(pupilFacts)
                .join(broadcast(currentTerms), new String[] {"student_id"}, "left")
                .withColumn("running", isTerm.and(coalesce(col("academic_year").equalTo(col("cur_year"))
                        .and(col("term").equalTo(col("cur_term")))
                        .and(col("mark_source").equalTo(TermGrades.COMPUTED)), lit(false))))
                .withColumn("open", col("running").and(col("no_soch")))
                .withColumn("award", explode(awards))
                // Annual-mark range per award: which grades' annual and final marks must be 5.
                .withColumn("lo", when(col("award").equalTo(HONOURS_11), lit(rules.honours11Grades()[0]))
                        .otherwise(lit(rules.honours9Grades()[0])))
                .withColumn("hi", when(col("award").equalTo(HONOURS_9), lit(last(rules.honours9Grades())))
                        .otherwise(lit(last(rules.honours11Grades()))))
                // The grade a fact belongs to; a gap's grade is counted back from the pupil's current grade.
                .withColumn("g", when(col("kind").equalTo("G"), curGrade.minus(col("cur_start")
                        .minus(substring(col("academic_year"), 1, 4).cast("int")))).otherwise(col("grade_level")))
                .withColumn("row_finding", rowFinding(rules));

        // Per subject and year: the current year of the annual-only awards — can the annual mark still be 5? Only
        // finished term marks count; every open slot (the running term and the terms still to come) is taken at
        // its best, a 5. The annual mark is the half-up mean: LOST when even that is below 5; AT_RISK when one
        // point less in any open slot would lose it, i.e. every remaining term must be 5. Both depend on the
        // multiset of finished marks only, never on their order or on whether the running term's СОЧ is written.
        // Every aggregate is a fixed-width value (the marks of terms 1-4 one by one, the single running term's mark),
        // and the pupil's columns are grouping keys (one value per pupil), so that Spark aggregates in its hash map
        // instead of sorting (its partial aggregation runs before the shuffle, so few rows are moved).
        Column finished = isTerm.and(col("running").equalTo(false));
        Column finishedMark = when(finished, col("mark"));
        List<Column> aggregates = new ArrayList<>(List.of(
                coalesce(sum(finishedMark), lit(0)).cast("int").as("s"), count(finishedMark).cast("int").as("c"),
                max(when(isTerm, col("grade_level"))).as("f_grade"),
                max(when(col("running"), col("term"))).as("running_term"),
                max(when(col("running"), col("mark"))).as("running_mark"),
                max(isTerm).as("has_terms"),
                max(col("kind").equalTo("A").and(col("mark_source").equalTo("IMPORTED"))).as("imported_annual")));
        for (int term = 1; term <= 4; term++) {
            aggregates.add(max(when(finished.and(col("term").equalTo(term)), col("mark"))).as("m" + term));
        }
        Column[] keyCols = Arrays.stream(new String[] {"student_id", "award", "cur_year", "school_id",
                "class_label", "cur_grade", "lo", "hi"}).map(c -> col(c)).toArray(Column[]::new);
        Dataset<Row> kinds = broadcast(subjects.select(col("subject_code").as("k_code"), col("assessment")));
        Dataset<Row> perSubject = rows.where(isTerm.or(col("kind").equalTo("A")))
                .groupBy(concatCols(keyCols, col("subject_code"), col("academic_year")))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .join(kinds, col("subject_code").equalTo(col("k_code")), "left")
                .withColumn("e", when(col("assessment").equalTo("HALF_YEAR"), lit(2)).otherwise(lit(4)))
                // best: finished marks plus a 5 in every open slot; n: the number of terms the mean is over
                .withColumn("best_sum", expr("s + " + top + " * greatest(e - c, 0)"))
                .withColumn("n", expr("greatest(e, c)"))
                .withColumn("best", expr("(2 * best_sum + n) div (2 * n)"))
                .withColumn("one_less", expr("(2 * (best_sum - 1) + n) div (2 * n)"))
                // the finished marks in term order (terms are 1-4: validated), then the running term's mark so far
                .withColumn("marks_text", concat(
                        concat_ws(",", col("m1").cast("string"), col("m2").cast("string"), col("m3").cast("string"),
                                col("m4").cast("string")),
                        when(col("running_mark").isNotNull(), concat(lit(" (term "),
                                col("running_term").cast("string"), lit(" still open: "),
                                col("running_mark").cast("string"), lit(" so far)"))).otherwise(lit(""))));
        Column annualOnly = col("award").notEqual(ALTYN_BELGI).and(col("has_terms"))
                .and(col("academic_year").equalTo(col("cur_year"))).and(col("f_grade").between(col("lo"), col("hi")))
                // a certified annual mark of the year stands; a subject missing from subjects.csv has no term count
                .and(not(coalesce(col("imported_annual"), lit(false)))).and(col("k_code").isNotNull());
        Column subjectFinding = when(annualOnly.and(col("best").lt(top)), finding("LOST", "ANNUAL_CANNOT_REACH_TOP",
                        lit(null), col("best"), lit(null), lit(null), concat(col("subject_code"), lit(" "),
                                col("academic_year"), lit(": term marks "), col("marks_text"),
                                lit(" - the annual mark can no longer be " + top))))
                .when(annualOnly.and(col("best").geq(top)).and(col("c").lt(col("e"))).and(col("one_less").lt(top)),
                        finding("AT_RISK", "TERM_BELOW_TOP", lit(null), col("best"), lit(null), lit(null),
                                concat(col("subject_code"), lit(" "), col("academic_year"), lit(": term marks "),
                                        col("marks_text"), lit(" - every remaining term must be " + top))));
        Dataset<Row> subjectFindings = perSubject.select(concatCols(keyCols, subjectFinding.as("finding")))
                .where(col("finding").isNotNull());
        // Single facts' findings, and one row per pupil and award with none (so that every pupil gets a status).
        Dataset<Row> factFindings = rows.where(col("row_finding").isNotNull().or(col("kind").equalTo("P")))
                .select(concatCols(keyCols, col("row_finding").as("finding")));
        // Few rows (findings and pupils): this second shuffle is small.
        Dataset<Row> perAward = factFindings.unionByName(subjectFindings)
                .groupBy(keyCols)
                .agg(collect_list(col("finding")).as("findings"));

        // Status is the first category that has a finding (LOST, INCOMPLETE, AT_RISK), else ON_TRACK; the reasons
        // are that category's findings.
        Column best = filter(col("findings"), f -> f.getField("cat_rank").equalTo(
                array_min(transform(col("findings"), x -> x.getField("cat_rank")))));
        Column none = functions.size(col("findings")).equalTo(0);
        Dataset<Row> statuses = perAward
                .withColumn("best", best)
                .withColumn("status", when(none, lit("ON_TRACK")).otherwise(element_at(col("best"), 1)
                        .getField("category")))
                .withColumn("reasons", when(none, lit("every mark so far meets the condition"))
                        .otherwise(concat_ws("; ", array_sort(filter(transform(col("best"), f -> f.getField("text")),
                                t -> t.isNotNull())))))
                .withColumn("reason_details", transform(sort_array(transform(col("best"), f -> struct(
                        f.getField("academic_year").as("academic_year"), f.getField("subject_code").as("subject_code"),
                        f.getField("term").as("term"), f.getField("code").as("code"), f.getField("mark").as("mark"),
                        f.getField("pct").as("pct"), f.getField("points_short").as("points_short")))), d -> struct(
                        d.getField("code").as("code"), d.getField("subject_code").as("subject_code"),
                        d.getField("academic_year").as("academic_year"), d.getField("term").as("term"),
                        d.getField("mark").as("mark"), d.getField("pct").as("pct"),
                        d.getField("points_short").as("points_short"))))
                .withColumn("academic_year", col("cur_year"))
                .withColumn("grade_level", col("cur_grade"));
        return statuses.select(Table.MEDAL_ELIGIBILITY.columnNames().stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /**
     * The finding a single fact makes for one award, or null. The conditions cannot hold together for one fact (a
     * mark is below 5 or not; an open term or not), so the first that holds is the only one.
     */
    private static Column rowFinding(Rules rules) {
        int top = rules.topMark();
        int[] altynTerms = rules.altynTermGrades();
        Column kind = col("kind");
        Column inScope = col("g").between(col("lo"), col("hi"));
        Column altynTerm = kind.equalTo("T").and(col("award").equalTo(ALTYN_BELGI))
                .and(col("g").between(altynTerms[0], last(altynTerms)));
        Column annualFact = kind.equalTo("A").and(inScope);
        // A finished year, or a certified annual mark: annual and final marks below the top mark lose the award.
        Column finished = col("academic_year").lt(col("cur_year")).or(col("mark_source").equalTo("IMPORTED"));
        BigDecimal margin = rules.atRiskBelow();
        // Running totals of the current term close to the line. A certified (imported) term mark closes the term.
        Column close = kind.equalTo("T").and(col("term").equalTo(col("cur_term")))
                .and(col("academic_year").equalTo(col("cur_year")))
                .and(inScope.or(col("award").equalTo(ALTYN_BELGI)))
                .and(col("mark_source").equalTo(TermGrades.COMPUTED))
                .and(col("mark").geq(top)).and(col("total_pct").lt(margin));
        return when(annualFact.and(finished).and(col("mark").lt(top)), finding("LOST", "ANNUAL_BELOW_TOP", lit(null),
                        col("mark"), lit(null), lit(null), concat(col("subject_code"), lit(" "), col("academic_year"),
                                lit(" (grade "), col("g").cast("string"), lit("): annual mark "),
                                col("mark").cast("string"))))
                .when(annualFact.and(col("final_mark").lt(top)).and(col("mark").geq(top)), finding("LOST",
                        "FINAL_BELOW_TOP", lit(null), col("final_mark"), lit(null), lit(null),
                        concat(col("subject_code"), lit(" "), col("academic_year"), lit(": final mark "),
                                col("final_mark").cast("string"), lit(" (exam "),
                                coalesce(col("exam_mark").cast("string"), lit("-")), lit(")"))))
                // «Алтын белгі»: every term mark of grades 10-11 is 5; an open term below 5 is only a warning.
                .when(altynTerm.and(col("open")).and(col("mark").lt(top)), finding("AT_RISK",
                        "RUNNING_TOTAL_BELOW_TOP", col("term"), col("mark"), col("total_pct"),
                        lit(BigDecimal.valueOf(rules.topMarkMinPercent()).subtract(new BigDecimal("0.5")))
                                .minus(col("total_pct")),
                        concat(col("subject_code"), lit(" term "), col("term").cast("string"),
                                lit(" (open, no СОЧ yet): running total "), oneDecimal(col("total_pct"), false),
                                lit(" % gives "), col("mark").cast("string"), lit(" so far; "
                                        + rules.topMarkMinPercent() + " % (rounded) is needed for a " + top))))
                .when(altynTerm.and(col("mark").lt(top)).and(col("open").equalTo(false)), finding("LOST",
                        "TERM_BELOW_TOP", col("term"), col("mark"), col("total_pct"), lit(null),
                        concat(col("subject_code"), lit(" "), col("academic_year"), lit(" term "),
                                col("term").cast("string"), lit(": mark "), col("mark").cast("string"))))
                // Shown to one decimal, the total rounded down and the shortfall up, so that they never read as
                // "88.0 %, 0.1 points below 88 %" (87.95 → 87.9 and 0.1).
                .when(close, finding("AT_RISK", "RUNNING_TOTAL_CLOSE", col("term"), col("mark"), col("total_pct"),
                        lit(margin).minus(col("total_pct")),
                        concat(col("subject_code"), lit(" term "), col("term").cast("string"), lit(": running total "),
                                oneDecimal(col("total_pct"), false), lit(" %, "),
                                oneDecimal(lit(margin).minus(col("total_pct")), true),
                                lit(" points below " + margin.stripTrailingZeros().toPlainString() + " %"))))
                // Gaps in the years or terms the award looks at.
                .when(kind.equalTo("G").and(inScope), finding("INCOMPLETE",
                        null, col("term"), lit(null), lit(null), lit(null),
                        concat(col("subject_code"), lit(" "), col("academic_year"), lit(": "), col("detail"))));
    }

    /** The columns every fact has, in order, with their types; a kind that lacks one has null there. */
    private static final String[][] FACT_COLUMNS = {{"subject_code", "string"}, {"academic_year", "string"},
        {"term", "int"}, {"mark", "int"}, {"total_pct", "decimal(9,4)"}, {"mark_source", "string"},
        {"grade_level", "int"}, {"final_mark", "int"}, {"exam_mark", "int"}, {"detail", "string"}};

    /**
     * {@code rows} as facts of one kind: the fact columns named in {@code present} are taken, the others are null;
     * the columns in {@code keep} follow as they are.
     */
    private static Dataset<Row> asFacts(Dataset<Row> rows, String kind, Column noSoch, List<String> present,
                                        String... keep) {
        List<Column> cols = new ArrayList<>(List.of(col("student_id"), lit(kind).as("kind")));
        for (String[] c : FACT_COLUMNS) {
            cols.add((present.contains(c[0]) ? col(c[0]) : lit(null)).cast(c[1]).as(c[0]));
        }
        cols.add(noSoch.as("no_soch"));
        for (String k : keep) {
            cols.add(col(k));
        }
        return rows.select(cols.toArray(Column[]::new));
    }

    private static Column[] concatCols(Column[] cols, Column... more) {
        Column[] all = Arrays.copyOf(cols, cols.length + more.length);
        System.arraycopy(more, 0, all, cols.length, more.length);
        return all;
    }

    private static int last(int[] values) {
        return values[values.length - 1];
    }

    /** {@code value} with one decimal, rounded up or down (never half-up), as text. */
    private static Column oneDecimal(Column value, boolean up) {
        Column tenths = up ? ceil(value.multiply(10)) : floor(value.multiply(10));
        return tenths.cast("decimal(9,0)").divide(10).cast("decimal(6,1)").cast("string");
    }

    /**
     * A finding: its rank (LOST 1, INCOMPLETE 2, AT_RISK 3), category, code (for a gap: MISSING_YEAR or
     * MISSING_TERM), subject, year, term, mark, percentage, points short and text.
     */
    private static Column finding(String category, String code, Column term, Column mark, Column pct, Column shortBy,
                                  Column text) {
        int rank = switch (category) {
            case "LOST" -> 1;
            case "INCOMPLETE" -> 2;
            default -> 3;
        };
        Column codeCol = code != null ? lit(code)
                : when(col("term").equalTo(0), lit("MISSING_YEAR")).otherwise(lit("MISSING_TERM"));
        return struct(lit(rank).as("cat_rank"), lit(category).as("category"), codeCol.as("code"),
                col("subject_code").as("subject_code"), col("academic_year").as("academic_year"),
                term.cast("int").as("term"), mark.cast("int").as("mark"), pct.cast("decimal(9,4)").as("pct"),
                shortBy.cast("decimal(9,4)").as("points_short"), text.as("text"));
    }
}
