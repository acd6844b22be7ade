package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.time.MonthDay;
import java.util.ArrayList;
import java.util.List;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;

/**
 * Types and checks the canonical events. Each row gets a {@code reason} code (null when the row is accepted)
 * and a {@code detail}; the first failing check names the row's problem. Reason codes are stable:
 *
 * <table>
 * <tr><td>BAD_ENCODING</td><td>the line is not valid UTF-8 (a file in another encoding read as UTF-8)</td></tr>
 * <tr><td>BAD_CHARACTER</td><td>the line has a NUL byte (character 0), which casts and comparisons would hide</td></tr>
 * <tr><td>BAD_COLUMN_COUNT</td><td>the line has more or fewer fields than the header</td></tr>
 * <tr><td>MISSING_FIELD</td><td>a required field is empty (detail names them)</td></tr>
 * <tr><td>BAD_IIN</td><td>not 12 digits, not a real birth date, or a wrong check digit</td></tr>
 * <tr><td>BAD_YEAR</td><td>academic_year is not {@code YYYY-YYYY} with consecutive years</td></tr>
 * <tr><td>BAD_KIND</td><td>kind is not FO, SOR, SOCH, TERM, YEAR or EXAM</td></tr>
 * <tr><td>BAD_TERM</td><td>term is not 1–4, or a half-year subject's mark is not in term 2 or 4</td></tr>
 * <tr><td>BAD_NUMBER</td><td>score, max_score or grade_level is not a number</td></tr>
 * <tr><td>BAD_DATE</td><td>event_date or recorded_at is not a date in the source's format</td></tr>
 * <tr><td>UNKNOWN_SCHOOL, UNKNOWN_SUBJECT, UNKNOWN_PUPIL</td><td>not in the reference files</td></tr>
 * <tr><td>GRADE_NOT_MARKED</td><td>grade level outside the marked grades (grade 1 is not marked)</td></tr>
 * <tr><td>BAD_MAX_SCORE</td><td>max_score not positive; FO not out of 10; TERM/YEAR/EXAM not out of 5</td></tr>
 * <tr><td>SCORE_OUT_OF_RANGE</td><td>score below 0 or above max; FO outside 1–10; a mark outside 2–5 or not whole</td></tr>
 * <tr><td>DATE_OUTSIDE_YEAR</td><td>event_date outside the academic year</td></tr>
 * </table>
 */
public final class EventValidator {

    public static final List<String> KINDS = List.of("FO", "SOR", "SOCH", "TERM", "YEAR", "EXAM");
    public static final List<String> ASSESSMENT_KINDS = List.of("FO", "SOR", "SOCH");
    public static final List<String> CERTIFIED_KINDS = List.of("TERM", "YEAR", "EXAM");
    private static final List<String> REQUIRED = List.of("source", "event_id", "academic_year", "iin", "school_id",
            "subject_code", "term", "kind", "score", "max_score", "event_date_raw");

    private EventValidator() {
    }

    /** The canonical fields as read (text, before typing), named as in docs/pipeline.md ("Input layout"). */
    private static Column[] rawFields() {
        List<Column> out = new ArrayList<>();
        for (String c : SourceSpec.CANONICAL) {
            String read = c.equals("event_date") || c.equals("recorded_at") ? c + "_raw" : c;
            out.add(col(read).as(c));
        }
        return out.toArray(Column[]::new);
    }

    private record Check(Column failed, String reason, Column detail) {
    }

    /**
     * The validated events, and two counts Spark gathers as it computes them (read them once the rows have been
     * written): how many rows entered validation and how many it rejected. The pipeline checks both against what
     * it reads back, so a row lost between parsing and the staged files stops the run.
     */
    public record Validated(Dataset<Row> rows, Observation entered, Observation rejected) {

        public long enteredRows() {
            return rows(entered);
        }

        public long rejectedRows() {
            return rows(rejected);
        }

        /** Waits for the observation, which arrives when the action that computed the rows ends. */
        private static long rows(Observation observation) {
            try {
                return ((Number) observation.getAsJava().get("rows")).longValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Spark's validation counts", e);
            }
        }
    }

