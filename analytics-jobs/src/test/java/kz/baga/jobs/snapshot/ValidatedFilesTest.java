package kz.baga.jobs.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warehouse's kept validated rows: where a file's rows go, and that --keep bounds them. */
class ValidatedFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aFilesRowsAreFoundByItsNameAndChecksumUnderItsContext() throws IOException {
        ValidatedFiles files = new ValidatedFiles(SnapshotStore.open(tmp.toString(), new Configuration()));
        org.apache.hadoop.fs.Path e = files.entry("ctx1", "sources/kundelik/k 1.csv", "abc");
        // The layout Spark's partition discovery reads back: file=… (escaped) / sha256=…
        assertThat(e.toString()).endsWith("_validated/ctx1/file=sources%2Fkundelik%2Fk 1.csv/sha256=abc");
        assertThat(files.has("ctx1", "sources/kundelik/k 1.csv", "abc")).isFalse();

        Path staged = Files.createDirectories(tmp.resolve("staged/file=sources%2Fkundelik%2Fk 1.csv"));
        Files.writeString(staged.resolve("part-0.parquet"), "rows");
        files.adopt(new org.apache.hadoop.fs.Path(tmp.resolve("staged").toUri()), "ctx1",
                Map.of("sources/kundelik/k 1.csv", "abc", "events/empty.csv", "def"));
        assertThat(files.has("ctx1", "sources/kundelik/k 1.csv", "abc")).isTrue();
        assertThat(files.hasRows(files.entry("ctx1", "sources/kundelik/k 1.csv", "abc"))).isTrue();
        // A file that gave no rows still has an entry: missing always means lost, never "no rows".
        assertThat(files.has("ctx1", "events/empty.csv", "def")).isTrue();
        assertThat(files.hasRows(files.entry("ctx1", "events/empty.csv", "def"))).isFalse();
    }

    @Test
    void entriesNoKeptSnapshotNamesAreRemoved() throws IOException {
        ValidatedFiles files = new ValidatedFiles(SnapshotStore.open(tmp.toString(), new Configuration()));
        List<org.apache.hadoop.fs.Path> all = List.of(files.entry("old", "events/a.csv", "1"),
                files.entry("new", "events/a.csv", "1"), files.entry("new", "events/a.csv", "2"),
                files.entry("new", "events/b.csv", "3"));
        for (org.apache.hadoop.fs.Path p : all) {
            Files.createDirectories(Path.of(p.toUri()));
        }
        int removed = files.retain(Set.of(all.get(2), all.get(3)));
        assertThat(removed).isEqualTo(2);
        assertThat(files.has("old", "events/a.csv", "1")).isFalse();
        assertThat(Files.exists(Path.of(files.contextPath("old").toUri()))).as("an emptied context goes").isFalse();
        assertThat(files.has("new", "events/a.csv", "1")).isFalse();
        assertThat(files.has("new", "events/a.csv", "2")).isTrue();
        assertThat(files.has("new", "events/b.csv", "3")).isTrue();
    }
}
