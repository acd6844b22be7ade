package kz.baga.jobs.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.Snapshots;
import kz.baga.jobs.ForkedJvm;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {

    @TempDir
    Path wh;

    private void snapshot(SnapshotStore store, String id, boolean committed) throws Exception {
        Path dir = wh.resolve(Snapshots.snapshotPath(id));
        Files.createDirectories(dir.resolve("term_grades"));
        if (committed) {
            store.commit(id, new SnapshotManifest(id, null, null, null, null, null, null, null, null, null, null, null));
        }
    }

    @Test
    void commitReplacesCurrentAndWritesTheManifest() throws Exception {
        SnapshotStore store = SnapshotStore.open(wh.toString(), new Configuration());
        assertThat(store.current()).isEmpty();
        snapshot(store, "20260101T000000Z-aaaaaa", true);
        snapshot(store, "20260102T000000Z-bbbbbb", true);
        assertThat(store.current()).contains("20260102T000000Z-bbbbbb");
        assertThat(Files.readString(wh.resolve("CURRENT"))).isEqualTo("20260102T000000Z-bbbbbb\n");
        assertThat(wh.resolve(Snapshots.snapshotPath("20260101T000000Z-aaaaaa")).resolve(Snapshots.MANIFEST)).exists();
        try (var files = Files.list(wh)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    /** The manifest a pipeline wrote before it was a record (the contract's test sample): written back unchanged. */
    @Test
    void theManifestIsWrittenAsBefore() throws Exception {
        Path sample = ForkedJvm.ROOT.resolve("warehouse-contract/src/test/resources/district-small-manifest.json");
        SnapshotManifest manifest = new ObjectMapper().readValue(sample.toFile(), SnapshotManifest.class);
        SnapshotStore store = SnapshotStore.open(wh.toString(), new Configuration());
        snapshot(store, manifest.snapshotId(), false);
        store.commit(manifest.snapshotId(), manifest);
        assertThat(wh.resolve(Snapshots.snapshotPath(manifest.snapshotId())).resolve(Snapshots.MANIFEST))
                .hasSameBinaryContentAs(sample);
    }

    @Test
    void pruneKeepsTheNewestAndNeverTheCurrentOrAFreshPartialOne() throws Exception {
        SnapshotStore store = SnapshotStore.open(wh.toString(), new Configuration());
        snapshot(store, "20260101T000000Z-000001", true);
        snapshot(store, "20260102T000000Z-000002", true);
        snapshot(store, "20260103T000000Z-000003", true);
        snapshot(store, "20260104T000000Z-000004", false); // a run in progress
        snapshot(store, "20250101T000000Z-0000aa", false); // abandoned long ago
        Files.setLastModifiedTime(wh.resolve(Snapshots.snapshotPath("20250101T000000Z-0000aa")),
                FileTime.from(Instant.now().minusSeconds(3 * 24 * 3600)));
        assertThat(store.prune(2)).containsExactlyInAnyOrder("20260101T000000Z-000001", "20250101T000000Z-0000aa");
        try (var dirs = Files.list(wh.resolve(Snapshots.SNAPSHOTS_DIR))) {
            assertThat(dirs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "20260102T000000Z-000002", "20260103T000000Z-000003", "20260104T000000Z-000004");
        }
        assertThat(store.current()).contains("20260103T000000Z-000003");
    }

    @Test
    void idsAreTimeOrderedAndUnique() throws Exception {
        SnapshotStore store = SnapshotStore.open(wh.toString(), new Configuration());
        String a = store.newSnapshotId();
        String b = store.newSnapshotId();
        assertThat(a).matches("\\d{8}T\\d{6}Z-[0-9a-f]{6}").isNotEqualTo(b);
    }
}
