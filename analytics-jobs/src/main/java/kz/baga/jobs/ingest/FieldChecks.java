package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Column expressions that check one field (the IIN) or cut one field down (a rejected row's text), shared by the
 * reference files and the events; built-in Spark functions only.
 */
public final class FieldChecks {

    private static final int[] SECOND_WEIGHTS = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

    private FieldChecks() {
    }

    /**
     * Adds {@code problemColumn}: what is wrong with the IIN in {@code iinColumn} (docs/rules.md §7), or null when it
     * is valid — 12 ASCII digits, a real birth date with a known century digit, and a matching check digit.
     *
     * <p>Built in stages (the number, its digits, the two weighted sums, then the verdict), each a projection of
     * its own: as one expression the tree is so large that its generated code exceeds the JVM's method size
     * limit and Spark falls back to interpreting it. Staged, each part is compiled.
     */
    public static Dataset<Row> withIinProblem(Dataset<Row> rows, String iinColumn, String problemColumn) {
        return withIinProblem(rows, iinColumn, problemColumn, null);
    }

    /**
     * As {@link #withIinProblem(Dataset, String, String)}, but rows where {@code knownValid} holds skip the check
     * (their problem is null). Events use it for IINs found in the pupil directory, which holds only valid ones:
     * the digits, sums and pattern match are then paid only by the few rows that miss the directory.
     */
    public static Dataset<Row> withIinProblem(Dataset<Row> rows, String iinColumn, String problemColumn,
                                              Column knownValid) {
        String p = "_" + problemColumn + "_";
        Column iin = col(iinColumn);
        Column number = iin.try_cast("bigint");
        Dataset<Row> staged = rows.withColumn(p + "n", knownValid == null ? number : when(knownValid, lit(null))
                .otherwise(number));
        Column n = col(p + "n");
        List<Column> digits = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            long hi = pow10(13 - i);
            long lo = pow10(12 - i);
            // digit i = (n mod 10^(13-i) − n mod 10^(12-i)) / 10^(12-i): arithmetic, not 12 substrings and casts
            digits.add(n.mod(hi).minus(n.mod(lo)).divide(lo).cast("int").as(p + "d" + i));
        }
        staged = staged.select(concatColumns(col("*"), digits));
        Column first = lit(0);
        Column second = lit(0);
        for (int i = 1; i <= 11; i++) {
            first = first.plus(col(p + "d" + i).multiply(i));
            second = second.plus(col(p + "d" + i).multiply(SECOND_WEIGHTS[i - 1]));
        }
        Column century = col(p + "d7");
        staged = staged.select(col("*"),
                first.mod(11).as(p + "c1"),
                second.mod(11).as(p + "c2"),
                when(century.isin(1, 2), lit(1800)).when(century.isin(3, 4), lit(1900))
                        .when(century.isin(5, 6), lit(2000)).as(p + "base"),
                col(p + "d3").multiply(10).plus(col(p + "d4")).as(p + "month"),
                col(p + "d5").multiply(10).plus(col(p + "d6")).as(p + "day"));
        Column check = when(col(p + "c1").equalTo(10), col(p + "c2")).otherwise(col(p + "c1"));
        Column year = col(p + "base").plus(col(p + "d1").multiply(10)).plus(col(p + "d2"));
        Column month = col(p + "month");
        Column realDate = when(month.between(1, 12), col(p + "day").between(lit(1),
                dayofmonth(last_day(make_date(year, month, lit(1)))))).otherwise(lit(false));
        Column problem = when(iin.isNull(), lit("IIN is missing"))
                .when(iin.rlike("^[0-9]{12}$").equalTo(false), lit("IIN must be 12 digits"))
                .when(col(p + "base").isNull().or(realDate.equalTo(false)), lit("IIN birth date is not a real date"))
                .when(check.equalTo(10), lit("IIN has no valid check digit"))
                .when(check.notEqual(col(p + "d12")), lit("IIN check digit does not match"));
        List<String> helpers = new ArrayList<>(List.of(p + "n", p + "c1", p + "c2", p + "base", p + "month", p + "day"));
        for (int i = 1; i <= 12; i++) {
            helpers.add(p + "d" + i);
        }
        if (knownValid != null) {
            problem = when(knownValid, lit(null).cast("string")).otherwise(problem);
        }
        return staged.withColumn(problemColumn, problem).drop(helpers.toArray(String[]::new));
    }

    private static Column[] concatColumns(Column first, List<Column> rest) {
        List<Column> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(Column[]::new);
    }

    private static long pow10(int e) {
        long p = 1;
        for (int i = 0; i < e; i++) {
            p *= 10;
        }
        return p;
    }

    /** Bytes of a rejected row's raw text or detail that are kept: a 5 MB line is evidence enough in 4 kB. */
    public static final int MAX_TEXT_BYTES = 4096;

    /**
     * {@code text} cut to its first {@link #MAX_TEXT_BYTES} bytes (never inside a character), marked
     * {@code …[cut, N bytes]} with its full length; shorter text unchanged. Expects valid UTF-8.
     */
    public static Column capText(Column text) {
        Column bytes = octet_length(text);
        Column head = call_function("make_valid_utf8",
                substring(text.cast("binary"), 1, MAX_TEXT_BYTES).cast("string"));
        // A character cut in two becomes U+FFFD; drop it rather than keep half of it.
        Column cut = concat(regexp_replace(head, "\uFFFD{1,3}$", ""), lit("…[cut, "), bytes.cast("string"),
                lit(" bytes]"));
        return when(bytes.gt(MAX_TEXT_BYTES), cut).otherwise(text);
    }
}
