package kz.baga.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import kz.baga.contract.Table;
import kz.baga.jobs.Pipeline;
import kz.baga.jobs.SparkTestBase;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code events/*.parquet} in the canonical columns, typed as a diary would export them (int term, decimal scores,
 * date, timestamp), through the whole pipeline: marks computed from them, a bad row rejected with its position in
 * the file and its fields as JSON, a repeated event id merged.
 */
class ParquetSourceTest extends SparkTestBase {

    static final StructType EVENT = StructType.fromDDL("source string, event_id string, academic_year string,"
            + " iin string, school_id string, class_label string, grade_level int, subject_code string, term int,"
            + " kind string, score decimal(6,2), max_score decimal(6,2), event_date date, recorded_at timestamp");

    @TempDir
    static Path tmp;
    static Pipeline.Result result;
    static Path warehouse;
    static int pupils;
    static int tenth;
    static final StructType DIARY = StructType.fromDDL("mark_id bigint, pupil_iin string, school string,"
            + " subj string, quarter int, work_type string, points double, out_of double, written date,"
            + " changed timestamp");

    static Row event(String id, String iin, String school, String kind, String score, String max, String recorded) {
        return RowFactory.create("parq", id, "2025-2026", iin, school, "11А", 11, "ALG", 3, kind,
                new BigDecimal(score), new BigDecimal(max), Date.valueOf("2026-02-10"), Timestamp.valueOf(recorded));
    }

    @BeforeAll
    static void parquetInput() throws Exception {
        List<String[]> eleventh = samplePupils("11А");
        pupils = eleventh.size();
        List<Row> rows = new ArrayList<>();
        int id = 1;
        for (String[] f : eleventh) {
            // FO 9, FO 8, SOR 13/15, SOCH 21/25: 0.25·85 + 0.25·86.67 + 0.5·84 = 84.9167 → 85 → 5
            rows.add(event("e" + id++, f[0], f[6], "FO", "9", "10", "2026-02-10 10:00:00"));
            rows.add(event("e" + id++, f[0], f[6], "FO", "8", "10", "2026-02-10 10:00:00"));
            rows.add(event("e" + id++, f[0], f[6], "SOR", "13", "15", "2026-02-10 10:00:00"));
            rows.add(event("e" + id++, f[0], f[6], "SOCH", "21", "25", "2026-02-10 10:00:00"));
        }
        String first = eleventh.get(0)[0];
        String school = eleventh.get(0)[6];
        // row 4·pupils + 1: more points than the maximum
        rows.add(event("bad-1", first, school, "SOR", "17", "15", "2026-02-11 10:00:00"));
        // row 4·pupils + 2: the first FO again, corrected later to 9 from 7 (the later recorded_at wins: still 9)
        rows.add(event("e1", first, school, "FO", "7", "10", "2026-02-09 10:00:00"));
        // row 4·pupils + 3: a class label whose bytes are not UTF-8 (Parquet strings are not checked on write)
        rows.add(event("enc-1", first, school, "FO", "9", "10", "2026-02-11 10:00:00"));

        Path input = inputWithSampleReferenceFiles(tmp.resolve("input"));
        Files.createDirectories(input.resolve("events"));
        writeOneFile(spark.createDataFrame(rows, EVENT).withColumn("class_label",
                        org.apache.spark.sql.functions.expr("if(event_id = 'enc-1', cast(unhex('3131C128') as string),"
                                + " class_label)")), input.resolve("events/diary-export.parquet"));

        // A second export in its own layout: other column names, typed date and timestamp, Russian date format.
        List<Row> diary = new ArrayList<>();
        long markId = 1;
        List<String[]> tenthGrade = samplePupils("10А");
        tenth = tenthGrade.size();
        for (String[] f : tenthGrade) {
            Object[][] works = {{"fo", 9.0, 10.0}, {"fo", 8.0, 10.0}, {"sor", 13.0, 15.0}, {"soch", 21.0, 25.0}};
            for (Object[] w : works) {
                diary.add(RowFactory.create(markId++, f[0], f[6], "algebra", 3, w[0], w[1], w[2],
                        Date.valueOf("2026-02-12"), Timestamp.valueOf("2026-02-12 09:30:00")));
            }
        }
        Files.createDirectories(input.resolve("sources/diary"));
        writeOneFile(spark.createDataFrame(diary, DIARY), input.resolve("sources/diary/marks-2026.parquet"));
        Files.writeString(input.resolve("sources/diary/manifest.json"), """
                { "source": "diaryparq", "type": "parquet", "dateFormat": "dd.MM.yyyy",
                  "timestampFormat": "dd.MM.yyyy HH:mm:ss",
                  "columns": { "event_id": "mark_id", "iin": "pupil_iin", "school_id": "school", "subject_code": "subj",
                               "term": "quarter", "kind": "work_type", "score": "points", "max_score": "out_of",
                               "event_date": "written", "recorded_at": "changed" },
                  "constants": { "academic_year": "2025-2026" },
                  "valueMaps": { "subject_code": { "algebra": "ALG" }, "kind": { "fo": "FO", "sor": "SOR", "soch": "SOCH" } } }
                """);
        warehouse = tmp.resolve("warehouse");
        result = runPipeline(input, warehouse);
    }

