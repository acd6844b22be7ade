package kz.baga.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The independent SQL reference: loads an input folder (docs/pipeline.md "Input layout") into DuckDB or PostgreSQL and
 * runs {@code bench/reference/*.sql}, which recompute every mark from docs/rules.md.
 *
 * <p>Loading is the only engine-specific part: each event file is read as raw lines (so every row keeps its file
 * and line number for {@code rejected_events}), a non-UTF-8 source is transcoded to a temporary UTF-8 copy first
 * (DuckDB reads UTF-8 only), and {@code student_id}s are computed in Java ({@link StudentIdKey}). The tables the
 * SQL produces carry the warehouse tables' names and columns ({@code term_grades}, {@code class_rankings}, ...).
 */
public final class Reference {

    /** The reference files in the order they run. */
    public static final List<String> STEPS = List.of("10_events.sql", "20_placement.sql", "30_term_grades.sql",
            "40_annual_grades.sql", "50_class_rankings.sql", "60_indicators.sql", "70_medals.sql",
            "80_grade_dynamics.sql");

    /**
     * Portable aggregates over the output tables: equal on DuckDB and PostgreSQL when both engines computed the
     * same rows (a cheap cross-check of the two runs of the same SQL).
     */
    public static final List<String> FINGERPRINT = List.of(
            "SELECT 'rejected_events', count(*), count(DISTINCT reason), sum(line) FROM rejected_events",
            "SELECT 'grade_events', count(*), sum(term), sum(score) FROM grade_events",
            "SELECT 'term_grades', count(*), sum(mark), sum(rounded_pct) FROM term_grades",
            "SELECT 'term_total_pct', count(total_pct), sum(total_pct), sum(fo_pct) FROM term_grades",
            "SELECT 'annual_grades', count(*), sum(mark), sum(exam_mark) FROM annual_grades",
            "SELECT 'class_rankings', count(*), sum(rank), sum(percentile) FROM class_rankings",
            "SELECT 'school_indicators', count(*), sum(n5), sum(sou) FROM school_indicators",
            "SELECT 'district_indicators', count(*), sum(n), count(CASE WHEN suppressed THEN 1 END) FROM district_indicators",
            "SELECT 'medal_eligibility', count(*), count(CASE WHEN status = 'LOST' THEN 1 END),"
                    + " count(CASE WHEN status = 'ON_TRACK' THEN 1 END) FROM medal_eligibility",
            "SELECT 'grade_dynamics', count(*), sum(events), round(sum(avg_pct), 0) FROM grade_dynamics",
            "SELECT 'dynamics_sources', count(DISTINCT sources), count(CASE WHEN sources LIKE '%,%' THEN 1 END),"
                    + " sum(length(sources)) FROM grade_dynamics");

    /** The tables the reference produces that have a warehouse counterpart. */
    public static final List<String> OUTPUT_TABLES = List.of("rejected_events", "grade_events", "term_grades",
            "annual_grades", "class_rankings", "grade_dynamics", "medal_eligibility", "school_indicators",
            "district_indicators");

    private final Connection db;
    private final Dialect dialect;
    private final Path input;
    private final Path work;
    private final StudentIdKey ids;
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private Consumer<String> log = s -> { };

    public Reference(Connection db, Dialect dialect, Path input, Path work, StudentIdKey ids) {
        this.db = db;
        this.dialect = dialect;
        this.input = input;
        this.work = work;
        this.ids = ids;
    }

    public Reference log(Consumer<String> log) {
        this.log = log;
        return this;
    }

    /** Seconds per phase: {@code load} (files into tables), then one entry per reference file. */
    public Map<String, Double> timings() {
        return timings;
    }

    /** Loads the input and runs every reference file. */
    public Reference run() throws IOException, SQLException {
        long t0 = System.nanoTime();
        runScript(SqlScript.resource(dialect.prelude()));
        loadReferenceFiles();
        loadStudentIds();
        String adapter = loadEvents();
        timings.put("load", (System.nanoTime() - t0) / 1e9);
        log.accept(String.format(Locale.ROOT, "load: %.2f s", timings.get("load")));
        long tp = System.nanoTime();
        exec("CREATE TABLE raw_events AS\n" + adapter);
        exec("DROP TABLE raw_lines");
        for (String a : dialect.analyze("raw_events")) {
            exec(a);
        }
        timings.put("parse", (System.nanoTime() - tp) / 1e9);
        log.accept(String.format(Locale.ROOT, "parse: %.2f s", timings.get("parse")));
        for (String step : STEPS) {
            long t = System.nanoTime();
            runScript(SqlScript.resource(step));
            timings.put(step, (System.nanoTime() - t) / 1e9);
            log.accept(String.format(Locale.ROOT, "%s: %.2f s", step, timings.get(step)));
        }
        return this;
    }

    /** DuckDB only: writes the output tables as Parquet into {@code out/TABLE.parquet}. */
    public void writeParquet(Path out) throws IOException, SQLException {
        if (dialect != Dialect.DUCKDB) {
            throw new IllegalStateException("Parquet output is written by DuckDB only");
        }
        Files.createDirectories(out);
        long t = System.nanoTime();
        try (Statement st = db.createStatement()) {
            for (String table : OUTPUT_TABLES) {
                st.execute("COPY " + table + " TO '" + sqlString(out.resolve(table + ".parquet").toString())
                        + "' (FORMAT parquet)");
            }
        }
        timings.put("write", (System.nanoTime() - t) / 1e9);
        log.accept(String.format(Locale.ROOT, "write: %.2f s", timings.get("write")));
    }

    private void runScript(String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            for (String s : SqlScript.split(sql)) {
                List<String> statements = s.startsWith("@analyze ")
                        ? dialect.analyze(s.substring("@analyze ".length()).strip())
                        : List.of(dialect.rewrite(s));
                for (String x : statements) {
                    try {
                        st.execute(x);
                    } catch (SQLException e) {
                        throw new SQLException(e.getMessage() + "\n  in: " + abbreviate(x), e);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- reference files

    private void loadReferenceFiles() throws IOException, SQLException {
        for (String name : List.of("schools", "subjects", "students")) {
            Path file = input.resolve(name + ".csv");
            if (!Files.isRegularFile(file)) {
                throw new IOException("missing " + file);
            }
            if (dialect == Dialect.DUCKDB) {
                exec("CREATE TABLE " + name + " AS SELECT * FROM read_csv('" + sqlString(file.toString())
                        + "', header = true, all_varchar = true, delim = ',', quote = '\"')");
            } else {
                List<String> header = splitHeader(firstLine(file, StandardCharsets.UTF_8), ',');
                StringBuilder ddl = new StringBuilder("CREATE UNLOGGED TABLE " + name + " (");
                for (int i = 0; i < header.size(); i++) {
                    ddl.append(i > 0 ? ", " : "").append('"').append(header.get(i)).append("\" text");
                }
                exec(ddl.append(')').toString());
                copyIn("COPY " + name + " FROM STDIN WITH (FORMAT csv, HEADER true)", file);
            }
        }
    }

    private void loadStudentIds() throws SQLException {
        exec("CREATE TABLE student_ids (iin VARCHAR, student_id VARCHAR)");
        List<String> iins = new ArrayList<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT iin FROM students WHERE iin IS NOT NULL")) {
            while (rs.next()) {
                iins.add(rs.getString(1));
            }
        }
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO student_ids VALUES (?, ?)")) {
            int n = 0;
            for (String iin : iins) {
                ps.setString(1, iin);
                ps.setString(2, ids.of(iin));
                ps.addBatch();
                if (++n % 10_000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        db.commit();
        db.setAutoCommit(auto);
    }

    // ---------------------------------------------------------------- events

    /** Loads every event file as raw lines; returns the SELECT that maps them onto canonical text columns. */
    private String loadEvents() throws IOException, SQLException {
        List<SourceManifest> sources = SourceManifest.of(input);
        exec("CREATE TABLE raw_lines (source_no INTEGER, file VARCHAR, line BIGINT, raw VARCHAR)");
        StringBuilder events = new StringBuilder();
        for (int s = 0; s < sources.size(); s++) {
            SourceManifest src = sources.get(s);
            if (src.files().isEmpty()) {
                continue;
            }
            List<Path> utf8 = new ArrayList<>();
            List<String> header = null;
            for (Path f : src.files()) {
                List<String> h = splitHeader(firstLine(f, src.charset()), src.delimiter());
                if (header == null) {
                    header = h;
                } else if (!header.equals(h)) {
                    throw new IOException(f + ": header differs from the other files of source " + src.name());
                }
                utf8.add(toUtf8(f, src));
            }
            loadLines(s, src, utf8);
            events.append(events.length() > 0 ? "\nUNION ALL\n" : "").append(adapter(s, src, header));
        }
        if (events.length() == 0) {
            throw new IOException(input + " has no event files");
        }
        return events.toString();
    }

    private void loadLines(int sourceNo, SourceManifest src, List<Path> files) throws IOException, SQLException {
        if (dialect == Dialect.DUCKDB) {
            StringBuilder list = new StringBuilder();
            StringBuilder names = new StringBuilder("CASE filename");
            for (int i = 0; i < files.size(); i++) {
                String p = sqlString(files.get(i).toString());
                list.append(i > 0 ? ", " : "").append('\'').append(p).append('\'');
                names.append(" WHEN '").append(p).append("' THEN '")
                        .append(sqlString(src.folder() + "/" + src.files().get(i).getFileName())).append('\'');
            }
            names.append(" END");
            // One column per line: a delimiter and quote that never occur. Insertion order is the files' order, so
            // rowid numbers the lines; a blank line stays as a NULL row and keeps the numbering right.
            exec("CREATE TABLE lines_" + sourceNo + " AS SELECT filename, raw FROM read_csv([" + list
                    + "], columns = {'raw': 'VARCHAR'}, delim = '\u0001', quote = '', escape = '', header = false,"
                    + " filename = true, auto_detect = false, strict_mode = false)");
            exec("INSERT INTO raw_lines SELECT " + sourceNo + ", " + names
                    + ", rowid - min(rowid) OVER (PARTITION BY filename) + 1, raw FROM lines_" + sourceNo);
            exec("DROP TABLE lines_" + sourceNo);
        } else {
            exec("CREATE UNLOGGED TABLE IF NOT EXISTS raw_load (id bigserial, file_no integer, raw text)");
            for (int i = 0; i < files.size(); i++) {
                exec("ALTER TABLE raw_load ALTER COLUMN file_no SET DEFAULT " + i);
                copyIn("COPY raw_load (raw) FROM STDIN WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')",
                        files.get(i));
            }
            StringBuilder names = new StringBuilder("CASE file_no");
            for (int i = 0; i < files.size(); i++) {
                names.append(" WHEN ").append(i).append(" THEN '")
                        .append(sqlString(src.folder() + "/" + src.files().get(i).getFileName())).append('\'');
            }
            names.append(" END");
            exec("INSERT INTO raw_lines SELECT " + sourceNo + ", " + names
                    + ", id - min(id) OVER (PARTITION BY file_no) + 1, raw FROM raw_load");
            exec("TRUNCATE raw_load");
        }
    }

    /** SELECT that maps one source's lines onto the canonical event columns, as text. */
    private String adapter(int sourceNo, SourceManifest src, List<String> header) {
        Map<String, String> col = new LinkedHashMap<>();
        for (String c : SourceManifest.CANONICAL) {
            String expr;
            if (src.constants().containsKey(c)) {
                expr = "'" + sqlString(src.constants().get(c)) + "'";
            } else if (src.columns().containsKey(c)) {
                int idx = header.indexOf(src.columns().get(c));
                if (idx < 0) {
                    throw new IllegalArgumentException(src.folder() + ": column '" + src.columns().get(c)
                            + "' of the manifest is not in the header");
                }
                expr = "NULLIF(fields[" + (idx + 1) + "], '')";
            } else {
                expr = "CAST(NULL AS VARCHAR)";
            }
            Map<String, String> vm = src.valueMaps().get(c);
            if (vm != null && !vm.isEmpty()) {
                StringBuilder cs = new StringBuilder("CASE " + expr);
                vm.forEach((k, v) -> cs.append(" WHEN '").append(sqlString(k)).append("' THEN '")
                        .append(sqlString(v)).append('\''));
                expr = cs.append(" ELSE ").append(expr).append(" END").toString();
            }
            if ((c.equals("score") || c.equals("max_score")) && !".".equals(src.decimalSeparator())) {
                expr = "replace(" + expr + ", '" + sqlString(src.decimalSeparator()) + "', '.')";
            }
            col.put(c, expr);
        }
        return "SELECT " + col.get("source") + " AS source, file, line, raw, "
                + dialect.arrayLength("fields") + " AS field_count, " + header.size() + " AS expected_fields, "
                + col.get("event_id") + " AS event_id, " + col.get("academic_year") + " AS academic_year, "
                + col.get("iin") + " AS iin, " + col.get("school_id") + " AS school_id, "
                + col.get("class_label") + " AS class_label, " + col.get("grade_level") + " AS grade_level, "
                + col.get("subject_code") + " AS subject_code, " + col.get("term") + " AS term, "
                + col.get("kind") + " AS kind, " + col.get("score") + " AS score, "
                + col.get("max_score") + " AS max_score, "
                + col.get("event_date") + " AS event_date_raw, "
                + dialect.parseDate(col.get("event_date"), src.dateFormat(), false) + " AS event_date, "
                + col.get("recorded_at") + " AS recorded_at_raw, "
                + dialect.parseDate(col.get("recorded_at"), src.timestampFormat(), true) + " AS recorded_at\n"
                + "FROM (SELECT file, line, raw, " + dialect.splitFields(src.delimiter()) + " AS fields FROM raw_lines"
                + " WHERE source_no = " + sourceNo + " AND line > 1 AND raw IS NOT NULL AND raw <> ''"
                // PostgreSQL would pull the subquery up and split the line again for every fields[i]: OFFSET 0 fences it
                + (dialect == Dialect.POSTGRES ? " OFFSET 0" : "") + ") l";
    }

    // ---------------------------------------------------------------- helpers

    private Path toUtf8(Path file, SourceManifest src) throws IOException {
        if (src.charset().equals(StandardCharsets.UTF_8)) {
            return file;
        }
        Path dir = work.resolve("utf8").resolve(src.folder());
        Files.createDirectories(dir);
        Path out = dir.resolve(file.getFileName());
        try (Reader in = Files.newBufferedReader(file, src.charset());
             Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            in.transferTo(w);
        }
        return out;
    }

    private void copyIn(String sql, Path file) throws IOException, SQLException {
        CopyManager cm = db.unwrap(PGConnection.class).getCopyAPI();
        try (InputStream in = Files.newInputStream(file)) {
            cm.copyIn(sql, in, 1 << 20);
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute(dialect.rewrite(sql));
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + "\n  in: " + abbreviate(sql), e);
        }
    }

    static String firstLine(Path file, java.nio.charset.Charset cs) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, cs)) {
            String line = r.readLine();
            if (line == null) {
                throw new IOException(file + " is empty (a header row is required)");
            }
            return line.startsWith("\uFEFF") ? line.substring(1) : line;
        }
    }

    static List<String> splitHeader(String line, char delimiter) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (q && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    q = !q;
                }
            } else if (c == delimiter && !q) {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().strip());
        return out;
    }

    static String sqlString(String s) {
        return s.replace("'", "''");
    }

    private static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + " ..." : s;
    }
}
