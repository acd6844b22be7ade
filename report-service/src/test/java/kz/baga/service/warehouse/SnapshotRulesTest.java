package kz.baga.service.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.baga.contract.SnapshotManifest;
import org.junit.jupiter.api.Test;

/** The mark scale and early-warning window read from the rules document a manifest carries, as Jackson maps it. */
class SnapshotRulesTest {

    private static SnapshotManifest.RulesFile rules(String document) throws Exception {
        Map<String, Object> doc = new ObjectMapper().readValue(document, new TypeReference<Map<String, Object>>() { });
        return new SnapshotManifest.RulesFile("KZ-2025-2026.1", "ab", "builtin", doc);
    }

    @Test
    void theScaleIsReadHighestStepFirstWithTheWarningWindow() throws Exception {
        SnapshotRules r = SnapshotRules.of(rules("""
                {"markScale": [{"minPercent": 40, "mark": 3}, {"minPercent": 85, "mark": 5},
                               {"minPercent": 0, "mark": 2}, {"minPercent": 65, "mark": 4}],
                 "earlyWarning": {"withinPoints": 3}}"""));
        assertThat(r.markScale()).containsExactly(new SnapshotRules.Step(85, 5), new SnapshotRules.Step(65, 4),
                new SnapshotRules.Step(40, 3), new SnapshotRules.Step(0, 2));
        assertThat(r.warningPoints()).isEqualByComparingTo("3");
    }

    @Test
    void aFractionalWindowIsKeptExactly() throws Exception {
        SnapshotRules r = SnapshotRules.of(rules("""
                {"markScale": [{"minPercent": 0, "mark": 2}], "earlyWarning": {"withinPoints": 2.5}}"""));
        assertThat(r.warningPoints()).isEqualTo(new BigDecimal("2.5"));
    }

    @Test
    void withoutAScaleThereAreNoRulesAndWithoutAWindowNoWarnings() throws Exception {
        assertThat(SnapshotRules.of((SnapshotManifest.RulesFile) null)).isNull();
        assertThat(SnapshotRules.of(new SnapshotManifest.RulesFile("v", "ab", "builtin", null))).isNull();
        assertThat(SnapshotRules.of(rules("{\"markScale\": []}"))).isNull();
        assertThat(SnapshotRules.of(rules("{\"markScale\": [{\"minPercent\": 0, \"mark\": 2}]}")).warningPoints())
                .isNull();
        assertThat(SnapshotRules.of(rules("{\"markScale\": [{\"minPercent\": 0, \"mark\": 2}]}")).markScale())
                .isEqualTo(List.of(new SnapshotRules.Step(0, 2)));
    }
}