    static void writeOneFile(org.apache.spark.sql.Dataset<Row> rows, Path target) throws Exception {
        Path staging = tmp.resolve("staging-" + target.getFileName());
        rows.coalesce(1).write().parquet(staging.toString());
        try (var files = Files.list(staging)) {
            Path part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            Files.copy(part, target);
        }
    }

    @Test
    void aSourceManifestMapsAParquetExportWithItsOwnFormats() {
        Pipeline.SourceCounts diary = result.sources().get("diaryparq");
        assertThat(diary.read()).isEqualTo(4L * tenth);
        assertThat(diary.accepted()).isEqualTo(4L * tenth);
        List<Row> events = table(warehouse, result.snapshotId(), Table.GRADE_EVENTS).where("source = 'diaryparq'")
                .select("event_date", "recorded_at", "class_label").distinct().collectAsList();
        assertThat(events).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2))
                .containsExactly("2026-02-12 2026-02-12 09:30:00.0 10А");
    }

    @Test
    void everyRowIsCountedOnce() {
        Pipeline.SourceCounts parq = result.sources().get("parq");
        assertThat(parq.read()).isEqualTo(4L * pupils + 3);
        assertThat(parq.accepted()).isEqualTo(4L * pupils);
        assertThat(parq.rejected()).isEqualTo(2);
        assertThat(parq.merged()).isEqualTo(1);
    }

    @Test
    void aBadRowIsRejectedWithItsPositionAndFields() {
        List<Row> rejected = table(warehouse, result.snapshotId(), Table.REJECTED_EVENTS)
                .where("source = 'parq' and reason <> 'BAD_ENCODING'").collectAsList();
        assertThat(rejected).hasSize(1);
        Row r = rejected.get(0);
        assertThat(r.<String>getAs("reason")).isEqualTo("SCORE_OUT_OF_RANGE");
        assertThat(r.<String>getAs("file")).isEqualTo("events/diary-export.parquet");
        assertThat(r.<Long>getAs("line")).isEqualTo(4L * pupils + 1);
        assertThat(r.<String>getAs("raw")).contains("\"event_id\":\"bad-1\"", "\"score\":\"17.00\"",
                "\"event_date\":\"2026-02-10\"");
    }

    @Test
    void aStringThatIsNotUtf8IsRejectedAsBadEncoding() {
        List<Row> rejected = table(warehouse, result.snapshotId(), Table.REJECTED_EVENTS)
                .where("source = 'parq' and reason = 'BAD_ENCODING'").collectAsList();
        assertThat(rejected).hasSize(1);
        Row r = rejected.get(0);
        assertThat(r.<Long>getAs("line")).isEqualTo(4L * pupils + 3);
        assertThat(r.<String>getAs("detail")).isEqualTo("a text field is not valid UTF-8");
        // the evidence is stored as valid UTF-8, the bad byte replaced
        assertThat(r.<String>getAs("raw")).contains("\"event_id\":\"enc-1\"", "11\uFFFD(");
    }

    @Test
    void aFileWithTwoColumnsOfTheSameNameIsRefused() throws Exception {
        Path input = inputWithSampleReferenceFiles(tmp.resolve("input-dup"));
        Files.createDirectories(input.resolve("events"));
        spark.conf().set("spark.sql.caseSensitive", "true");
        try {
            writeOneFile(spark.createDataFrame(List.of(event("d1", "1", "ALM-0001", "FO", "9", "10",
                    "2026-02-10 10:00:00")), EVENT).withColumn("Score", org.apache.spark.sql.functions.lit(1)),
                    input.resolve("events/dup.parquet"));
        } finally {
            spark.conf().unset("spark.sql.caseSensitive");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runPipeline(input, tmp.resolve("warehouse-dup")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("events: a Parquet file has two columns of the same name")
                .hasMessageContaining("score");
    }

    @Test
    void marksAreComputedFromTheTypedColumns() {
        List<Row> terms = table(warehouse, result.snapshotId(), Table.TERM_GRADES)
                .select("subject_code", "term", "total_pct", "mark").distinct().collectAsList();
        assertThat(terms).extracting(r -> r.getString(0) + " " + r.getInt(1) + " " + r.getDecimal(2) + " " + r.getInt(3))
                .containsExactly("ALG 3 84.9167 5");
    }
}
