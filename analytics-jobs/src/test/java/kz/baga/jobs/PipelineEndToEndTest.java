package kz.baga.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.Snapshots;
import kz.baga.contract.Table;
import kz.baga.jobs.ingest.StudentIds;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on the committed sample district: counts add up, every table is there with the contract's
 * columns and agrees with the others, rejected rows point at their real line, the run is deterministic, and a
 * run that fails before its commit leaves {@code CURRENT} where it was.
 */
class PipelineEndToEndTest extends SparkTestBase {

    @TempDir
    static Path tmp;
    static Path warehouse;
    static Pipeline.Result result;
    static String snapshot;

    static Pipeline.Result run(Path wh, Runnable beforeCommit) throws IOException {
        return runPipeline(SAMPLE, wh, Map.of(), beforeCommit);
    }

    @BeforeAll
    static void runOnce() throws IOException {
        warehouse = tmp.resolve("warehouse");
        result = run(warehouse, null);
        snapshot = result.snapshotId();
    }

    static Dataset<Row> table(Table t) {
        return table(warehouse, snapshot, t);
    }

    @Test
    void rowsReadEqualAcceptedPlusRejectedPlusMerged() throws IOException {
        Pipeline.SourceCounts total = result.total();
        assertThat(total.read()).isEqualTo(total.accepted() + total.rejected() + total.merged());
        result.sources().forEach((source, c) ->
                assertThat(c.read()).as(source).isEqualTo(c.accepted() + c.rejected() + c.merged()));
        // Count the sample's data lines independently: every non-blank line but the header.
        long lines = 0;
        try (var files = Files.list(SAMPLE.resolve("events"))) {
            for (Path f : files.toList()) {
                lines += Files.readAllLines(f, StandardCharsets.UTF_8).stream().skip(1).filter(l -> !l.isBlank()).count();
            }
        }
        try (var files = Files.list(SAMPLE.resolve("sources/kundelik"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                lines += Files.readAllLines(f, Charset.forName("windows-1251")).stream().skip(1)
                        .filter(l -> !l.isBlank()).count();
            }
        }
        assertThat(total.read()).isEqualTo(lines);
        assertThat(table(Table.GRADE_EVENTS).count()).isEqualTo(total.accepted());
        assertThat(table(Table.REJECTED_EVENTS).where("source <> 'reference'").count()).isEqualTo(total.rejected());
        assertThat(total.rejected()).isPositive();
        assertThat(total.merged()).isPositive();
        assertThat(result.sources()).containsKeys("bilimclass", "kundelik");
        // The windows-1251 export decodes and maps: none of its rows is rejected.
        assertThat(result.sources().get("kundelik").rejected()).isZero();
    }

    @Test
    void manifestRecordsCountsRulesChecksumsAndTimings() throws IOException {
        assertThat(Files.readString(warehouse.resolve(Snapshots.CURRENT)).trim()).isEqualTo(snapshot);
        SnapshotManifest m = manifest(warehouse, snapshot);
        assertThat(m.snapshotId()).isEqualTo(snapshot);
        assertThat(m.rules().version()).isEqualTo(Rules.defaults().version());
        assertThat(m.studentIdKey()).isEqualTo(new SnapshotManifest.StudentIdKey(
                StudentIds.withKey(TEST_KEY).keyFingerprint(), false));
        assertThat(m.counts().read()).isEqualTo(result.total().read());
        assertThat(m.counts().merged()).isEqualTo(result.total().merged());
        assertThat(m.input().files().get("students.csv").sha256()).hasSize(64);
        assertThat(m.input().files().get("events/bilimclass-ALM-0001.csv").bytes())
                .isEqualTo(Files.size(SAMPLE.resolve("events/bilimclass-ALM-0001.csv")));
        assertThat(m.timingsMs().get("ingest")).isPositive();
        for (Table t : Table.values()) {
            assertThat(m.tables().get(t.tableName())).as(t.tableName()).isEqualTo(table(t).count());
        }
    }

    /**
     * Users' scripts read manifest.json: a run writes the same fields in the same places and order as the manifest
     * of the sample in the contract's tests, which the pipeline wrote before the manifest was a record.
     */
    @Test
    void theManifestKeepsItsFieldsAndTheirOrder() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode written = json.readTree(warehouse.resolve(Snapshots.snapshotPath(snapshot))
                .resolve(Snapshots.MANIFEST).toFile());
        JsonNode before = json.readTree(ForkedJvm.ROOT
                .resolve("warehouse-contract/src/test/resources/district-small-manifest.json").toFile());
        assertThat(fieldPaths(written, "")).isEqualTo(fieldPaths(before, ""));
    }

