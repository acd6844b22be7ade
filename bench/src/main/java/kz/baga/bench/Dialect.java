package kz.baga.bench;

import java.util.List;
import java.util.Locale;

/**
 * The two engines the reference SQL runs on. The files in {@code bench/reference/} are written in the subset both
 * read the same way; the few differences (helper functions, loading files, array functions) live here and in the
 * {@code prelude-*.sql} files.
 */
public enum Dialect {
    DUCKDB("prelude-duckdb.sql"),
    POSTGRES("prelude-postgres.sql");

    private final String prelude;

    Dialect(String prelude) {
        this.prelude = prelude;
    }

    public String prelude() {
        return prelude;
    }

    /** A statement of a reference file as this engine runs it. */
    public String rewrite(String statement) {
        String s = statement.strip();
        if (this == POSTGRES) {
            // unlogged tables: no WAL for scratch tables that are rebuilt on every run
            s = s.replace("CREATE TABLE ", "CREATE UNLOGGED TABLE ");
            s = s.replace("DOUBLE PRECISION", "double precision");
        }
        return s;
    }

    /** {@code -- @analyze TABLE} markers: statistics for PostgreSQL's planner; DuckDB keeps its own. */
    public List<String> analyze(String table) {
        return this == POSTGRES ? List.of("ANALYZE " + table) : List.of();
    }

    /** SQL that splits the text column {@code raw} into a 1-based array of fields (RFC 4180 quotes). */
    public String splitFields(char delimiter) {
        String d = delimiter == '\'' ? "''" : String.valueOf(delimiter);
        String re = "(\"(?:[^\"]|\"\")*\"|[^" + regexClassChar(delimiter) + "\"]*)" + regexChar(delimiter);
        return switch (this) {
            case DUCKDB -> "CASE WHEN strpos(raw, '\"') > 0 THEN list_transform(regexp_extract_all(raw || '" + d + "', '"
                    + re + "', 1), lambda f: CASE WHEN f LIKE '\"%' THEN replace(substr(f, 2, length(f) - 2), '\"\"', '\"') ELSE f END)"
                    + " ELSE string_split(raw, '" + d + "') END";
            case POSTGRES -> "CASE WHEN strpos(raw, '\"') > 0 THEN ARRAY(SELECT CASE WHEN m[1] LIKE '\"%' THEN"
                    + " replace(substr(m[1], 2, length(m[1]) - 2), '\"\"', '\"') ELSE m[1] END FROM regexp_matches(raw || '"
                    + d + "', '" + re + "', 'g') AS m) ELSE string_to_array(raw, '" + d + "') END";
        };
    }

    /** Number of elements of an array column. */
    public String arrayLength(String column) {
        return this == DUCKDB ? "len(" + column + ")" : "cardinality(" + column + ")";
    }

    /**
     * SQL that parses {@code expr} with a Java date/time pattern ({@code dd.MM.yyyy HH:mm:ss}; fields yyyy MM dd HH mm
     * ss and literal separators), NULL when the text is not a real date/time in that pattern.
     */
    public String parseDate(String expr, String javaPattern, boolean withTime) {
        if (this == DUCKDB) {
            String p = javaPattern;
            String[][] map = {{"yyyy", "%Y"}, {"MM", "%m"}, {"dd", "%d"}, {"HH", "%H"}, {"mm", "%M"}, {"ss", "%S"}};
            for (String[] m : map) {
                p = p.replace(m[0], "\u0000" + m[1] + "\u0000");
            }
            p = p.replace("\u0000", "").replace("'", "''");
            return "TRY_CAST(try_strptime(" + expr + ", '" + p + "') AS " + (withTime ? "TIMESTAMP" : "DATE") + ")";
        }
        // PostgreSQL has no non-throwing date parse before version 16: check the shape with a regular expression
        // (fixed-width fields), then the ranges, inline (a SQL function here would not be inlined and costs ~20 µs
        // a row), then make_date / make_time. Nested CASEs fix the evaluation order.
        StringBuilder re = new StringBuilder("^");
        String[] order = {"yyyy", "MM", "dd", "HH", "mm", "ss"};
        String[] part = new String[order.length];
        int pos = 1;
        for (int i = 0; i < javaPattern.length(); ) {
            boolean matched = false;
            for (int k = 0; k < order.length; k++) {
                if (javaPattern.startsWith(order[k], i)) {
                    int w = order[k].length();
                    re.append("[0-9]{").append(w).append('}');
                    part[k] = "CAST(substr(" + expr + ", " + pos + ", " + w + ") AS integer)";
                    pos += w;
                    i += w;
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                char c = javaPattern.charAt(i++);
                re.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
                pos++;
            }
        }
        re.append('$');
        String y = part[0];
        String m = part[1];
        String d = part[2];
        String days = "CASE WHEN " + m + " IN (4, 6, 9, 11) THEN 30 WHEN " + m + " <> 2 THEN 31 WHEN " + y
                + " % 4 = 0 AND (" + y + " % 100 <> 0 OR " + y + " % 400 = 0) THEN 29 ELSE 28 END";
        String valid = y + " >= 1 AND " + m + " BETWEEN 1 AND 12 AND " + d + " BETWEEN 1 AND " + days;
        String value = "make_date(" + y + ", " + m + ", " + d + ")";
        if (withTime) {
            valid += " AND " + part[3] + " <= 23 AND " + part[4] + " <= 59 AND " + part[5] + " <= 59";
            value = "(" + value + " + make_time(" + part[3] + ", " + part[4] + ", " + part[5] + "))";
        }
        return "CASE WHEN " + expr + " ~ '" + re + "' THEN CASE WHEN " + valid + " THEN " + value + " END END";
    }

    public static Dialect of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "duckdb" -> DUCKDB;
            case "postgres", "postgresql", "pg" -> POSTGRES;
            default -> throw new IllegalArgumentException("unknown engine '" + name + "' (duckdb or postgres)");
        };
    }

    private static String regexChar(char c) {
        return "\\^$.|?*+()[]{}".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c);
    }

    private static String regexClassChar(char c) {
        return "\\^]-".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c);
    }
}
