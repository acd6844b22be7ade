package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.replace;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampType;

/**
 * Reads every source of an input folder into one DataFrame of canonical events, still as text (validation
 * comes next), each row with its {@code source}, {@code file}, {@code line} and {@code raw} text.
 *
 * <p>Columns: the canonical columns as strings, except {@code event_date} (date) and {@code recorded_at}
 * (timestamp), already parsed with the source's formats ({@code event_date_raw} and {@code recorded_at_raw}
 * keep the text so a parse failure can be told from a missing value); then {@code file}, {@code line},
 * {@code raw}, {@code field_count}, {@code expected_fields}.
 */
public final class EventSources {

    public static final List<String> OUTPUT = List.of("source", "event_id", "academic_year", "iin", "school_id",
            "class_label", "grade_level", "subject_code", "term", "kind", "score", "max_score", "event_date",
            "event_date_raw", "recorded_at", "recorded_at_raw", "file", "line", "raw", "field_count", "expected_fields");

    private EventSources() {
    }

    /** @param env where a JDBC source's variables are looked up (then in system properties) */
    public static Dataset<Row> read(SparkSession spark, InputFolder input, Map<String, String> env) {
        Dataset<Row> all = null;
        for (InputFolder.Source source : input.sources()) {
            for (Dataset<Row> part : readSource(spark, input, source, env)) {
                all = all == null ? part : all.unionByName(part);
            }
        }
        return all;
    }

    static List<Dataset<Row>> readSource(SparkSession spark, InputFolder input, InputFolder.Source source,
                                         Map<String, String> env) {
        SourceSpec spec = source.spec();
        List<Dataset<Row>> out = new ArrayList<>();
        if (spec.isJdbc()) {
            out.add(normalise(readJdbc(spark, spec, source.range(), env), spec));
            return out;
        }
        if (spec.isParquet()) {
            out.add(normalise(readParquet(spark, source.folder(), source.files(), spec), spec));
            return out;
        }
        int group = 0;
        for (NumberedCsv.FileGroup files : NumberedCsv.groupByHeader(input.fs(), source.folder(), source.files(),
                spec.charset(), spec.delimiter(), spec.quote())) {
            Dataset<Row> fields = NumberedCsv.read(spark, files, spec.columns());
            out.add(normalise(endStage(fields, "csv_fields_" + spec.name() + "_" + group++), spec));
        }
        return out;
    }

    /**
     * Ends a generated code stage here (an observed count is an operator without code generation). Splitting a
     * line into fields and mapping the fields onto canonical columns both grow with the header's width and the
     * manifest, and in one stage a 12-column export with value maps and a decimal comma made a method too large
     * for C1 to be sure to compile (see EventValidator#validate); two stages keep each well below that.
     */
    private static Dataset<Row> endStage(Dataset<Row> rows, String name) {
        return rows.observe(name, functions.count(lit(1)));
    }

    /**
     * Parquet files: the mapped columns as text ({@link #textColumns}), {@code line} = the row's 1-based position in
     * its file (Spark's {@code _metadata.row_index}), {@code raw} null (see {@link EventValidator}).
     */
    static Dataset<Row> readParquet(SparkSession spark, String folder, List<org.apache.hadoop.fs.Path> files,
                                    SourceSpec spec) {
        String[] paths = files.stream().map(org.apache.hadoop.fs.Path::toString).toArray(String[]::new);
        Dataset<Row> rows;
        try {
            rows = spark.read().parquet(paths);
        } catch (Exception e) { // AnalysisException, which Scala throws undeclared
            // Columns are found by name without regard to case, so "score" and "Score" cannot both be read.
            if (e instanceof org.apache.spark.sql.AnalysisException a && "COLUMN_ALREADY_EXISTS".equals(a.getCondition())) {
                throw new InputException(folder + ": a Parquet file has two columns of the same name (" + e.getMessage()
                        .lines().findFirst().orElse("") + "); names are read without regard to case, so rename one;"
                        + " the files are not read");
            }
            throw e;
        }
        Map<String, Column> asText = textColumns(rows, spec, folder + "/" + files.get(0).getName());
        // No text per row: validation writes a rejected row's fields as JSON, and only for rejected rows.
        return rows.select(withProvenance(asText, concat(lit(folder + "/"), col("_metadata.file_name")),
                col("_metadata.row_index").plus(1), lit(null).cast("string")));
    }

