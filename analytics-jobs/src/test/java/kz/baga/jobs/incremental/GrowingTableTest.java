package kz.baga.jobs.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.SnapshotManifest.DatabaseRead;
import kz.baga.contract.Table;
import kz.baga.jobs.Pipeline;
import kz.baga.jobs.SparkTestBase;
import kz.baga.jobs.ingest.StudentIds;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.SnapshotDiff;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A diary's append-only marks table named with a growing column ({@code changed}): each run reads only the rows
 * above the last one read, and its snapshot equals a full read's; a table changed below that value makes the run
 * full, with the reason. One warehouse W is built on step by step (the steps are ordered); each incremental result
 * is compared with a full run on the same database in F.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrowingTableTest extends SparkTestBase {

    static final String FILE = "jdbc:diary.marks";

    @TempDir
    static Path tmp;
    static EmbeddedPostgres pg;
    static Map<String, String> env;
    static Path input;
    static List<String[]> pupils;

    @BeforeAll
    static void diaryDatabase() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        pupils = samplePupils("11А");
        // An append-only log: a correction is a new row with the same mark_id and a later "changed".
        sqlOnDiary("create schema diary",
                "create table diary.marks (mark_id bigint, pupil_iin text, school text, klass text, parallel int,"
                        + " subj text, quarter int, work_type text, points numeric(6,2), out_of numeric(6,2),"
                        + " written date, changed timestamp)");
        long id = 1;
        for (String[] p : pupils) {
            for (Object[] w : new Object[][] {{"fo", 9, 10}, {"fo", 8, 10}, {"sor", 13, 15}, {"soch", 21, 25}}) {
                insert(id++, p, (String) w[0], (int) w[1], (int) w[2], "2026-02-10 15:00:00");
            }
        }
        env = Map.of("DIARY_DB_URL", pg.getJdbcUrl("postgres", "postgres"), "DIARY_DB_USER", "postgres",
                "DIARY_DB_PASSWORD", "postgres");
        input = inputWithSampleReferenceFiles(tmp.resolve("input"));
        Files.createDirectories(input.resolve("sources/diary"));
        Files.writeString(input.resolve("sources/diary/manifest.json"), """
                { "source": "diary", "type": "jdbc", "growingColumn": "changed",
                  "urlEnv": "DIARY_DB_URL", "userEnv": "DIARY_DB_USER", "passwordEnv": "DIARY_DB_PASSWORD",
                  "table": "diary.marks", "partitionColumn": "school", "partitions": 2,
                  "columns": { "event_id": "mark_id", "iin": "pupil_iin", "school_id": "school", "class_label": "klass",
                               "grade_level": "parallel", "subject_code": "subj", "term": "quarter", "kind": "work_type",
                               "score": "points", "max_score": "out_of", "event_date": "written", "recorded_at": "changed" },
                  "constants": { "academic_year": "2025-2026" },
                  "valueMaps": { "subject_code": { "algebra": "ALG" }, "kind": { "fo": "FO", "sor": "SOR", "soch": "SOCH" } } }
                """);
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    @Order(1)
    void theFirstRunReadsTheWholeTableAndRecordsHowFar() throws IOException {
        Pipeline.Result r = run("w", false);
        assertThat(r.run().kind()).isEqualTo("full");
        int rows = pupils.size() * 4;
        assertThat(r.sources().get("diary").read()).isEqualTo(rows);
        assertThat(r.run().databaseReads()).containsExactly(
                Map.entry(FILE, new DatabaseRead("changed", "2026-02-10 15:00:00", rows)));
        assertThat(r.run().validatedFiles()).containsKey(FILE + "@2026-02-10 15:00:00");
    }

    @Test
    @Order(2)
    void nothingNewIsAnIncrementalRunThatReadsNothing() throws IOException {
        Pipeline.Result r = run("w", false);
        assertThat(r.run().summary()).startsWith("incremental: 0 of 1 event files changed");
        assertThat(r.sources().get("diary").read()).isEqualTo(pupils.size() * 4L);
    }

    @Test
    @Order(3)
    void newRowsAreReadAloneAndGiveTheFullRunsTables() throws Exception {
        String[] first = pupils.get(0);
        String[] second = pupils.get(1);
        // a corrected SOR (mark 1 again, later), a new FO for another pupil, and a row with a bad IIN
        insert(1, first, "fo", 4, 10, "2026-02-12 09:00:00");
        insert(1000, second, "fo", 10, 10, "2026-02-12 09:30:00");
        String bad = first[0].substring(0, 11) + ((first[0].charAt(11) - '0' + 1) % 10);
        insert(1001, new String[] {bad, "", "", "", "", "", first[6], first[7], first[8]}, "fo", 7, 10,
                "2026-02-12 10:00:00.25");
        List<String> progress = new java.util.ArrayList<>();
        Pipeline.Result w = run("w", false, progress::add);
        assertThat(w.run().kind()).isEqualTo("incremental");
        assertThat(w.run().added()).isEqualTo(1);
        assertThat(progress).anyMatch(l -> l.contains("3 new row(s) in " + FILE));
        assertThat(w.run().databaseReads().get(FILE))
                .isEqualTo(new DatabaseRead("changed", "2026-02-12 10:00:00.25", pupils.size() * 4L + 3));
        Pipeline.SourceCounts c = w.sources().get("diary");
        assertThat(c.read()).isEqualTo(pupils.size() * 4L + 3);
        assertThat(c.merged()).isEqualTo(1);
        assertThat(c.rejected()).isEqualTo(1);

        Pipeline.Result f = run("f", true);
        assertThat(f.sources()).isEqualTo(w.sources());
        assertThat(IncrementalRunTest.differences(SnapshotDiff.compare(spark,
                IncrementalRunTest.snapshotDir(tmp.resolve("w"), w.snapshotId()),
                IncrementalRunTest.snapshotDir(tmp.resolve("f"), f.snapshotId())))).isEmpty();
        // the corrected mark stands: 4 of 10, not 9
        assertThat(table(tmp.resolve("w"), w.snapshotId(), Table.GRADE_EVENTS)
                .where("event_id = '1' and source = 'diary'").selectExpr("cast(score as int)").first().getInt(0))
                .isEqualTo(4);
    }

    @Test
    @Order(4)
    void aRowDeletedBelowTheLastValueMakesTheRunFull() throws Exception {
        sqlOnDiary("delete from diary.marks where mark_id = 2");
        Pipeline.Result r = run("w", false);
        assertThat(r.run().kind()).isEqualTo("full");
        assertThat(r.run().reason()).contains(FILE).contains("rows were deleted, changed or added below its last value");
        assertThat(r.run().databaseReads().get(FILE).rows()).isEqualTo(pupils.size() * 4L + 2);
        // and the run after it builds on the full read again
        assertThat(run("w", false).run().kind()).isEqualTo("incremental");
    }

    @Test
    @Order(5)
    void aRowWithNoValueIsOnlyTakenByAFullRead() throws Exception {
        insert(1002, pupils.get(2), "fo", 6, 10, null);
        Pipeline.Result r = run("w", false);
        assertThat(r.run().kind()).isEqualTo("full");
        assertThat(r.run().reason()).isEqualTo(FILE + " has 1 row(s) with no changed, which only a full read takes");
        assertThat(r.sources().get("diary").read()).isEqualTo(pupils.size() * 4L + 3);
    }

    static Pipeline.Result run(String warehouse, boolean full) throws IOException {
        return run(warehouse, full, null);
    }

    static Pipeline.Result run(String warehouse, boolean full, java.util.function.Consumer<String> progress)
            throws IOException {
        return new Pipeline(spark, new Pipeline.Options(input.toString(), tmp.resolve(warehouse).toString(),
                Rules.defaults(), "builtin", StudentIds.withKey(TEST_KEY), env, 5, progress, null, false, full)).run();
    }

    static void insert(long id, String[] pupil, String kind, int points, int outOf, String changed) throws SQLException {
        sqlOnDiary(String.format("insert into diary.marks values (%d, '%s', '%s', '%s', %s, 'algebra', 3, '%s', %d, %d,"
                        + " '2026-02-10', %s)", id, pupil[0], pupil[6], pupil[7], pupil[8], kind, points, outOf,
                changed == null ? "null" : "'" + changed + "'"));
    }

    static void sqlOnDiary(String... statements) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
