package kz.baga.jobs.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one source maps onto the canonical grade event: the {@code manifest.json} of a {@code sources/NAME/}
 * folder, or the built-in description of the canonical {@code events/*.csv}.
 *
 * <pre>
 * { "source": "kundelik", "type": "csv" | "parquet" | "jdbc",
 *   "files": "kundelik-*.csv", "encoding": "windows-1251", "delimiter": ";", "header": true,
 *   // parquet: "files" defaults to "*.parquet"; "columns" name its columns; typed dates and timestamps need no
 *   // format, and "line" in rejected_events is the row's 1-based position in its file

 *   "dateFormat": "dd.MM.yyyy", "timestampFormat": "dd.MM.yyyy HH:mm:ss", "decimalSeparator": ",",
 *   "columns":   { "canonical column": "their column", ... },
 *   "constants": { "canonical column": "value", ... },
 *   "valueMaps": { "canonical column": { "their value": "canonical value" }, ... },
 *   // jdbc only: credentials come from the environment, never from the file
 *   "urlEnv": "DIARY_DB_URL", "userEnv": "DIARY_DB_USER", "passwordEnv": "DIARY_DB_PASSWORD",
 *   "table": "public.marks", "partitionColumn": "school_id", "partitions": 4,
 *   // optional: a column that only grows (rows are only ever added); later runs then read only newer rows
 *   "growingColumn": "recorded_at" }
 * </pre>
 */
public record SourceSpec(
        String name,
        String type,
        String filesGlob,
        Charset charset,
        char delimiter,
        char quote,
        String dateFormat,
        String timestampFormat,
        char decimalSeparator,
        Map<String, String> columns,
        Map<String, String> constants,
        Map<String, Map<String, String>> valueMaps,
        String urlEnv,
        String userEnv,
        String passwordEnv,
        String table,
        String partitionColumn,
        int partitions,
        String growingColumn) {

    /** The canonical event columns, in the order of docs/pipeline.md ("Input layout"). */
    public static final List<String> CANONICAL = List.of("source", "event_id", "academic_year", "iin", "school_id",
            "class_label", "grade_level", "subject_code", "term", "kind", "score", "max_score", "event_date",
            "recorded_at");

    /**
     * Canonical columns a source may leave out: the pipeline fills them from the pupil directory ({@code source},
     * when neither mapped nor constant, is the manifest's source name).
     */
    public static final List<String> FILLABLE = List.of("class_label", "grade_level", "recorded_at");

    public static final String ISO_DATE = "yyyy-MM-dd";
    private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]{0,62}";
    public static final String ISO_TIMESTAMP = "yyyy-MM-dd HH:mm:ss";

    public boolean isJdbc() {
        return "jdbc".equals(type);
    }

    /** How a database source's rows name their file in {@code grade_events} and {@code rejected_events}. */
    public String databaseFile() {
        return "jdbc:" + table;
    }

    public boolean isParquet() {
        return "parquet".equals(type);
    }

    public boolean isoDates() {
        return ISO_DATE.equals(dateFormat);
    }

    public boolean isoTimestamps() {
        return ISO_TIMESTAMP.equals(timestampFormat);
    }

    /** The canonical {@code events/*.csv}: header names are the canonical names, ISO dates, UTF-8, commas. */
    public static SourceSpec canonicalEvents() {
        return canonical("csv", "*.csv");
    }

    /** {@code events/*.parquet}: columns named as the canonical ones (text or typed), one file per export. */
    public static SourceSpec canonicalParquetEvents() {
        return canonical("parquet", "*.parquet");
    }

    private static SourceSpec canonical(String type, String glob) {
        Map<String, String> identity = new LinkedHashMap<>();
        CANONICAL.forEach(c -> identity.put(c, c));
        return new SourceSpec("events", type, glob, StandardCharsets.UTF_8, ',', '"', ISO_DATE, ISO_TIMESTAMP, '.',
                identity, Map.of(), Map.of(), null, null, null, null, null, 0, null);
    }

    public static SourceSpec parse(String json, String where) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new InputException(where + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new InputException(where + " must be a JSON object");
        }
        String type = root.path("type").asText("csv");
        if (!type.equals("csv") && !type.equals("parquet") && !type.equals("jdbc")) {
            throw new InputException(where + ": type must be csv, parquet or jdbc, not " + type);
        }
        String name = root.path("source").asText("");
        Map<String, String> columns = stringMap(root.path("columns"));
        Map<String, String> constants = stringMap(root.path("constants"));
        for (String c : columns.keySet()) {
            requireCanonical(c, where, "columns");
        }
        for (String c : constants.keySet()) {
            requireCanonical(c, where, "constants");
        }
        for (String c : CANONICAL) {
            if (!columns.containsKey(c) && !constants.containsKey(c) && !FILLABLE.contains(c) && !c.equals("source")) {
                throw new InputException(where + ": canonical column '" + c
                        + "' is neither in \"columns\" nor in \"constants\"");
            }
        }
        Map<String, Map<String, String>> valueMaps = new TreeMap<>();
        root.path("valueMaps").fields().forEachRemaining(e -> {
            requireCanonical(e.getKey(), where, "valueMaps");
            valueMaps.put(e.getKey(), stringMap(e.getValue()));
        });
        Charset charset;
        String encoding = root.path("encoding").asText("UTF-8");
        try {
            charset = Charset.forName(encoding);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new InputException(where + ": unknown encoding " + encoding + " (use UTF-8 or windows-1251)");
        }
        String delimiter = root.path("delimiter").asText(",");
        String quote = root.path("quote").asText("\"");
        String decimal = root.path("decimalSeparator").asText(".");
        if (delimiter.length() != 1 || quote.length() != 1 || decimal.length() != 1) {
            throw new InputException(where + ": delimiter, quote and decimalSeparator must be one character each");
        }
        if (!root.path("header").asBoolean(true)) {
            throw new InputException(where + ": only files with a header row are supported (set \"header\": true)");
        }
        if (type.equals("jdbc")) {
            for (String f : List.of("urlEnv", "table")) {
                if (root.path(f).asText("").isEmpty()) {
                    throw new InputException(where + ": a jdbc source needs \"" + f + "\"");
                }
            }
            // both end up in SQL text: plain identifiers only, never a fragment of SQL
            if (!root.path("table").asText().matches(IDENTIFIER + "(\\." + IDENTIFIER + ")?")) {
                throw new InputException(where + ": \"table\" must be a table name such as public.marks (letters, "
                        + "digits, _; got '" + root.path("table").asText() + "')");
            }
            String pc = root.path("partitionColumn").asText(null);
            if (pc != null && !pc.matches(IDENTIFIER)) {
                throw new InputException(where + ": \"partitionColumn\" must be a column name (letters, digits, _; "
                        + "got '" + pc + "')");
            }
            String gc = root.path("growingColumn").asText(null);
            if (gc != null && !gc.matches(IDENTIFIER)) {
                throw new InputException(where + ": \"growingColumn\" must be a column name (letters, digits, _; "
                        + "got '" + gc + "')");
            }
        } else if (root.has("growingColumn")) {
            throw new InputException(where + ": \"growingColumn\" is for jdbc sources only (a file source's changes are "
                    + "found by its files' checksums)");
        }
        return new SourceSpec(name, type, root.path("files").asText(type.equals("parquet") ? "*.parquet" : "*.csv"), charset, delimiter.charAt(0),
                quote.charAt(0), root.path("dateFormat").asText(ISO_DATE),
                root.path("timestampFormat").asText(ISO_TIMESTAMP), decimal.charAt(0),
                Collections.unmodifiableMap(columns), Collections.unmodifiableMap(constants),
                Collections.unmodifiableMap(valueMaps), root.path("urlEnv").asText(null),
                root.path("userEnv").asText(null), root.path("passwordEnv").asText(null),
                root.path("table").asText(null), root.path("partitionColumn").asText(null),
                root.path("partitions").asInt(4), root.path("growingColumn").asText(null));
    }

    public SourceSpec withName(String newName) {
        return new SourceSpec(newName, type, filesGlob, charset, delimiter, quote, dateFormat, timestampFormat,
                decimalSeparator, columns, constants, valueMaps, urlEnv, userEnv, passwordEnv, table, partitionColumn,
                partitions, growingColumn);
    }

    private static void requireCanonical(String c, String where, String section) {
        if (!CANONICAL.contains(c)) {
            throw new InputException(where + ": \"" + section + "\" names '" + c
                    + "', which is not a canonical column (" + String.join(",", CANONICAL) + ")");
        }
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /** Source columns this spec reads, in a stable order. */
    public List<String> sourceColumns() {
        return new ArrayList<>(columns.values());
    }
}
