package kz.baga.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kz.baga.contract.Snapshots;
import kz.baga.contract.Table;

/**
 * {@code diff-check --input DIR --warehouse DIR}: runs the SQL reference on the input folder and compares it, table
 * by table, with the pipeline's current committed snapshot (read through DuckDB's {@code read_parquet}). Prints
 * rows only in one side and rows that differ (column by column); exit status 0 only when there is no disagreement.
 *
 * <p>{@link #KNOWN} lists comparisons already reported as pipeline bugs; they are printed as KNOWN and, with
 * {@code --accept-known} (what the test suite uses), do not fail the check. Without it they do.
 */
public final class DiffCheck {

    /** One table to compare: the key columns and the value columns, and how to read each side. */
    public record Spec(String table, List<String> key, List<String> values, String refFilter, String pipelineFilter,
                       double tolerance) {
        Spec(String table, List<String> key, List<String> values) {
            this(table, key, values, null, null, 0);
        }
    }

    /**
     * A disagreement already reported (a pipeline bug or an open question of policy): rows of {@code table} that
     * match {@code predicate} (SQL over {@code r.} reference and {@code p.} pipeline columns) are counted as known.
     */
    public record Known(String table, String predicate, String message) {
    }

    public static final List<Spec> SPECS = List.of(
            new Spec("rejected_events", List.of("source", "file", "line"), List.of("reason"),
                    null, "source <> 'reference'", 0),
            new Spec("grade_events", List.of("source", "event_id"),
                    List.of("student_id", "subject_code", "academic_year", "term", "kind", "score", "max_score",
                            "event_date", "school_id", "class_label", "grade_level", "file", "line")),
            new Spec("term_grades", List.of("student_id", "subject_code", "academic_year", "term"),
                    List.of("fo_pct", "sor_pct", "soch_pct", "total_pct", "mark", "mark_source", "computed_mark",
                            "rounded_pct", "fo_count", "sor_count", "soch_count", "school_id", "class_label",
                            "grade_level")),
            new Spec("annual_grades", List.of("student_id", "subject_code", "academic_year"),
                    List.of("mark", "exam_mark", "final_mark", "mark_source", "computed_mark", "term_count",
                            "school_id", "class_label", "grade_level")),
            new Spec("class_rankings", List.of("student_id", "academic_year", "term", "subject_code"),
                    List.of("school_id", "class_label", "grade_level", "avg_mark", "avg_pct", "rank", "class_size",
                            "percentile", "class_avg_mark", "class_avg_pct")),
            new Spec("school_indicators", List.of("school_id", "academic_year", "term", "grade_level", "subject_code"),
                    List.of("n", "n5", "n4", "n3", "n2", "success_rate", "quality_rate", "sou", "avg_mark",
                            "district_id")),
            new Spec("district_indicators",
                    List.of("district_id", "academic_year", "term", "grade_level", "subject_code"),
                    List.of("n", "n5", "n4", "n3", "n2", "success_rate", "quality_rate", "sou", "avg_mark",
                            "suppressed")),
            new Spec("medal_eligibility", List.of("student_id", "academic_year", "award"),
                    List.of("status", "school_id", "class_label", "grade_level")),
            new Spec("grade_dynamics", List.of("student_id", "subject_code", "academic_year", "period_start"),
                    List.of("avg_pct", "class_avg_pct", "events", "school_id", "class_label", "sources"), null, null,
                    0.00011));

    /** Disagreements reported to the pipeline's owners and not yet resolved (see bench/README.md). */
    public static final List<Known> KNOWN = List.of();

    /** The result of one comparison. */
    public record Result(String table, long refRows, long pipelineRows, long onlyRef, long onlyPipeline,
                         long differing, long known, List<String> examples) {
        public long disagreements() {
            return onlyRef + onlyPipeline + differing;
        }
    }

    private DiffCheck() {
    }

