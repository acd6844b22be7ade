package kz.baga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a Parquet copy of an input folder, for timing the pipeline on Parquet against CSV: each
 * {@code events/*.csv} becomes an {@code events/*.parquet} with the canonical columns typed as a diary database
 * would export them (int term and grade, decimal(9,2) scores, date, timestamp); the reference files and
 * {@code sources/} are copied as they are. Lines that do not fit those types (the generator's deliberately bad
 * rows: wrong column count, a word for a number, …) cannot exist in a typed export and are left out; the
 * command prints how many, per file.
 *
 * <pre>java -cp … kz.baga.bench.CsvToParquet --input DIR --out DIR</pre>
 */
public final class CsvToParquet {

    static final String COLUMNS = "{'source': 'VARCHAR', 'event_id': 'VARCHAR', 'academic_year': 'VARCHAR',"
            + " 'iin': 'VARCHAR', 'school_id': 'VARCHAR', 'class_label': 'VARCHAR', 'grade_level': 'INTEGER',"
            + " 'subject_code': 'VARCHAR', 'term': 'INTEGER', 'kind': 'VARCHAR', 'score': 'DECIMAL(9,2)',"
            + " 'max_score': 'DECIMAL(9,2)', 'event_date': 'DATE', 'recorded_at': 'TIMESTAMP'}";

    private CsvToParquet() {
    }

    public static void main(String[] args) throws Exception {
        Path input = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--input" -> input = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: CsvToParquet --input DIR --out DIR");
                    System.exit(2);
                }
            }
        }
        if (input == null || out == null || !Files.isDirectory(input.resolve("events"))) {
            System.err.println("CsvToParquet: --input must be an input folder with events/*.csv, and --out is required");
            System.exit(2);
        }
        convert(input, out);
    }

    static void convert(Path input, Path out) throws IOException, SQLException {
        Files.createDirectories(out.resolve("events"));
        for (String ref : List.of("schools.csv", "students.csv", "subjects.csv")) {
            Files.copy(input.resolve(ref), out.resolve(ref), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(input.resolve("sources"))) {
            try (Stream<Path> walk = Files.walk(input.resolve("sources"))) {
                for (Path p : walk.toList()) {
                    Path target = out.resolve(input.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        List<Path> csvs;
        try (Stream<Path> list = Files.list(input.resolve("events"))) {
            csvs = list.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
        long lines = 0;
        long rows = 0;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            for (Path csv : csvs) {
                String name = csv.getFileName().toString().replaceAll("\\.csv$", ".parquet");
                Path target = out.resolve("events").resolve(name);
                long fileLines;
                try (Stream<String> l = Files.lines(csv)) {
                    fileLines = l.skip(1).filter(s -> !s.isBlank()).count();
                }
                st.execute("COPY (SELECT * FROM read_csv('" + csv + "', header = true, delim = ',', quote = '\"',"
                        + " escape = '\"', columns = " + COLUMNS + ", timestampformat = '%Y-%m-%d %H:%M:%S',"
                        + " dateformat = '%Y-%m-%d', ignore_errors = true, parallel = false))"
                        + " TO '" + target + "' (FORMAT parquet, COMPRESSION snappy)");
                long fileRows;
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + target + "')")) {
                    rs.next();
                    fileRows = rs.getLong(1);
                }
                lines += fileLines;
                rows += fileRows;
                System.out.printf("%s: %d lines -> %d rows (%d left out)%n", name, fileLines, fileRows, fileLines - fileRows);
            }
        }
        System.out.printf("events: %d lines -> %d Parquet rows in %d files (%d left out)%n", lines, rows, csvs.size(),
                lines - rows);
    }
}