    /** Every field's path, in document order: {@code /counts/by_source/kundelik/read}, {@code /layout/schools}. */
    static List<String> fieldPaths(JsonNode node, String at) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                out.add(at + "/" + field.getKey());
                out.addAll(fieldPaths(field.getValue(), at + "/" + field.getKey()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.addAll(fieldPaths(node.get(i), at + "/" + i));
            }
        }
        return out;
    }

    @Test
    void everyTableHasTheContractColumnsAndRows() {
        for (Table t : Table.values()) {
            Dataset<Row> data = table(t);
            assertThat(List.of(data.columns())).as(t.tableName()).containsExactlyInAnyOrderElementsOf(t.columnNames());
            assertThat(data.count()).as(t.tableName()).isPositive();
        }
        // One folder per school for the school tables.
        assertThat(warehouse.resolve(Snapshots.tablePath(snapshot, Table.TERM_GRADES)).resolve("school_id=ALM-0001"))
                .isDirectory();
    }

    @Test
    void indicatorFilesKeepTheirRowsInTheContractsOrder() throws IOException {
        for (Table t : List.of(Table.SCHOOL_INDICATORS, Table.DISTRICT_INDICATORS)) {
            org.apache.spark.sql.Column[] by = t.sortColumns().stream().map(org.apache.spark.sql.functions::col)
                    .toArray(org.apache.spark.sql.Column[]::new);
            List<Path> files;
            try (var walk = Files.walk(warehouse.resolve(Snapshots.tablePath(snapshot, t)))) {
                files = walk.filter(f -> f.toString().endsWith(".parquet")).toList();
            }
            assertThat(files).as(t.tableName()).isNotEmpty();
            for (Path f : files) {
                Dataset<Row> rows = spark.read().parquet(f.toString()).select(by);
                assertThat(rows.collectAsList()).as(f.toString()).isEqualTo(rows.orderBy(by).collectAsList());
            }
        }
    }

    @Test
    void tablesAgreeWithEachOther() {
        table(Table.STUDENT_DIRECTORY).createOrReplaceTempView("dir");
        table(Table.TERM_GRADES).createOrReplaceTempView("tg");
        table(Table.ANNUAL_GRADES).createOrReplaceTempView("ag");
        table(Table.CLASS_RANKINGS).createOrReplaceTempView("cr");
        table(Table.GRADE_EVENTS).createOrReplaceTempView("ev");
        table(Table.MEDAL_ELIGIBILITY).createOrReplaceTempView("me");
        table(Table.SCHOOL_INDICATORS).createOrReplaceTempView("si");
        // Every pupil in an analytic table is in the directory.
        assertThat(sql("select count(*) from tg left anti join dir using (student_id)").get(0).getLong(0)).isZero();
        assertThat(sql("select count(*) from me left anti join dir using (student_id)").get(0).getLong(0)).isZero();
        // Every computed term mark comes from assessments of that pupil, subject and term.
        assertThat(sql("select count(*) from tg where mark_source = 'COMPUTED' and not exists (select 1 from ev"
                + " where ev.student_id = tg.student_id and ev.subject_code = tg.subject_code and ev.term = tg.term"
                + " and ev.academic_year = tg.academic_year and ev.kind in ('FO','SOR','SOCH'))").get(0).getLong(0))
                .isZero();
        // The annual mark of a computed year is the half-up mean of its term marks.
        assertThat(sql("select count(*) from ag join (select student_id, subject_code, academic_year,"
                + " floor(avg(mark) + 0.5) m from tg group by 1,2,3) t using (student_id, subject_code, academic_year)"
                + " where ag.mark_source = 'COMPUTED' and ag.mark <> t.m").get(0).getLong(0)).isZero();
        // Class sizes in rankings match the ranked pupils, and ranks start at 1.
        assertThat(sql("select count(*) from (select school_id, class_label, academic_year, term, subject_code,"
                + " count(*) n, max(class_size) s, min(rank) r from cr group by 1,2,3,4,5) where n <> s or r <> 1")
                .get(0).getLong(0)).isZero();
        // School indicators for ALL, all grades, year: N is the number of pupils with annual marks.
        assertThat(sql("select count(*) from si join (select school_id, academic_year, count(distinct student_id) n"
                + " from ag group by 1,2) a using (school_id, academic_year) where si.term = 0 and si.grade_level = 0"
                + " and si.subject_code = 'ALL' and si.n <> a.n").get(0).getLong(0)).isZero();
        // Medal rows for grades 9-11 only, one per pupil and award.
        assertThat(sql("select count(*) from me where grade_level not in (9, 10, 11)").get(0).getLong(0)).isZero();
        assertThat(sql("select count(*) from (select student_id, award from me group by 1,2 having count(*) > 1)")
                .get(0).getLong(0)).isZero();
        // The sample's scenario shows up: a conflict, a gap, duplicates merged, medal candidates.
        table(Table.RECONCILIATION).createOrReplaceTempView("rc");
        assertThat(sql("select issue from rc group by issue").stream().map(r -> r.getString(0)))
                .contains("CONFLICT", "GAP", "DUPLICATE");
        assertThat(sql("select count(*) from me where award = 'ALTYN_BELGI' and status <> 'LOST'").get(0).getLong(0))
                .isPositive();
    }

    @Test
    void kundelikCarriesTheWorksOfTermsOneAndTwo() {
        table(Table.GRADE_EVENTS).createOrReplaceTempView("ev");
        // Before the switch the works are Kundelik's, after it BilimClass's (plus a few term-2 works re-entered).
        assertThat(sql("select count(*) from ev where source = 'kundelik' and academic_year = '2025-2026'"
                + " and kind in ('FO','SOR','SOCH') and term in (1, 2)").get(0).getLong(0)).isGreaterThan(20_000);
        assertThat(sql("select count(*) from ev where source = 'kundelik' and kind in ('FO','SOR','SOCH')"
                + " and term > 2").get(0).getLong(0)).isZero();
        assertThat(sql("select count(*) from ev where source = 'bilimclass' and kind in ('FO','SOR','SOCH')"
                + " and term = 1").get(0).getLong(0)).isZero();
        // Every kind with its maximum, and half points written with a decimal comma read as .5.
        assertThat(sql("select kind, min(max_score), max(max_score) from ev where source = 'kundelik'"
                + " and kind in ('FO','SOR','SOCH') group by kind order by kind").stream()
                .map(r -> r.getString(0) + " " + r.getDecimal(1).stripTrailingZeros().toPlainString() + "-"
                        + r.getDecimal(2).stripTrailingZeros().toPlainString()))
                .containsExactly("FO 10-10", "SOCH 20-25", "SOR 10-20");
        assertThat(sql("select count(*) from ev where source = 'kundelik' and score % 1 = 0.5").get(0).getLong(0))
                .isPositive();
    }

    @Test
    void kundelikCorrectionsAreMergedAndTheLatestVersionStands() {
        Pipeline.SourceCounts kundelik = result.sources().get("kundelik");
        assertThat(kundelik.merged()).isPositive();
        assertThat(kundelik.read()).isEqualTo(kundelik.accepted() + kundelik.rejected() + kundelik.merged());
        table(Table.RECONCILIATION).createOrReplaceTempView("rc");
        table(Table.GRADE_EVENTS).createOrReplaceTempView("ev");
        // One DUPLICATE finding per corrected event, and the event kept is the later version.
        assertThat(sql("select count(*) from rc where issue = 'DUPLICATE' and detail like 'kundelik event %'")
                .get(0).getLong(0)).isEqualTo(kundelik.merged());
        // (the generator records a first version on the work's day and its correction one to three days later)
        assertThat(sql("select count(*) from (select regexp_extract(detail, '^kundelik event (\\\\S+) ', 1) event_id"
                + " from rc where issue = 'DUPLICATE') d join ev on ev.source = 'kundelik' and ev.event_id = d.event_id"
                + " where to_date(ev.recorded_at) > ev.event_date").get(0).getLong(0)).isEqualTo(kundelik.merged());
    }

    @Test
    void kundelikTermMarksAreRecomputedAndAFewConflict() {
        table(Table.TERM_GRADES).createOrReplaceTempView("tg");
        table(Table.RECONCILIATION).createOrReplaceTempView("rc");
        Row q12 = sql("select count(*), count(computed_mark), sum(case when computed_mark <> mark then 1 else 0 end)"
                + " from tg where academic_year = '2025-2026' and term in (1, 2) and mark_source = 'IMPORTED'").get(0);
        // Every certified Q1-Q2 mark now has a mark computed from the works beside it ...
        assertThat(q12.getLong(1)).isEqualTo(q12.getLong(0)).isGreaterThan(1000);
        // ... which a few certified marks contradict (the generator perturbs about 0.4 %), most agree.
        long differing = q12.getLong(2);
        assertThat(differing).isPositive().isLessThan(q12.getLong(0) / 50);
        assertThat(sql("select count(*) from rc where issue = 'CONFLICT' and term in (1, 2)"
                + " and detail like 'certified term mark % (kundelik) stands; computed from assessments: %'")
                .get(0).getLong(0)).isEqualTo(differing);
    }

    @Test
    void thePremiumPupilsDynamicsRunFromSeptemberToMayAcrossTheSwitch() {
        table(Table.MEDAL_ELIGIBILITY).createOrReplaceTempView("me");
        table(Table.GRADE_DYNAMICS).createOrReplaceTempView("gd");
        // The pupil the demo links to parent.premium: the 11th-grader of the first school with the best medal status.
        String pupil = sql("select student_id from me where school_id = 'ALM-0001' and grade_level = 11"
                + " group by student_id order by min(case status when 'ON_TRACK' then 0 when 'AT_RISK' then 1"
                + " when 'INCOMPLETE' then 2 else 3 end), student_id limit 1").get(0).getString(0);
        List<String> months = sql("select date_format(period_start, 'yyyy-MM'), concat_ws(',', sort_array("
                + "collect_set(sources))) from gd where student_id = '%s' and academic_year = '2025-2026'"
                + " group by 1 order by 1", pupil).stream().map(r -> r.getString(0) + " " + r.getString(1)).toList();
        assertThat(months).containsExactly("2025-09 kundelik", "2025-10 kundelik", "2025-11 kundelik",
                "2025-12 kundelik", "2026-01 bilimclass", "2026-02 bilimclass", "2026-03 bilimclass",
                "2026-04 bilimclass", "2026-05 bilimclass");
        // Each month holds several subjects' points, not one stray work.
        assertThat(sql("select count(*) from (select period_start from gd where student_id = '%s'"
                + " group by period_start having count(distinct subject_code) < 5)", pupil).get(0).getLong(0)).isZero();
    }

    @Test
    void iinsAndNamesStayInTheDirectory() {
        for (Table t : Table.values()) {
            if (t == Table.STUDENT_DIRECTORY || t == Table.REJECTED_EVENTS) {
                continue;
            }
            assertThat(table(t).columns()).as(t.tableName()).doesNotContain("iin", "last_name", "first_name");
        }
        // student_id is the keyed hash, not the IIN.
        Row pupil = table(Table.STUDENT_DIRECTORY).select("student_id", "iin").first();
        assertThat(pupil.getString(0)).isEqualTo(StudentIds.withKey(TEST_KEY).of(pupil.getString(1)));
    }

    @Test
    void rejectedRowsPointAtTheirLine() throws IOException {
        List<Row> rejected = table(Table.REJECTED_EVENTS).where("source = 'bilimclass'")
                .select("file", "line", "raw", "reason").collectAsList();
        assertThat(rejected).isNotEmpty();
        Map<String, List<String>> files = new java.util.HashMap<>();
        for (Row r : rejected) {
            List<String> lines = files.computeIfAbsent(r.getString(0), f -> {
                try {
                    return Files.readAllLines(SAMPLE.resolve(f), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(lines.get((int) r.getLong(1) - 1)).as(r.getString(3)).isEqualTo(r.getString(2));
        }
        assertThat(rejected.stream().map(r -> r.getString(3)).distinct())
                .contains("BAD_IIN", "UNKNOWN_SUBJECT", "UNKNOWN_SCHOOL", "SCORE_OUT_OF_RANGE", "DATE_OUTSIDE_YEAR",
                        "BAD_COLUMN_COUNT", "BAD_NUMBER", "BAD_TERM", "BAD_KIND");
    }

    @Test
    void sameInputSameRulesSameTables() throws IOException {
        Path second = tmp.resolve("warehouse-2");
        Pipeline.Result again = run(second, null);
        assertThat(again.snapshotId()).isNotEqualTo(snapshot);
        for (Table t : Table.values()) {
            Dataset<Row> a = table(t);
            Dataset<Row> b = table(second, again.snapshotId(), t).select(a.columns()[0],
                    java.util.Arrays.copyOfRange(a.columns(), 1, a.columns().length));
            assertThat(a.exceptAll(b).count()).as(t.tableName() + " rows only in the first run").isZero();
            assertThat(b.exceptAll(a).count()).as(t.tableName() + " rows only in the second run").isZero();
        }
    }

    @Test
    void aRunThatFailsBeforeItsCommitChangesNothingReadersSee() throws IOException {
        Path wh = tmp.resolve("warehouse-atomic");
        Pipeline.Result first = run(wh, null);
        assertThatThrownBy(() -> run(wh, () -> {
            throw new IllegalStateException("injected failure before commit");
        })).hasMessageContaining("injected failure");
        assertThat(Files.readString(wh.resolve(Snapshots.CURRENT)).trim()).isEqualTo(first.snapshotId());
        // The failed run's snapshot has no manifest: readers never take it for a committed one.
        try (var dirs = Files.list(wh.resolve(Snapshots.SNAPSHOTS_DIR))) {
            List<Path> all = dirs.toList();
            assertThat(all).hasSize(2);
            assertThat(all.stream().filter(d -> Files.exists(d.resolve(Snapshots.MANIFEST))).map(d -> d.getFileName().toString()))
                    .containsExactly(first.snapshotId());
        }
        assertThat(wh.resolve("_work")).isEmptyDirectory();
    }
}