    public static void main(String[] args) throws Exception {
        String input = null;
        String warehouse = null;
        boolean acceptKnown = false;
        int examples = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--input" -> input = args[++i];
                case "--warehouse" -> warehouse = args[++i];
                case "--accept-known" -> acceptKnown = true;
                case "--examples" -> examples = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: diff-check --input DIR --warehouse DIR [--accept-known] [--examples N]");
                    return;
                }
                default -> {
                    System.err.println("diff-check: unknown argument '" + args[i] + "' (see --help)");
                    System.exit(2);
                }
            }
        }
        if (input == null || warehouse == null) {
            System.err.println("diff-check: --input DIR and --warehouse DIR are required (see --help)");
            System.exit(2);
        }
        List<Result> results = run(Path.of(input), Path.of(warehouse), examples, System.out);
        long unknown = results.stream().mapToLong(r -> r.disagreements() - r.known()).sum();
        long known = results.stream().mapToLong(Result::known).sum();
        System.out.printf(Locale.ROOT, "diff-check: %d disagreement(s), %d of them known%n", unknown + known, known);
        System.exit(unknown > 0 || (!acceptKnown && known > 0) ? 1 : 0);
    }

    /** Runs the reference on {@code input} and compares it with the warehouse's current snapshot. */
    public static List<Result> run(Path input, Path warehouse, int examples, PrintStream out)
            throws IOException, SQLException {
        Path snapshot = currentSnapshot(warehouse);
        Path work = Files.createTempDirectory("baga-diff-");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            new Reference(c, Dialect.DUCKDB, input, work, StudentIdKey.fromEnvironment()).run();
            out.println("diff-check: reference vs snapshot " + snapshot);
            List<Result> results = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                for (Spec spec : SPECS) {
                    st.execute("CREATE VIEW pl_" + spec.table() + " AS SELECT * FROM read_parquet('"
                            + Reference.sqlString(snapshot.resolve(spec.table()).toString())
                            + "/**/*.parquet', hive_partitioning = true, union_by_name = true)");
                    Result r = compare(c, spec, examples);
                    results.add(r);
                    print(out, r);
                }
                Result counts = compareCounts(c, snapshot, examples);
                results.add(counts);
                print(out, counts);
            }
            return results;
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Path currentSnapshot(Path warehouse) throws IOException {
        Path current = warehouse.resolve(Snapshots.CURRENT);
        if (!Files.isRegularFile(current)) {
            throw new IOException(warehouse + " has no " + Snapshots.CURRENT + " (no committed snapshot)");
        }
        String id = Files.readString(current, StandardCharsets.UTF_8).strip();
        return warehouse.resolve(Snapshots.snapshotPath(id));
    }

    static Result compare(Connection c, Spec spec, int examples) throws SQLException {
        Table contract = Table.byName(spec.table());
        for (String col : spec.key()) {
            contract.column(col); // fails loudly if the contract renamed a column
        }
        String ref = "(SELECT * FROM " + spec.table() + (spec.refFilter() != null ? " WHERE " + spec.refFilter() : "") + ")";
        String pl = "(SELECT * FROM pl_" + spec.table()
                + (spec.pipelineFilter() != null ? " WHERE " + spec.pipelineFilter() : "") + ")";
        String on = spec.key().stream().map(k -> "r." + k + " = p." + k).collect(Collectors.joining(" AND "));
        String rNull = "r." + spec.key().get(0) + " IS NULL";
        String pNull = "p." + spec.key().get(0) + " IS NULL";
        List<String> diffs = new ArrayList<>();
        for (String v : spec.values()) {
            if (spec.tolerance() > 0 && List.of("avg_pct", "class_avg_pct").contains(v)) {
                diffs.add("(r." + v + " IS NULL) <> (p." + v + " IS NULL) OR abs(CAST(r." + v + " AS DOUBLE) - CAST(p."
                        + v + " AS DOUBLE)) > " + spec.tolerance());
            } else {
                diffs.add("CAST(r." + v + " AS VARCHAR) IS DISTINCT FROM CAST(p." + v + " AS VARCHAR)");
            }
        }
        String differs = "(" + String.join(" OR ", diffs) + ")";
        String knownPredicate = KNOWN.stream().filter(k -> k.table().equals(spec.table()))
                .map(k -> "(" + k.predicate() + ")").collect(Collectors.joining(" OR "));
        if (knownPredicate.isEmpty()) {
            knownPredicate = "false";
        }
        String joined = "SELECT r.*, p.*, " + rNull + " AS only_p, " + pNull + " AS only_r, "
                + "(NOT " + rNull + " AND NOT " + pNull + " AND " + differs + ") AS diff, "
                + "COALESCE(" + knownPredicate + ", false) AS known"
                + " FROM " + ref + " r FULL OUTER JOIN " + pl + " p ON " + on;
        long refRows;
        long plRows;
        long onlyR;
        long onlyP;
        long diff;
        long known;
        try (Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE cmp AS " + joined.replace("SELECT r.*, p.*, ",
                    "SELECT " + cols("r", spec) + ", " + cols("p", spec) + ", "));
            try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM " + ref + " x), (SELECT count(*) FROM "
                    + pl + " y), count(*) FILTER (WHERE only_r), count(*) FILTER (WHERE only_p),"
                    + " count(*) FILTER (WHERE diff), count(*) FILTER (WHERE known AND (only_r OR only_p OR diff))"
                    + " FROM cmp")) {
                rs.next();
                refRows = rs.getLong(1);
                plRows = rs.getLong(2);
                onlyR = rs.getLong(3);
                onlyP = rs.getLong(4);
                diff = rs.getLong(5);
                known = rs.getLong(6);
            }
            List<String> ex = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT * FROM cmp WHERE only_r OR only_p OR diff ORDER BY known, only_r DESC, only_p DESC, "
                    + spec.key().stream().map(k -> "coalesce(CAST(r_" + k + " AS VARCHAR), CAST(p_" + k + " AS VARCHAR))")
                    .collect(Collectors.joining(", ")) + " LIMIT " + examples)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    ex.add(describe(rs, md, spec));
                }
            }
            return new Result(spec.table(), refRows, plRows, onlyR, onlyP, diff, known, ex);
        }
    }

    private static String cols(String side, Spec spec) {
        List<String> all = new ArrayList<>(spec.key());
        all.addAll(spec.values());
        return all.stream().map(c -> side + "." + c + " AS " + side + "_" + c).collect(Collectors.joining(", "));
    }

    private static String describe(ResultSet rs, ResultSetMetaData md, Spec spec) throws SQLException {
        boolean onlyR = rs.getBoolean("only_r");
        boolean onlyP = rs.getBoolean("only_p");
        String side = onlyR ? "r_" : "p_";
        StringBuilder sb = new StringBuilder(rs.getBoolean("known") ? "KNOWN " : "");
        sb.append(onlyR ? "only in reference: " : onlyP ? "only in pipeline:  " : "differs:           ");
        sb.append(spec.key().stream().map(k -> {
            try {
                return k + "=" + rs.getString(side + k);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.joining(" ")));
        List<String> parts = new ArrayList<>();
        for (String v : spec.values()) {
            String r = rs.getString("r_" + v);
            String p = rs.getString("p_" + v);
            if (onlyR) {
                parts.add(v + "=" + r);
            } else if (onlyP) {
                parts.add(v + "=" + p);
            } else if (!String.valueOf(r).equals(String.valueOf(p))) {
                parts.add(v + ": reference=" + r + " pipeline=" + p);
            }
        }
        return sb.append(" | ").append(String.join(", ", parts)).toString();
    }

    /** rows read / accepted / rejected / merged per source: the manifest's counts against the reference's. */
    static Result compareCounts(Connection c, Path snapshot, int examples) throws IOException, SQLException {
        JsonNode bySource = new ObjectMapper().readTree(snapshot.resolve(Snapshots.MANIFEST).toFile())
                .path("counts").path("by_source");
        List<String> ex = new ArrayList<>();
        long diff = 0;
        long rows = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT s.source, s.read_rows, s.rejected_rows, COALESCE(a.accepted, 0), COALESCE(m.merged, 0)
                     FROM source_counts s
                     LEFT JOIN (SELECT source, count(*) AS accepted FROM grade_events GROUP BY source) a USING (source)
                     LEFT JOIN (SELECT source, sum(merged) AS merged FROM merged_events GROUP BY source) m USING (source)
                     ORDER BY s.source""")) {
            while (rs.next()) {
                rows++;
                String source = rs.getString(1);
                JsonNode p = bySource.path(source);
                long[] r = {rs.getLong(2), rs.getLong(4), rs.getLong(3), rs.getLong(5)};
                long[] q = {p.path("read").asLong(-1), p.path("accepted").asLong(-1), p.path("rejected").asLong(-1),
                        p.path("merged").asLong(-1)};
                String[] names = {"read", "accepted", "rejected", "merged"};
                for (int i = 0; i < 4; i++) {
                    if (r[i] != q[i]) {
                        diff++;
                        if (ex.size() < examples) {
                            ex.add("differs: source=" + source + " | " + names[i] + ": reference=" + r[i]
                                    + " pipeline=" + q[i]);
                        }
                    }
                }
            }
        }
        return new Result("manifest counts", rows, bySource.size(), 0, 0, diff, 0, ex);
    }

    private static void print(PrintStream out, Result r) {
        out.printf(Locale.ROOT, "%-20s reference %7d  pipeline %7d  only-reference %5d  only-pipeline %5d  differ %5d%s%n",
                r.table(), r.refRows(), r.pipelineRows(), r.onlyRef(), r.onlyPipeline(), r.differing(),
                r.known() > 0 ? "  (" + r.known() + " known)" : "");
        for (String e : r.examples()) {
            out.println("    " + e);
        }
        for (Known k : KNOWN) {
            if (k.table().equals(r.table()) && r.known() > 0) {
                out.println("    KNOWN: " + k.message());
            }
        }
    }
}
