package kz.baga.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.Snapshots;
import kz.baga.contract.Table;
import kz.baga.jobs.ingest.InputFolder;
import kz.baga.jobs.ingest.StudentIds;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Shared base of the Spark tests, in the style of Apache Iceberg's {@code TestBase}: one static {@code local[2]}
 * session per test class, built with the production settings ({@link SparkSessions}), and small helpers to make
 * literal fixtures ({@link #df}, {@link #row}) and to read results back as plain Java rows ({@link #rows},
 * {@link #sql}, {@link #byKey}). The tests that run the whole pipeline share {@link #SAMPLE}, {@link #runPipeline}
 * and the readers of what it wrote ({@link #table}, {@link #manifest}).
 *
 * <p>Fixtures are a few literal rows in the exact input shape of the static method under test; expected
 * values are computed by hand from docs/rules.md in the tests' comments.
 */
public abstract class SparkTestBase {

    /** The committed sample district: the input of the tests that run the whole pipeline. */
    public static final Path SAMPLE = ForkedJvm.ROOT.resolve("sample-data/district-small");

    /** The student-id key of the tests' pipeline runs. */
    public static final String TEST_KEY = "test-key";

    protected static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.builder("local[2]", 4).getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    /** Runs a SQL query (views registered with {@code createOrReplaceTempView}) and collects its rows. */
    protected static List<Row> sql(String query, Object... args) {
        return spark.sql(args.length == 0 ? query : String.format(query, args)).collectAsList();
    }

    /** A row of plain Java values. */
    protected static Row row(Object... values) {
        return RowFactory.create(values);
    }

    /** A DataFrame from literal rows with a DDL schema, e.g. {@code "student_id string, term int"}. */
    protected static Dataset<Row> df(String ddl, Row... rows) {
        return df(StructType.fromDDL(ddl), Arrays.asList(rows));
    }

    protected static Dataset<Row> df(String ddl, List<Row> rows) {
        return df(StructType.fromDDL(ddl), rows);
    }

    protected static Dataset<Row> df(StructType schema, List<Row> rows) {
        return spark.createDataFrame(rows, schema);
    }

    /**
     * The rows of {@code data} projected on {@code columns}, ordered by them (nulls first), as Java rows:
     * compare with {@code row(...)} values in AssertJ's {@code containsExactly}.
     */
    protected static List<Row> rows(Dataset<Row> data, String... columns) {
        Dataset<Row> projected = data.selectExpr(columns);
        return projected.orderBy(Arrays.stream(projected.columns()).map(c -> projected.col(c).asc_nulls_first())
                .toArray(org.apache.spark.sql.Column[]::new)).collectAsList();
    }

    /**
     * The rows of {@code data} by the values of {@code keyColumns} joined with '/' (e.g. {@code "a5454/MATH/1"});
     * fails on a key that repeats.
     */
    protected static Map<String, Row> byKey(Dataset<Row> data, String... keyColumns) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : data.collectAsList()) {
            String key = Arrays.stream(keyColumns).map(c -> String.valueOf(r.<Object>getAs(c)))
                    .collect(Collectors.joining("/"));
            assertThat(out.put(key, r)).as("one row per key " + key).isNull();
        }
        return out;
    }

    /** The row of {@link #byKey} whose key is {@code keyParts}; fails when there is none. */
    protected static Row get(Map<String, Row> rows, Object... keyParts) {
        String key = Arrays.stream(keyParts).map(String::valueOf).collect(Collectors.joining("/"));
        Row r = rows.get(key);
        assertThat(r).as(key).isNotNull();
        return r;
    }

    /** The single row of {@code data} where {@code condition} (SQL) holds, projected on {@code columns}. */
    protected static Row one(Dataset<Row> data, String condition, String... columns) {
        List<Row> found = data.where(condition).selectExpr(columns).collectAsList();
        if (found.size() != 1) {
            throw new AssertionError("expected one row where " + condition + ", found " + found.size() + ": " + found);
        }
        return found.get(0);
    }

    protected static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    protected static Date date(String isoDate) {
        return Date.valueOf(isoDate);
    }

    protected static Timestamp ts(String isoDateTime) {
        return Timestamp.valueOf(isoDateTime.replace('T', ' '));
    }

    /** The columns of {@code grade_events} exactly as the pipeline hands them to the marks and metrics jobs. */
    protected static final String EVENTS = kz.baga.contract.Table.GRADE_EVENTS.ddl();

    private static long eventIds;

    /**
     * One {@code grade_events} row: defaults are year 2025-2026, date 2025-10-01, source {@code kundelik}, school
     * S1, class 10А, grade 10; change them with the builder's setters, then {@link Event#row()}.
     */
    protected static Event event(String student, String subject, int term, String kind, String score, String max) {
        return new Event(student, subject, term, kind, score, max);
    }

    protected static Dataset<Row> events(Event... events) {
        return df(EVENTS, Arrays.stream(events).map(Event::row).toList());
    }

    protected static final class Event {
        private final String student;
        private final String subject;
        private final int term;
        private final String kind;
        private final String score;
        private final String max;
        private String year = "2025-2026";
        private String date = "2025-10-01";
        private String recorded;
        private String source = "kundelik";
        private String school = "S1";
        private String classLabel = "10А";
        private Integer grade = 10;

        private Event(String student, String subject, int term, String kind, String score, String max) {
            this.student = student;
            this.subject = subject;
            this.term = term;
            this.kind = kind;
            this.score = score;
            this.max = max;
        }

        public Event year(String v) {
            year = v;
            return this;
        }

        public Event date(String v) {
            date = v;
            return this;
        }

        public Event recorded(String v) {
            recorded = v;
            return this;
        }

        public Event source(String v) {
            source = v;
            return this;
        }

        public Event school(String v) {
            school = v;
            return this;
        }

        public Event cls(String v) {
            classLabel = v;
            return this;
        }

        public Event grade(Integer v) {
            grade = v;
            return this;
        }

        public Row row() {
            return RowFactory.create(student, subject, year, term, kind, new BigDecimal(score), new BigDecimal(max),
                    Date.valueOf(date), recorded == null ? null : ts(recorded), source, "e" + (++eventIds), school,
                    classLabel, grade, "events/test.csv", eventIds);
        }
    }

    /** The whole pipeline on {@code input} into {@code warehouse}: the built-in rules, {@link #TEST_KEY}. */
    protected static Pipeline.Result runPipeline(Path input, Path warehouse) throws IOException {
        return runPipeline(input, warehouse, Map.of(), null);
    }

    /**
     * As {@link #runPipeline(Path, Path)}, with the environment a JDBC source reads and {@code beforeCommit} run just
     * before the commit (null for none).
     */
    protected static Pipeline.Result runPipeline(Path input, Path warehouse, Map<String, String> env,
                                                 Runnable beforeCommit) throws IOException {
        return new Pipeline(spark, new Pipeline.Options(input.toString(), warehouse.toString(), Rules.defaults(),
                "builtin", StudentIds.withKey(TEST_KEY), env, 5, null, beforeCommit)).run();
    }

    /** A table of snapshot {@code snapshotId} in {@code warehouse}. */
    protected static Dataset<Row> table(Path warehouse, String snapshotId, Table table) {
        return spark.read().parquet(warehouse.resolve(Snapshots.tablePath(snapshotId, table)).toString());
    }

    /** The manifest of snapshot {@code snapshotId} in {@code warehouse}. */
    public static SnapshotManifest manifest(Path warehouse, String snapshotId) throws IOException {
        return new ObjectMapper().readValue(warehouse.resolve(Snapshots.snapshotPath(snapshotId))
                .resolve(Snapshots.MANIFEST).toFile(), SnapshotManifest.class);
    }

    /** {@code folder} made an input folder with the sample's reference files (schools, students, subjects). */
    protected static Path inputWithSampleReferenceFiles(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String ref : InputFolder.REFERENCE_FILES) {
            Files.copy(SAMPLE.resolve(ref), folder.resolve(ref));
        }
        return folder;
    }

    /** The sample's pupils in the given classes (e.g. {@code "11А"}): their students.csv rows, split into fields. */
    protected static List<String[]> samplePupils(String... classLabels) throws IOException {
        Set<String> classes = Set.of(classLabels);
        return Files.readAllLines(SAMPLE.resolve("students.csv"), StandardCharsets.UTF_8).stream().skip(1)
                .map(line -> line.split(",")).filter(f -> classes.contains(f[7])).toList();
    }

    /** The built-in rules with some text replaced (e.g. a policy), loaded through a temporary file. */
    protected static Rules rulesWith(String target, String replacement) {
        try (InputStream in = Rules.class.getClassLoader().getResourceAsStream(Rules.DEFAULT_RESOURCE)) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!json.contains(target)) {
                throw new IllegalArgumentException("the built-in rules do not contain " + target);
            }
            Path file = Files.createTempFile("baga-rules", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, json.replace(target, replacement));
            return Rules.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
