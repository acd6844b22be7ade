package kz.baga.jobs.cli;

import static kz.baga.jobs.SparkTestBase.SAMPLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kz.baga.jobs.ingest.InputFolder;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Argument checks of {@code ./baga pipeline} that fail before Spark starts. Hadoop reads {@code [ ] { } \} in a
 * path as a glob pattern ({@code wh-local[2]} matches {@code wh-local2}, not itself), so a warehouse or input path
 * with them is refused at once with one line and exit status 2, rather than failing half-way with
 * {@code PATH_NOT_FOUND} on the pipeline's own snapshot folder.
 */
class PipelineCommandTest {

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PipelineCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aWarehousePathWithBracketsIsRefusedInOneLine() {
        Outcome o = run("--input", SAMPLE.toString(), "--warehouse", "/tmp/baga-test/wh-local[2]");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).isEqualTo("baga pipeline: --warehouse '/tmp/baga-test/wh-local[2]' contains '[', which"
                + " Hadoop reads as a glob pattern ([ ] { } \\); use a path without them" + System.lineSeparator());
    }

    @Test
    void everyGlobCharacterIsRefusedInInputAndWarehouse() {
        for (String bad : new String[] {"wh]", "wh{a,b}", "wh}", "wh\\x"}) {
            assertThat(run("--input", "in", "--warehouse", bad).code()).as(bad).isEqualTo(2);
            Outcome o = run("--input", "in-" + bad, "--warehouse", "wh");
            assertThat(o.code()).as(bad).isEqualTo(2);
            assertThat(o.err()).startsWith("baga pipeline: --input 'in-" + bad + "' contains ").hasLineCount(1);
        }
    }

    @Test
    void otherPathsPassTheArgumentCheck() {
        // Brackets of other kinds are plain characters: the check passes and the (missing) input folder is what
        // fails, with exit status 3 and still before Spark starts.
        Outcome o = run("--input", "/nonexistent/baga-input(2)", "--warehouse", "/tmp/baga-test/wh-local(2)");
        assertThat(o.code()).isEqualTo(3);
        assertThat(o.err()).doesNotContain("glob");
    }

    @Test
    void shufflePartitionsFollowTheEventBytesLocally() {
        long mb = 1L << 20;
        // one per core and 128 MB, at least 1 and at most 4 per core
        assertThat(PipelineCommand.defaultPartitions("local[*]", 2, 0)).isEqualTo(2);
        assertThat(PipelineCommand.defaultPartitions("local[*]", 2, 111 * mb)).isEqualTo(2);
        assertThat(PipelineCommand.defaultPartitions("local[*]", 2, 128 * mb)).isEqualTo(2);
        assertThat(PipelineCommand.defaultPartitions("local[*]", 2, 128 * mb + 1)).isEqualTo(4);
        assertThat(PipelineCommand.defaultPartitions("local[2]", 2, 300 * mb)).isEqualTo(6);
        assertThat(PipelineCommand.defaultPartitions("local[*]", 2, 1200 * mb)).isEqualTo(8);
        assertThat(PipelineCommand.defaultPartitions("local[*]", 16, 50_000 * mb)).isEqualTo(64);
        // size unknown (a database source, a remote folder): 4 per core; a cluster: 64 whatever the size
        assertThat(PipelineCommand.defaultPartitions("local[*]", 2, -1)).isEqualTo(8);
        assertThat(PipelineCommand.defaultPartitions("spark://127.0.0.1:7077", 2, 111 * mb)).isEqualTo(64);
    }

    @Test
    void eventBytesCountEventFilesParquetEightfoldAndGiveUpOnDatabases(@TempDir Path dir) throws IOException {
        for (String ref : InputFolder.REFERENCE_FILES) {
            Files.write(dir.resolve(ref), new byte[5000]);
        }
        Files.createDirectories(dir.resolve("events"));
        Files.createDirectories(dir.resolve("sources/kundelik"));
        Files.write(dir.resolve("events/a.csv"), new byte[1000]);
        Files.write(dir.resolve("events/b.parquet"), new byte[100]);
        Files.write(dir.resolve("sources/kundelik/kundelik-1.csv"), new byte[300]);
        Files.write(dir.resolve("sources/kundelik/notes.txt"), new byte[7000]);
        Files.copy(SAMPLE.resolve("sources/kundelik/manifest.json"), dir.resolve("sources/kundelik/manifest.json"));
        // reference files, the manifest and files no source reads are not event bytes
        assertThat(eventBytes(dir)).isEqualTo(1000 + 800 + 300);
        Files.createDirectories(dir.resolve("sources/diary"));
        Files.writeString(dir.resolve("sources/diary/manifest.json"), """
                {"type": "jdbc", "urlEnv": "DIARY_URL", "table": "marks",
                 "constants": {"source": "diary"},
                 "columns": {"event_id": "id", "academic_year": "year", "iin": "iin", "school_id": "school",
                             "subject_code": "subject", "term": "term", "kind": "kind", "score": "score",
                             "max_score": "max_score", "event_date": "date"}}""");
        assertThat(eventBytes(dir)).isEqualTo(-1);
    }

    private static long eventBytes(Path dir) {
        return InputFolder.open(dir.toString(), new Configuration()).eventBytes();
    }

    @Test
    void theSummarySuggestsTheManifestsEncodingWhenRowsAreNotUtf8() {
        kz.baga.jobs.Pipeline.Result r = new kz.baga.jobs.Pipeline.Result("S1",
                java.util.Map.of("events", new kz.baga.jobs.Pipeline.SourceCounts(5, 3, 2, 0)), 0,
                java.util.Map.of("BAD_ENCODING", 2L), java.util.Map.of(), java.util.Map.of(), 1000, java.util.List.of(), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipelineCommand.printSummary(r, "/wh", kz.baga.jobs.rules.Rules.defaults(),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("rejected by reason: {BAD_ENCODING=2}")
                .contains("2 rows are not valid UTF-8").contains("\"encoding\": \"windows-1251\"");
    }
}
