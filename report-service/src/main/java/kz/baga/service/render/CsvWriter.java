package kz.baga.service.render;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** Minimal RFC 4180 CSV writing and the JSON-or-CSV choice by Accept. */
public final class CsvWriter {

    public static final String TEXT_CSV = "text/csv";

    private CsvWriter() {
    }

    public static boolean wanted(HttpHeaders headers) {
        for (MediaType m : headers.getAcceptableMediaTypes()) {
            if (m.getType().equals("text") && m.getSubtype().equals("csv")) {
                return true;
            }
            if (m.getSubtype().equals("json") || m.isWildcardType()) {
                return false;
            }
        }
        return false;
    }

    public static String write(List<String> header, List<List<Object>> rows) {
        StringBuilder b = new StringBuilder();
        line(b, header.stream().map(h -> (Object) h).toList());
        for (List<Object> r : rows) {
            line(b, r);
        }
        return b.toString();
    }

    private static void line(StringBuilder b, List<Object> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            Object v = values.get(i);
            String s = v == null ? "" : v.toString();
            // a text cell that a spreadsheet would run as a formula is kept as text (OWASP's CSV injection advice)
            if (v instanceof CharSequence && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
                s = "'" + s;
            }
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                b.append('"').append(s.replace("\"", "\"\"")).append('"');
            } else {
                b.append(s);
            }
        }
        b.append("\r\n");
    }
}
