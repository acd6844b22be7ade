package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.lit;
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
        // Arithmetic on the number, not 11 substrings and casts: digit i = (n mod 10^(13-i) − n mod 10^(12-i)) / 10^(12-i).
        Column n = iin.try_cast("bigint");
        Column[] d = new Column[13];
        for (int i = 1; i <= 12; i++) {
            long hi = pow10(13 - i);
            long lo = pow10(12 - i);
            d[i] = n.mod(hi).minus(n.mod(lo)).divide(lo).cast("int");
        }
        Column first = lit(0);
        Column second = lit(0);
        for (int i = 1; i <= 11; i++) {
            first = first.plus(d[i].multiply(i));
            second = second.plus(d[i].multiply(SECOND_WEIGHTS[i - 1]));
        }
        Column c1 = first.mod(11);
        Column check = when(c1.equalTo(10), second.mod(11)).otherwise(c1);
        Column century = d[7];
        Column base = when(century.isin(1, 2), lit(1800)).when(century.isin(3, 4), lit(1900))
                .when(century.isin(5, 6), lit(2000));
        Column year = base.plus(d[1].multiply(10)).plus(d[2]);
        Column month = d[3].multiply(10).plus(d[4]);
        Column day = d[5].multiply(10).plus(d[6]);
        Column realDate = when(month.between(1, 12), day.between(lit(1), dayofmonth(last_day(make_date(year, month, lit(1))))))
                .otherwise(lit(false));
        return when(iin.isNull(), lit("IIN is missing"))
                .when(iin.rlike("^[0-9]{12}$").equalTo(false), lit("IIN must be 12 digits"))
                .when(base.isNull().or(realDate.equalTo(false)), lit("IIN birth date is not a real date"))
                .when(check.equalTo(10), lit("IIN has no valid check digit"))
                .when(check.notEqual(d[12]), lit("IIN check digit does not match"));
    }

    private static long pow10(int e) {
        long p = 1;
        for (int i = 0; i < e; i++) {
            p *= 10;
        }
        return p;
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