    /**
     * Ends a whole-stage code generation stage here, so that no generated method outgrows what HotSpot's C1 compiles
     * (about 8,000 bytes of bytecode; with generated classes kept off C2 by cli/JitDirectives, a larger one would run
     * interpreted). Spark has no operator that only ends a stage; an observation (CollectMetricsExec) generates no
     * code, so the stage ends at it, and its count is checked by the pipeline.
     */
    private static Dataset<Row> endStage(Dataset<Row> rows, Observation observation, Column metric) {
        return rows.observe(observation, metric.as("rows"));
    }

    /**
     * Generated as three code generation stages (see {@link #endStage}; ValidationCodegenTest checks their size):
     * the joins and the IIN check; the typed values and the reason code; the output columns.
     *
     * @param events   rows of {@link EventSources#OUTPUT}
     * @return the events with typed columns, {@code student_id}, {@code reason} and {@code detail}, and the counts
     */
    public static Validated validate(Dataset<Row> events, ReferenceData ref, Rules rules) {
        Observation entered = new Observation("validation_entered");
        Observation rejected = new Observation("validation_rejected");
        Dataset<Row> schools = ref.schools().select(col("school_id").as("ref_school_id"));
        Dataset<Row> subjects = ref.subjects().select(col("subject_code").as("ref_subject_code"),
                col("assessment").as("ref_assessment"));
        // Only what the checks and the class fill need; the join is broadcast while the directory is city-sized.
        Dataset<Row> pupils = ref.directory().select(col("iin").as("ref_iin"), col("student_id"),
                col("academic_year").as("ref_year"), col("class_label").as("ref_class"),
                col("grade_level").as("ref_grade"), col("years").as("ref_years"));

        Dataset<Row> joined = events
                .join(broadcast(schools), col("school_id").equalTo(col("ref_school_id")), "left")
                .join(broadcast(subjects), col("subject_code").equalTo(col("ref_subject_code")), "left")
                .join(pupils, col("iin").equalTo(col("ref_iin")), "left");

        // Three projections, so each expensive expression is evaluated once per row: typed values first, then
        // the reason code from cheap comparisons, then (only for rejected rows) the detail text and raw line.
        Column yearStartExpr = substring(col("academic_year"), 1, 4).try_cast("int");
        Column gradeGivenExpr = col("grade_level").try_cast("int");
        Dataset<Row> checkedIins = endStage(
                FieldChecks.withIinProblem(joined, "iin", "iin_problem", col("ref_iin").isNotNull()),
                entered, count(lit(1)));
        Dataset<Row> typed = checkedIins.select(
                col("*"),
                col("term").try_cast("int").as("term_i"),
                col("score").try_cast("decimal(9,2)").as("score_d"),
                col("max_score").try_cast("decimal(9,2)").as("max_d"),
                gradeGivenExpr.as("grade_given"),
                yearStartExpr.as("year_start"),
                substring(col("academic_year"), 6, 4).try_cast("int").as("year_end"),
                // A source without grade levels (or a history row) gets the grade the pupil had that year: from
                // students.csv's row of that year, else counted back from the current one.
                coalesce(gradeGivenExpr, try_element_at(col("ref_years"), col("academic_year")).getField("grade_level"),
                        col("ref_grade").minus(substring(col("ref_year"), 1, 4).try_cast("int").minus(yearStartExpr)))
                        .as("grade_i"),
                coalesce(col("class_label"),
                        try_element_at(col("ref_years"), col("academic_year")).getField("class_label")).as("class_i"),
                col("iin_problem"));

        Column termI = col("term_i");
        Column scoreD = col("score_d");
        Column maxD = col("max_d");
        Column grade = col("grade_i");
        Column kind = col("kind");
        Column anyMissing = lit(false);
        List<Column> missingNames = new ArrayList<>();
        for (String f : REQUIRED) {
            missingNames.add(when(col(f).isNull(), lit(f.replace("_raw", ""))));
            anyMissing = anyMissing.or(col(f).isNull());
        }
        // The year's first and last day from the integer years (no per-row string building and date parsing);
        // only reached for well-formed years, since BAD_YEAR is checked first.
        MonthDay firstDay = MonthDay.parse("--" + rules.yearStart());
        MonthDay lastDay = MonthDay.parse("--" + rules.yearEnd());
        Column start = make_date(col("year_start"), lit(firstDay.getMonthValue()), lit(firstDay.getDayOfMonth()));
        Column end = make_date(col("year_end"), lit(lastDay.getMonthValue()), lit(lastDay.getDayOfMonth()));
        Column isFo = kind.equalTo("FO");
        Column isCertified = kind.isin(CERTIFIED_KINDS.toArray());
        Column halfYearTerm = col("ref_assessment").equalTo("HALF_YEAR")
                .and(kind.isin("FO", "SOR", "SOCH", "TERM")).and(termI.isin(1, 3));

        // The line's text as read; a source without text lines (Parquet, a database) is checked on its fields.
        Column text = coalesce(col("raw"), concat_ws("", SourceSpec.CANONICAL.stream()
                .map(c -> col(c.equals("event_date") || c.equals("recorded_at") ? c + "_raw" : c))
                .toArray(Column[]::new)));
        List<Check> checks = List.of(
                // Before anything parses the fields: invalid bytes decode to U+FFFD, and casts trim a NUL away
                // ('5\0' became 5), so both would otherwise pass as good values.
                // A Parquet file's strings are bytes Spark does not check either, so its fields are checked too.
                new Check(call_function("is_valid_utf8", text).equalTo(false), "BAD_ENCODING",
                        when(col("raw").isNull(), lit("a text field is not valid UTF-8"))
                                .otherwise(lit("the line is not valid UTF-8 (a file in another encoding? a source's"
                                        + " manifest can name it, e.g. \"encoding\": \"windows-1251\")"))),
                // contains() scans bytes; instr() counts characters and is several times slower on every line.
                new Check(text.contains("\u0000"), "BAD_CHARACTER",
                        concat(lit("NUL byte (character 0) at character "), instr(text, "\u0000").cast("string"))),
                new Check(col("field_count").notEqual(col("expected_fields")), "BAD_COLUMN_COUNT",
                        concat(lit("expected "), col("expected_fields").cast("string"), lit(" fields, found "),
                                col("field_count").cast("string"))),
                new Check(anyMissing, "MISSING_FIELD",
                        concat(lit("empty: "), concat_ws(",", missingNames.toArray(Column[]::new)))),
                new Check(col("iin_problem").isNotNull(), "BAD_IIN", col("iin_problem")),
                // YYYY-YYYY, consecutive: the same as matching ^[0-9]{4}-[0-9]{4}$ (fields are trimmed, and a sign
                // or a blank inside four characters leaves a number below 1000), without a regular expression.
                new Check(length(col("academic_year")).notEqual(9)
                        .or(substring(col("academic_year"), 5, 1).notEqual("-"))
                        .or(col("year_start").between(1000, 9998).equalTo(false))
                        .or(col("year_end").minus(col("year_start")).notEqual(1)), "BAD_YEAR",
                        concat(lit("academic_year '"), col("academic_year"), lit("' is not YYYY-YYYY"))),
                new Check(kind.isin(KINDS.toArray()).equalTo(false), "BAD_KIND",
                        concat(lit("kind '"), kind, lit("' is not one of " + String.join(",", KINDS)))),
                new Check(termI.isNull().or(termI.between(1, 4).equalTo(false)), "BAD_TERM",
                        concat(lit("term '"), col("term"), lit("' is not 1-4"))),
                new Check(scoreD.isNull().or(maxD.isNull())
                        .or(col("grade_level").isNotNull().and(col("grade_given").isNull())), "BAD_NUMBER",
                        concat(lit("not a number: score '"), col("score"), lit("', max_score '"), col("max_score"),
                                lit("'"))),
                new Check(col("event_date").isNull()
                        .or(col("recorded_at_raw").isNotNull().and(col("recorded_at").isNull())), "BAD_DATE",
                        concat(lit("not a date: '"), col("event_date_raw"), lit("' / '"),
                                coalesce(col("recorded_at_raw"), lit("")), lit("'"))),
                new Check(col("ref_school_id").isNull(), "UNKNOWN_SCHOOL",
                        concat(lit("school '"), col("school_id"), lit("' is not in schools.csv"))),
                new Check(col("ref_subject_code").isNull(), "UNKNOWN_SUBJECT",
                        concat(lit("subject '"), col("subject_code"), lit("' is not in subjects.csv"))),
                new Check(halfYearTerm, "BAD_TERM",
                        concat(lit("subject "), col("subject_code"), lit(" is half-yearly: term 2 or 4, not "),
                                col("term"))),
                new Check(col("student_id").isNull(), "UNKNOWN_PUPIL", lit("IIN is not in students.csv")),
                new Check(grade.isNull().or(grade.between(rules.markedFrom(), rules.markedTo()).equalTo(false)),
                        "GRADE_NOT_MARKED",
                        concat(lit("grade level "), coalesce(grade.cast("string"), lit("unknown")),
                                lit(" is not marked (" + rules.markedFrom() + "-" + rules.markedTo() + ")"))),
                new Check(maxD.leq(0).or(isFo.and(maxD.notEqual(rules.foMax())))
                        .or(isCertified.and(maxD.notEqual(rules.certifiedMax()))), "BAD_MAX_SCORE",
                        concat(lit("max_score "), col("max_score"), lit(" is not valid for "), kind)),
                new Check(scoreD.lt(0).or(scoreD.gt(maxD))
                        .or(isFo.and(scoreD.lt(rules.foMin())))
                        .or(isCertified.and(scoreD.lt(rules.certifiedMin())
                                .or(scoreD.notEqual(scoreD.cast("int"))))), "SCORE_OUT_OF_RANGE",
                        concat(lit("score "), col("score"), lit(" out of range for "), kind, lit(" (max "),
                                col("max_score"), lit(")"))),
                new Check(col("event_date").lt(start).or(col("event_date").gt(end)), "DATE_OUTSIDE_YEAR",
                        concat(lit("event_date "), col("event_date").cast("string"), lit(" is outside "),
                                col("academic_year"))));

        // Each check's index is its position; the detail is chosen by that index, computed only when rejected.
        Column reasonIndex = null;
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            reasonIndex = reasonIndex == null ? when(c.failed(), lit(i)) : reasonIndex.when(c.failed(), lit(i));
        }
        Column reason = null;
        Column detail = null;
        for (int i = 0; i < checks.size(); i++) {
            Column is = col("reason_i").equalTo(i);
            reason = reason == null ? when(is, lit(checks.get(i).reason())) : reason.when(is, lit(checks.get(i).reason()));
            detail = detail == null ? when(is, checks.get(i).detail()) : detail.when(is, checks.get(i).detail());
        }

        Dataset<Row> reasoned = endStage(typed.withColumn("reason_i", reasonIndex), rejected, count(col("reason_i")));
        return new Validated(reasoned.select(
                col("student_id"),
                col("subject_code"),
                col("academic_year"),
                termI.as("term"),
                kind.as("kind"),
                scoreD.as("score"),
                maxD.as("max_score"),
                col("event_date"),
                col("recorded_at"),
                col("source"),
                col("event_id"),
                // The duplicate search groups this 64-bit hash, not the two strings.
                xxhash64(col("source"), col("event_id")).as("key_hash"),
                col("school_id"),
                col("class_i").as("class_label"),
                grade.as("grade_level"),
                col("ref_assessment").as("assessment"),
                col("file"),
                col("line"),
                // Accepted rows are kept as typed values; the raw text is the evidence only for rejected ones. A
                // source without text lines (Parquet) gets the row's canonical fields as JSON, built only here.
                when(col("reason_i").isNotNull(), FieldChecks.capText(call_function("make_valid_utf8",
                        coalesce(col("raw"), to_json(struct(rawFields())))))).as("raw"),
                reason.as("reason"),
                FieldChecks.capText(detail).as("detail")), entered, rejected);
    }
}
