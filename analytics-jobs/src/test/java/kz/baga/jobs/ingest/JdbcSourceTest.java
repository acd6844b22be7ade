package kz.baga.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import kz.baga.contract.Table;
import kz.baga.jobs.Pipeline;
import kz.baga.jobs.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A diary's PostgreSQL table as a source: a real (embedded) PostgreSQL, read over JDBC in parallel hash
 * partitions, mapped by a manifest whose URL and credentials come from the environment.
 */
class JdbcSourceTest extends SparkTestBase {

    @TempDir
    static Path tmp;
    static EmbeddedPostgres pg;
    static Pipeline.Result result;
    static Path warehouse;
    static int validRows;

    @BeforeAll
    static void diaryDatabase() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        List<String[]> pupils = samplePupils("11А", "10А");
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("create schema diary");
            st.execute("create table diary.marks (mark_id bigint primary key, pupil_iin text, school text, klass text,"
                    + " parallel int, subj text, quarter int, work_type text, points numeric(6,2), out_of numeric(6,2),"
                    + " written date, changed timestamp)");
            try (PreparedStatement ins = c.prepareStatement("insert into diary.marks values (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                long id = 1;
                for (String[] f : pupils) {
                    // FO 9, FO 8, SOR 13/15, SOCH 21/25 in algebra, term 3: 0.25·85 + 0.25·86.67 + 0.5·84 = 84.92 → 85 → 5
                    Object[][] works = {{"fo", 9, 10}, {"fo", 8, 10}, {"sor", 13, 15}, {"soch", 21, 25}};
                    for (Object[] w : works) {
                        ins.setLong(1, id++);
                        ins.setString(2, f[0]);
                        ins.setString(3, f[6]);
                        ins.setString(4, f[7]);
                        ins.setInt(5, Integer.parseInt(f[8]));
                        ins.setString(6, "algebra");
                        ins.setInt(7, 3);
                        ins.setString(8, (String) w[0]);
                        ins.setBigDecimal(9, new java.math.BigDecimal(w[1].toString()));
                        ins.setBigDecimal(10, new java.math.BigDecimal(w[2].toString()));
                        ins.setDate(11, java.sql.Date.valueOf("2026-02-10"));
                        ins.setTimestamp(12, java.sql.Timestamp.valueOf("2026-02-10 15:00:00"));
                        ins.addBatch();
                        validRows++;
                    }
                }
                ins.executeBatch();
            }
            String first = pupils.get(0)[0];
            String badIin = first.substring(0, 11) + ((first.charAt(11) - '0' + 1) % 10);
            st.execute("insert into diary.marks values (100001, '" + badIin + "', 'ALM-0001', '11А', 11, 'algebra', 3,"
                    + " 'fo', 7, 10, '2026-02-11', '2026-02-11 10:00:00')");
            st.execute("insert into diary.marks values (100002, '" + first + "', 'ALM-0001', '11А', 11, 'algebra', 3,"
                    + " 'sor', 17, 15, '2026-02-11', '2026-02-11 10:00:00')");
        }
        // The variables the manifest names, in the run's environment (a pipeline server passes its client's).
        Map<String, String> env = Map.of("DIARY_DB_URL", pg.getJdbcUrl("postgres", "postgres"),
                "DIARY_DB_USER", "postgres", "DIARY_DB_PASSWORD", "postgres");

        Path input = inputWithSampleReferenceFiles(tmp.resolve("input"));
        Files.createDirectories(input.resolve("sources/diary"));
        Files.writeString(input.resolve("sources/diary/manifest.json"), """
                { "source": "diary", "type": "jdbc",
                  "urlEnv": "DIARY_DB_URL", "userEnv": "DIARY_DB_USER", "passwordEnv": "DIARY_DB_PASSWORD",
                  "table": "diary.marks", "partitionColumn": "school", "partitions": 3,
                  "columns": { "event_id": "mark_id", "iin": "pupil_iin", "school_id": "school", "class_label": "klass",
                               "grade_level": "parallel", "subject_code": "subj", "term": "quarter", "kind": "work_type",
                               "score": "points", "max_score": "out_of", "event_date": "written", "recorded_at": "changed" },
                  "constants": { "academic_year": "2025-2026" },
                  "valueMaps": { "subject_code": { "algebra": "ALG" }, "kind": { "fo": "FO", "sor": "SOR", "soch": "SOCH" } } }
                """);
        warehouse = tmp.resolve("warehouse");
        result = runPipeline(input, warehouse, env, null);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void everyRowIsReadOnceAcrossThePartitions() {
        Pipeline.SourceCounts diary = result.sources().get("diary");
        assertThat(diary.read()).isEqualTo(validRows + 2);
        assertThat(diary.accepted()).isEqualTo(validRows);
        assertThat(diary.rejected()).isEqualTo(2);
    }

    @Test
    void badDatabaseRowsAreRejectedWithTheirValues() {
        String snap = result.snapshotId();
        List<Row> rejected = table(warehouse, snap, Table.REJECTED_EVENTS).where("source = 'diary'").orderBy("reason")
                .collectAsList();
        assertThat(rejected).extracting(r -> r.<String>getAs("reason")).containsExactly("BAD_IIN", "SCORE_OUT_OF_RANGE");
        assertThat(rejected).allSatisfy(r -> {
            assertThat(r.<String>getAs("file")).isEqualTo("jdbc:diary.marks");
            assertThat(r.<Long>getAs("line")).isZero();
            assertThat(r.<String>getAs("raw")).contains("\"mark_id\":\"10000");
        });
    }

    @Test
    void marksAreComputedFromTheDatabaseRows() {
        String snap = result.snapshotId();
        List<Row> terms = table(warehouse, snap, Table.TERM_GRADES)
                .select("subject_code", "term", "total_pct", "mark", "class_label").distinct().collectAsList();
        assertThat(terms).extracting(r -> r.getString(0) + " " + r.getInt(1) + " " + r.getDecimal(2) + " " + r.getInt(3))
                .containsOnly("ALG 3 84.9167 5");
        assertThat(terms).extracting(r -> r.<String>getAs("class_label")).contains("11А", "10А");
    }
}
