package kz.baga.contract;

/**
 * One column of a warehouse table.
 *
 * @param name     the column name users' scripts rely on (never rename; add instead)
 * @param type     the Spark SQL / DDL type ({@code string}, {@code int}, {@code decimal(9,4)}, ...)
 * @param nullable whether a row may leave it empty
 */
public record Column(String name, String type, boolean nullable) {

    public static Column required(String name, String type) {
        return new Column(name, type, false);
    }

    public static Column optional(String name, String type) {
        return new Column(name, type, true);
    }

    /** {@code name type} as used in a DDL column list. */
    public String ddl() {
        return "`" + name + "` " + type + (nullable ? "" : " NOT NULL");
    }
}
