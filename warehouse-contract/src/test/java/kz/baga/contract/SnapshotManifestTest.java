package kz.baga.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The manifest's JSON is read by users' scripts, so the record must write exactly what the pipeline wrote when the
 * manifest was a map. {@code district-small-manifest.json} is such a manifest, of the committed sample district;
 * its input location is shortened and its {@code student_id_key} and {@code spark} fields are in the record's
 * order (the map wrote those two objects in an order that changed from JVM to JVM).
 */
class SnapshotManifestTest {

    /** Jackson's defaults, indented: how the pipeline writes the manifest. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static String sample() throws IOException {
        try (InputStream in = SnapshotManifestTest.class.getResourceAsStream("/district-small-manifest.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSampleManifestIsWrittenBackByteForByte() throws IOException {
        String json = sample();
        SnapshotManifest manifest = JSON.readValue(json, SnapshotManifest.class);
        assertThat(JSON.writeValueAsString(manifest)).isEqualTo(json);
    }

    @Test
    void everyPartIsTyped() throws IOException {
        SnapshotManifest m = JSON.readValue(sample(), SnapshotManifest.class);
        assertThat(m.snapshotId()).isEqualTo("20261206T091758Z-094916");
        assertThat(m.bagaVersion()).isNull();
        assertThat(m.input().files().get("students.csv").sha256()).hasSize(64);
        assertThat(m.input().files().get("students.csv").rows()).isNull();
        assertThat(m.rules().version()).isEqualTo("KZ-2025-2026.1");
        assertThat(m.rules().document()).containsEntry("version", "KZ-2025-2026.1").containsKey("markScale");
        assertThat(m.studentIdKey()).isEqualTo(new SnapshotManifest.StudentIdKey("181ae93a6389", false));
        assertThat(m.spark().shufflePartitions()).isEqualTo("2");
        assertThat(m.counts().bySource()).containsEntry("kundelik", new SnapshotManifest.SourceCounts(33258, 33205, 0, 53));
        assertThat(m.counts()).isEqualTo(SnapshotManifest.Counts.of(m.counts().bySource(),
                m.counts().rejectedByReason(), m.counts().referenceRowsRejected()));
        assertThat(m.tables()).containsOnlyKeys(m.layout().keySet());
        assertThat(m.layout()).isEqualTo(SnapshotManifest.tableLayout());
        assertThat(m.timingsMs()).containsOnlyKeys("ingest", "marks", "metrics", "total");
    }

    @Test
    void onlyAnEmptyFileHasRows() throws IOException {
        SnapshotManifest.Input input = new SnapshotManifest.Input("file:/in", Map.of(
                "events/empty.csv", new SnapshotManifest.InputFile(0, "e3b0", 0L)));
        assertThat(JSON.readTree(JSON.writeValueAsString(input)).path("files").path("events/empty.csv").has("rows"))
                .isTrue();
        assertThat(JSON.readTree(JSON.writeValueAsString(new SnapshotManifest.InputFile(5, "ab", null))).has("rows"))
                .isFalse();
    }

    @Test
    void fieldsItDoesNotKnowAreIgnoredAndMissingOnesAreNull() throws IOException {
        SnapshotManifest m = JSON.readValue("""
                {"snapshot_id": "S1", "written_by_a_later_pipeline": {"x": 1},
                 "counts": {"read": 3, "by_source": {}, "later": true}}""", SnapshotManifest.class);
        assertThat(m.snapshotId()).isEqualTo("S1");
        assertThat(m.counts().read()).isEqualTo(3);
        assertThat(m.rules()).isNull();
        assertThat(m.studentIdKey()).isNull();
    }
}
