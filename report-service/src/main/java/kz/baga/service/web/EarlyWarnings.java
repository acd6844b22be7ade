package kz.baga.service.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.quarkus.qute.TemplateData;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.SnapshotRules;

/**
 * Subjects whose running term total sits within the rules' window of a mark boundary, on either side. A boundary
 * is the scale's minimum percent less one half: totals are rounded half-up to a whole percent before the scale is
 * applied, so 84.5 % already gives the 5 of an 85 % step (docs/rules.md §11).
 */
final class EarlyWarnings {

    private static final BigDecimal HALF = new BigDecimal("0.5");

    private EarlyWarnings() {
    }

    /** {@code margin} is the total less the boundary: negative = short of {@code mark}, else that much above it. */
    @TemplateData
    record Warning(String subjectCode, String subjectName, int term, BigDecimal totalPct, int mark,
                   BigDecimal boundary, BigDecimal margin) {
        public boolean below() {
            return margin.signum() < 0;
        }

        public BigDecimal distance() {
            return margin.abs();
        }
    }

    static List<Warning> of(ViewBuilder.Grades grades, SnapshotRules rules) {
        List<Warning> out = new ArrayList<>();
        if (rules == null || rules.warningPoints() == null) {
            return out;
        }
        for (ViewBuilder.SubjectMarks s : grades.subjects()) {
            ViewBuilder.TermMark running = s.terms().stream().max(Comparator.comparingInt(ViewBuilder.TermMark::term))
                    .orElse(null);
            // the latest term runs until a certified (imported) mark ends it
            if (running == null || running.totalPct() == null || "IMPORTED".equals(running.markSource())) {
                continue;
            }
            Warning nearest = null;
            for (SnapshotRules.Step step : rules.markScale()) {
                if (step.minPercent() <= 0) {
                    continue;
                }
                BigDecimal boundary = BigDecimal.valueOf(step.minPercent()).subtract(HALF);
                BigDecimal margin = running.totalPct().subtract(boundary);
                if (margin.abs().compareTo(rules.warningPoints()) <= 0
                        && (nearest == null || margin.abs().compareTo(nearest.margin().abs()) < 0)) {
                    nearest = new Warning(s.subjectCode(), s.subjectName(), running.term(), running.totalPct(),
                            step.mark(), boundary, margin);
                }
            }
            if (nearest != null) {
                out.add(nearest);
            }
        }
        out.sort(Comparator.comparing((Warning w) -> w.margin().abs()));
        return out;
    }
}
