package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/** Validation expressions shared by the reference files and the events; built-in functions only. */
public final class Checks {

    private static final int[] SECOND_WEIGHTS = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

    private Checks() {
    }

    /**
     * What is wrong with an IIN (DOMAIN.md §7), or null when it is valid: 12 digits, a real birth date with a
     * known century digit, and a matching check digit.
     */
    public static Column iinProblem(Column iin) {
        Column first = lit(0);
        Column second = lit(0);
        for (int i = 1; i <= 11; i++) {
            Column d = substring(iin, i, 1).cast("int");
            first = first.plus(d.multiply(i));
            second = second.plus(d.multiply(SECOND_WEIGHTS[i - 1]));
        }
        Column c1 = first.mod(11);
        Column check = when(c1.equalTo(10), second.mod(11)).otherwise(c1);
        Column century = substring(iin, 7, 1);
        Column centuryPrefix = when(century.isin("1", "2"), lit("18"))
                .when(century.isin("3", "4"), lit("19"))
                .when(century.isin("5", "6"), lit("20"));
        Column birth = tryToDate(concat(centuryPrefix, substring(iin, 1, 6)), "yyyyMMdd");
        return when(iin.isNull(), lit("IIN is missing"))
                .when(iin.rlike("^[0-9]{12}$").equalTo(false), lit("IIN must be 12 digits"))
                .when(centuryPrefix.isNull().or(birth.isNull()), lit("IIN birth date is not a real date"))
                .when(check.equalTo(10), lit("IIN has no valid check digit"))
                .when(check.notEqual(substring(iin, 12, 1).cast("int")), lit("IIN check digit does not match"));
    }

    /** {@code try_to_date(value, format)}: null when the text is not a real date in that format. */
    public static Column tryToDate(Column value, String format) {
        return org.apache.spark.sql.functions.call_function("try_to_date", value, lit(format));
    }

    /** {@code try_cast(value as type)}. */
    public static Column tryCast(Column value, String type) {
        return value.try_cast(type);
    }
}
