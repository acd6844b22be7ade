package kz.baga.service.warehouse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The numbers of the rules a snapshot was computed with, as its manifest carries them: the mark scale and the
 * early-warning window. Absent in snapshots written before the manifest carried the rules.
 */
public record SnapshotRules(List<Step> markScale, BigDecimal warningPoints) {

    /** A mark from {@code minPercent} up (the percentage rounded half-up to a whole percent first). */
    public record Step(int minPercent, int mark) {
    }

    /** The rules of {@code snap}, or null when its manifest has none. */
    public static SnapshotRules of(Snapshot snap) {
        JsonNode doc = snap.manifest().path("rules").path("document");
        JsonNode scale = doc.path("markScale");
        if (!scale.isArray() || scale.isEmpty()) {
            return null;
        }
        List<Step> steps = new ArrayList<>();
        for (JsonNode s : scale) {
            steps.add(new Step(s.path("minPercent").asInt(), s.path("mark").asInt()));
        }
        steps.sort(Comparator.comparingInt(Step::minPercent).reversed());
        JsonNode w = doc.path("earlyWarning").path("withinPoints");
        return new SnapshotRules(List.copyOf(steps), w.isNumber() ? w.decimalValue() : null);
    }
}
