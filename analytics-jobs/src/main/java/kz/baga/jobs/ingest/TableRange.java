package kz.baga.jobs.ingest;

/**
 * The rows of a database table a run reads by the table's growing column: those with a value above {@code after}
 * and up to {@code upTo}. A full read ({@code after} null) also takes the rows with no value; {@code upTo} null
 * means the table had no value at all when it was looked at, so only such rows are read.
 *
 * <p>Values are the database's own text of them ({@code max(column)::text}), given back as literals that
 * PostgreSQL casts to the column's type, so a timestamp compares as a timestamp and a number as a number.
 */
public record TableRange(String column, String after, String upTo) {

    /** The SQL condition of this range; the column is a checked identifier, the values quoted literals. */
    public String predicate() {
        String c = "\"" + column + "\"";
        if (upTo == null) {
            return c + " is null";
        }
        if (after == null) {
            return "(" + c + " <= " + literal(upTo) + " or " + c + " is null)";
        }
        return "(" + c + " > " + literal(after) + " and " + c + " <= " + literal(upTo) + ")";
    }

    /** A value as an SQL string literal. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