    /**
     * The mapped columns of a typed source as text, keyed by canonical name: a date or timestamp in the source's own
     * format (which {@link #normalise} parses back), anything else cast. A mapped column that is missing fails the
     * run, like a CSV header without it.
     */
    static Map<String, Column> textColumns(Dataset<Row> rows, SourceSpec spec, String where) {
        Map<String, Column> asText = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : spec.columns().entrySet()) {
            // Spark resolves column names case-insensitively; so does this check.
            StructField field = java.util.Arrays.stream(rows.schema().fields())
                    .filter(f -> f.name().equalsIgnoreCase(e.getValue())).findFirst()
                    .orElseThrow(() -> new InputException(where + ": there is no column '" + e.getValue()
                            + "' (columns: " + String.join(",", rows.columns()) + ")"));
            Column c = col("`" + field.name() + "`");
            DataType type = field.dataType();
            asText.put(e.getKey(), type instanceof DateType ? date_format(c, spec.dateFormat())
                    : type instanceof TimestampType ? date_format(c, spec.timestampFormat())
                    : c.cast("string"));
        }
        return asText;
    }

    /** The text columns under their canonical names, then what locates a row: file, line, raw, field counts (0). */
    static Column[] withProvenance(Map<String, Column> asText, Column file, Column line, Column raw) {
        List<Column> cols = new ArrayList<>();
        asText.forEach((k, v) -> cols.add(v.as(k)));
        cols.add(file.as("file"));
        cols.add(line.as("line"));
        cols.add(raw.as("raw"));
        cols.add(lit(0).as("field_count"));
        cols.add(lit(0).as("expected_fields"));
        return cols.toArray(Column[]::new);
    }

    /** The URL, user and password of a database source, from the environment its manifest names. */
    public static Properties connection(SourceSpec spec, Map<String, String> env) {
        Properties props = new Properties();
        props.setProperty("url", env(env, spec.urlEnv(), spec));
        if (spec.userEnv() != null) {
            props.setProperty("user", env(env, spec.userEnv(), spec));
        }
        if (spec.passwordEnv() != null) {
            props.setProperty("password", env(env, spec.passwordEnv(), spec));
        }
        return props;
    }

    /**
     * Reads a table over JDBC in parallel partitions (hash of the partition column), every column as text;
     * {@code range} (nullable) limits the rows by the table's growing column.
     */
    static Dataset<Row> readJdbc(SparkSession spark, SourceSpec spec, TableRange range, Map<String, String> env) {
        Properties props = connection(spec, env);
        String url = (String) props.remove("url");
        props.setProperty("driver", "org.postgresql.Driver");
        props.setProperty("fetchsize", "10000");
        String where = range == null ? null : range.predicate();
        Dataset<Row> table;
        if (spec.partitionColumn() != null && spec.partitions() > 1) {
            // PostgreSQL's hashtext spreads any key (school ids are text) evenly over the partitions.
            String[] predicates = new String[spec.partitions()];
            for (int i = 0; i < predicates.length; i++) {
                // bigint and a non-negative modulo: abs() of int4's minimum would overflow.
                String h = "cast(hashtext(cast(\"" + spec.partitionColumn() + "\" as text)) as bigint)";
                predicates[i] = "((" + h + " % " + spec.partitions() + ") + " + spec.partitions() + ") % "
                        + spec.partitions() + " = " + i + (where == null ? "" : " and " + where);
            }
            table = spark.read().jdbc(url, spec.table(), predicates, props);
        } else if (where != null) {
            table = spark.read().jdbc(url, spec.table(), new String[] {where}, props);
        } else {
            table = spark.read().jdbc(url, spec.table(), props);
        }
        Map<String, Column> asText = textColumns(table, spec, "source " + spec.name() + " (table " + spec.table() + ")");
        List<Column> rawFields = new ArrayList<>();
        asText.forEach((k, v) -> rawFields.add(v.as(spec.columns().get(k))));
        return table.select(withProvenance(asText, lit(spec.databaseFile()), lit(0L),
                to_json(struct(rawFields.toArray(Column[]::new)))));
    }

    private static String env(Map<String, String> env, String name, SourceSpec spec) {
        String v = env.get(name);
        if (v == null || v.isEmpty()) {
            v = System.getProperty(name);
        }
        if (v == null || v.isEmpty()) {
            throw new InputException("source " + spec.name() + " reads a database: set the environment variable " + name);
        }
        return v;
    }

    /** Constants, value maps, decimal separators and date formats applied; canonical column order. */
    static Dataset<Row> normalise(Dataset<Row> rows, SourceSpec spec) {
        Map<String, Column> c = new LinkedHashMap<>();
        for (String name : SourceSpec.CANONICAL) {
            Column v;
            if (spec.constants().containsKey(name)) {
                v = lit(spec.constants().get(name));
            } else if (spec.columns().containsKey(name)) {
                v = nullif(trim(col(name)), lit(""));
            } else if (name.equals("source")) {
                v = lit(spec.name());
            } else {
                v = lit(null).cast("string");
            }
            Map<String, String> map = spec.valueMaps().get(name);
            if (map != null && !map.isEmpty()) {
                List<Column> kv = new ArrayList<>();
                map.forEach((from, to) -> {
                    kv.add(lit(from));
                    kv.add(lit(to));
                });
                v = coalesce(functions.map(kv.toArray(Column[]::new)).getItem(v), v);
            }
            if (spec.decimalSeparator() != '.' && (name.equals("score") || name.equals("max_score"))) {
                v = replace(v, lit(String.valueOf(spec.decimalSeparator())), lit("."));
            }
            c.put(name, v);
        }
        Column dateRaw = c.get("event_date");
        Column tsRaw = c.get("recorded_at");
        Column date = spec.isoDates() ? expr("try_cast(event_date_raw as date)")
                : expr("try_to_date(event_date_raw, '" + spec.dateFormat().replace("'", "''") + "')");
        Column ts = spec.isoTimestamps() ? expr("try_cast(recorded_at_raw as timestamp)")
                : expr("try_to_timestamp(recorded_at_raw, '" + spec.timestampFormat().replace("'", "''") + "')");
        List<Column> cols = new ArrayList<>();
        for (String name : SourceSpec.CANONICAL) {
            if (name.equals("event_date")) {
                cols.add(dateRaw.as("event_date_raw"));
            } else if (name.equals("recorded_at")) {
                cols.add(tsRaw.as("recorded_at_raw"));
            } else {
                cols.add(c.get(name).as(name));
            }
        }
        for (String extra : List.of("file", "line", "raw", "field_count", "expected_fields")) {
            cols.add(col(extra));
        }
        return rows.select(cols.toArray(Column[]::new))
                .withColumn("event_date", date)
                .withColumn("recorded_at", ts)
                .select(OUTPUT.stream().map(n -> col(n)).toArray(Column[]::new));
    }
}
