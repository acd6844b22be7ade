package kz.baga.service.warehouse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import kz.baga.contract.SnapshotManifest;

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
        return of(snap.manifest().rules());
    }

    /** The numbers of a manifest's {@code rules}, or null when it carries no mark scale. */
    static SnapshotRules of(SnapshotManifest.RulesFile rules) {
        Map<String, Object> doc = rules == null || rules.document() == null ? Map.of() : rules.document();
        if (!(doc.get("markScale") instanceof List<?> scale) || scale.isEmpty()) {
            return null;
        }
        List<Step> steps = new ArrayList<>();
        for (Object s : scale) {
            Map<?, ?> step = s instanceof Map<?, ?> m ? m : Map.of();
            steps.add(new Step(integer(step.get("minPercent")), integer(step.get("mark"))));
        }
        steps.sort(Comparator.comparingInt(Step::minPercent).reversed());
        Object w = doc.get("earlyWarning") instanceof Map<?, ?> warning ? warning.get("withinPoints") : null;
        return new SnapshotRules(List.copyOf(steps), w instanceof Number n ? new BigDecimal(n.toString()) : null);
    }

    private static int integer(Object value) {
        return value instanceof Number n ? n.intValue() : 0;
    }
}
