package kz.baga.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code reference --input DIR [--engine duckdb|postgres] [--jdbc URL] [--out DIR] [--threads N]}: runs the SQL
 * reference on an input folder and prints the time per phase (and, with {@code --json}, one JSON line).
 * DuckDB runs in memory and with {@code --out} writes the result tables as Parquet; PostgreSQL needs
 * {@code --jdbc} (user and password from {@code PGUSER}/{@code PGPASSWORD}) and works in a fresh schema.
 */
public final class ReferenceCommand {

    private ReferenceCommand() {
    }

    public static void main(String[] args) throws Exception {
        String input = null;
        String engine = "duckdb";
        String jdbc = null;
        String out = null;
        String threads = null;
        String memory = null;
        boolean json = false;
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--input" -> input = args[++i];
                case "--engine" -> engine = args[++i];
                case "--jdbc" -> jdbc = args[++i];
                case "--out" -> out = args[++i];
                case "--threads" -> threads = args[++i];
                case "--memory-limit" -> memory = args[++i];
                case "--json" -> json = true;
                case "--quiet" -> quiet = true;
                case "--help", "-h" -> {
                    System.out.println("usage: reference --input DIR [--engine duckdb|postgres] [--jdbc URL] [--out DIR]"
                            + " [--threads N] [--memory-limit 4GB] [--json] [--quiet]");
                    return;
                }
                default -> {
                    System.err.println("reference: unknown argument '" + args[i] + "' (see --help)");
                    System.exit(2);
                }
            }
        }
        if (input == null || !Files.isDirectory(Path.of(input))) {
            System.err.println("reference: --input DIR is required and must be a folder");
            System.exit(2);
        }
        Dialect dialect = Dialect.of(engine);
        Path work = Files.createTempDirectory("baga-reference-");
        long t0 = System.nanoTime();
        try (Connection c = connect(dialect, jdbc, threads, memory)) {
            boolean verbose = !quiet;
            Reference ref = new Reference(c, dialect, Path.of(input), work, StudentIdKey.fromEnvironment())
                    .log(s -> {
                        if (verbose) {
                            System.err.println("reference: " + s);
                        }
                    })
                    .run();
            if (out != null) {
                ref.writeParquet(Path.of(out));
            }
            double total = (System.nanoTime() - t0) / 1e9;
            long events;
            long terms;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT (SELECT sum(read_rows) FROM source_counts), (SELECT count(*) FROM term_grades)")) {
                rs.next();
                events = rs.getLong(1);
                terms = rs.getLong(2);
            }
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("engine", dialect.name().toLowerCase(Locale.ROOT));
                o.put("events", events);
                o.put("term_grades", terms);
                o.put("total_s", total);
                ObjectNode phases = o.putObject("phases");
                ref.timings().forEach(phases::put);
                ObjectNode fp = o.putObject("fingerprint");
                try (Statement st = c.createStatement()) {
                    for (String q : Reference.FINGERPRINT) {
                        try (ResultSet rs = st.executeQuery(q)) {
                            rs.next();
                            fp.put(rs.getString(1), new java.math.BigDecimal(rs.getString(2)).stripTrailingZeros().toPlainString()
                                    + "/" + plain(rs.getString(3)) + "/" + plain(rs.getString(4)));
                        }
                    }
                }
                System.out.println(o);
            } else {
                System.out.printf(Locale.ROOT, "reference (%s): %d event rows, %d term marks, %.2f s %s%n",
                        dialect.name().toLowerCase(Locale.ROOT), events, terms, total, ref.timings());
            }
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String plain(String s) {
        return s == null ? "null" : new java.math.BigDecimal(s).stripTrailingZeros().toPlainString();
    }

    static Connection connect(Dialect dialect, String jdbc, String threads, String memory) throws Exception {
        if (dialect == Dialect.DUCKDB) {
            Class.forName("org.duckdb.DuckDBDriver");
            Properties p = new Properties();
            if (threads != null) {
                p.setProperty("threads", threads);
            }
            if (memory != null) {
                p.setProperty("memory_limit", memory);
            }
            return DriverManager.getConnection(jdbc != null ? jdbc : "jdbc:duckdb:", p);
        }
        if (jdbc == null) {
            throw new IllegalArgumentException("--engine postgres needs --jdbc jdbc:postgresql://127.0.0.1:PORT/DB");
        }
        Properties p = new Properties();
        p.setProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
        String pw = System.getenv("PGPASSWORD");
        if (pw != null) {
            p.setProperty("password", pw);
        }
        Connection c = DriverManager.getConnection(jdbc, p);
        try (Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS baga_ref CASCADE");
            st.execute("CREATE SCHEMA baga_ref");
            st.execute("SET search_path = baga_ref, public");
        }
        return c;
    }
}
