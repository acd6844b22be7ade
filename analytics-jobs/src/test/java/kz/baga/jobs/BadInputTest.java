package kz.baga.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.Snapshots;
import kz.baga.contract.Table;
import kz.baga.jobs.ingest.InputException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus ({@code src/test/resources/bad-input/}): each case is the small {@code base/} district with
 * one kind of damage laid over it, and each run either refuses the input in one line or accounts for every row
 * (read = accepted + rejected + merged) with the reason it was rejected for. Nothing wrong is accepted quietly.
 */
class BadInputTest extends SparkTestBase {

    static final Path CORPUS = Path.of("src/test/resources/bad-input");

    @TempDir
    Path tmp;

    /** {@code base/} with the case's files copied over it (same relative paths replace base files). */
    Path input(String damage) throws IOException {
        Path in = tmp.resolve("input-" + damage);
        for (String layer : new String[] {"base", damage}) {
            Path from = CORPUS.resolve(layer);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path to = in.resolve(from.relativize(f).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return in;
    }

    Path warehouse;

    Pipeline.Result run(Path input) throws IOException {
        warehouse = tmp.resolve("warehouse");
        return runPipeline(input, warehouse);
    }

    Dataset<Row> table(Pipeline.Result r, Table t) {
        return table(warehouse, r.snapshotId(), t);
    }

    static void accountedFor(Pipeline.Result r, long read, long accepted, long rejected) {
        Pipeline.SourceCounts t = r.total();
        assertThat(t.read()).isEqualTo(t.accepted() + t.rejected() + t.merged());
        assertThat(t.read()).as("read").isEqualTo(read);
        assertThat(t.accepted()).as("accepted").isEqualTo(accepted);
        assertThat(t.rejected()).as("rejected").isEqualTo(rejected);
    }

    @Test
    void aHeaderNamingAColumnTwiceRefusesTheFile() throws IOException {
        Path in = input("duplicate-header");
        assertThatThrownBy(() -> run(in)).isInstanceOf(InputException.class)
                .hasMessageContaining("dup.csv")
                .hasMessageContaining("column 'score' twice (columns 11 and 13)");
        assertThat(warehouse.resolve(Snapshots.CURRENT)).doesNotExist();
    }

    @Test
    void aWindows1251EventFileIsRejectedRowByRowAsBadEncoding() throws IOException {
        Pipeline.Result r = run(input("cp1251-events"));
        accountedFor(r, 5, 3, 2);
        assertThat(r.rejectedByReason()).containsExactly(Map.entry("BAD_ENCODING", 2L));
        assertThat(rows(table(r, Table.REJECTED_EVENTS), "file", "line", "reason", "detail like '%windows-1251%'"))
                .containsExactly(row("events/cp1251.csv", 2L, "BAD_ENCODING", true),
                        row("events/cp1251.csv", 3L, "BAD_ENCODING", true));
        // The evidence is stored as valid text (the undecodable bytes as U+FFFD), never as broken bytes.
        assertThat(table(r, Table.REJECTED_EVENTS).where("raw like '%cp-1,2025-2026%\uFFFD%'").count()).isEqualTo(1);
    }

    @Test
    void aWindows1251StudentsFileIsRefused() throws IOException {
        Path in = input("cp1251-students");
        assertThatThrownBy(() -> run(in)).isInstanceOf(InputException.class)
                .hasMessage("students.csv is not valid UTF-8 (near line 1); save it as UTF-8,"
                        + " e.g. iconv -f windows-1251 -t utf-8");
    }

    @Test
    void rowsWithNulBytesAreRejectedAsBadCharacter() throws IOException {
        // "5\0" as a score and "nul\0\0-2" as an event id: a cast would drop the NUL and read the first as a 5.
        Pipeline.Result r = run(input("nul-bytes"));
        accountedFor(r, 6, 4, 2);
        assertThat(r.rejectedByReason()).containsExactly(Map.entry("BAD_CHARACTER", 2L));
        assertThat(rows(table(r, Table.REJECTED_EVENTS), "line", "reason", "detail"))
                .containsExactly(row(2L, "BAD_CHARACTER", "NUL byte (character 0) at character 72"),
                        row(3L, "BAD_CHARACTER", "NUL byte (character 0) at character 15"));
        assertThat(table(r, Table.GRADE_EVENTS).where("event_id like 'nul%'").count()).isEqualTo(1);
    }

    @Test
    void aHugeRejectedLineIsKeptAsItsFirst4kB() throws IOException {
        Pipeline.Result r = run(input("long-line"));
        accountedFor(r, 4, 3, 1);
        Row rejected = one(table(r, Table.REJECTED_EVENTS), "true", "reason", "raw", "octet_length(raw)");
        long lineBytes = Files.readAllLines(CORPUS.resolve("long-line/events/long.csv")).get(1)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(rejected.getString(0)).isEqualTo("BAD_COLUMN_COUNT");
        assertThat(rejected.getString(1)).startsWith("bilimclass,long-1,2025-2026,")
                .endsWith("xxx…[cut, " + lineBytes + " bytes]");
        assertThat(rejected.getInt(2)).isLessThanOrEqualTo(4096 + 30);
    }

    @Test
    void anEmptyFileIsListedInTheManifestWithZeroRows() throws IOException {
        Pipeline.Result r = run(input("empty-file"));
        accountedFor(r, 3, 3, 0);
        Map<String, SnapshotManifest.InputFile> files = manifest(warehouse, r.snapshotId()).input().files();
        // SHA-256 of no bytes at all.
        assertThat(files.get("events/empty.csv")).isEqualTo(new SnapshotManifest.InputFile(0,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0L));
        assertThat(files).containsKey("events/ok.csv");
        assertThat(files.get("events/ok.csv").rows()).isNull();
    }

    @Test
    void studentsCsvMayHoldOneRowPerPupilAndYear() throws IOException {
        // Three pupils with a 2024-2025 row (class 9Б) and their current 2025-2026 row (10А); one of them twice in
        // 2024-2025 (9Б, then 9В on line 8): only that second row is a duplicate.
        Pipeline.Result r = run(input("students-per-year"));
        accountedFor(r, 5, 5, 0);
        assertThat(r.referenceRejected()).isEqualTo(1);
        assertThat(rows(table(r, Table.REJECTED_EVENTS), "source", "file", "line", "reason", "detail", "raw"))
                .containsExactly(row("reference", "students.csv", 8L, "DUPLICATE_PUPIL",
                        "the pupil is listed for 2024-2025 on line 7 already", "*,*,*,*,*,M,ALM-0001,9В,9,2024-2025"));
        // The directory keeps each pupil's current class; last year's events take that year's class and grade.
        assertThat(rows(table(r, Table.STUDENT_DIRECTORY), "class_label", "grade_level", "academic_year"))
                .containsOnly(row("10А", 10, "2025-2026")).hasSize(3);
        assertThat(rows(table(r, Table.GRADE_EVENTS).where("event_id like 'hist-%'"), "event_id", "class_label",
                "grade_level")).containsExactly(row("hist-1", "9Б", 9), row("hist-2", "9Б", 9));
    }

    @Test
    void aRunIsRefusedWhileAnotherHoldsTheWarehouse() throws IOException {
        Path in = input("empty-file");
        warehouse = tmp.resolve("warehouse");
        try (var held = kz.baga.jobs.snapshot.WarehouseLock.acquire(warehouse, false, null)) {
            assertThatThrownBy(() -> run(in)).isInstanceOf(kz.baga.jobs.snapshot.WarehouseLock.BusyException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        assertThat(warehouse.resolve(Snapshots.CURRENT)).doesNotExist();
        // Released: the next run commits.
        assertThat(run(in).snapshotId()).isNotEmpty();
    }
}
