package kz.baga.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a SQL file into statements: {@code ;} outside quotes, {@code $$} bodies and comments ends one. */
public final class SqlScript {

    private SqlScript() {
    }

    /** The statements of a reference file on the classpath ({@code /reference/NAME}). */
    public static String resource(String name) {
        try (InputStream in = SqlScript.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no reference file " + name + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Statements in order. A comment line {@code -- @analyze TABLE} becomes the statement {@code @analyze TABLE}
     * (the runner asks the dialect what to do with it).
     */
    public static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quote = false;
        boolean dollar = false;
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (!quote && !dollar && c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                String comment = sql.substring(i + 2, end).strip();
                if (comment.startsWith("@analyze ")) {
                    flush(out, cur);
                    out.add(comment);
                }
                i = end - 1;
                continue;
            }
            if (!dollar && c == '\'') {
                quote = !quote;
            } else if (!quote && c == '$' && i + 1 < n && sql.charAt(i + 1) == '$') {
                dollar = !dollar;
                cur.append("$$");
                i++;
                continue;
            } else if (!quote && !dollar && c == ';') {
                flush(out, cur);
                continue;
            }
            cur.append(c);
        }
        flush(out, cur);
        return out;
    }

    private static void flush(List<String> out, StringBuilder cur) {
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        cur.setLength(0);
    }
}
