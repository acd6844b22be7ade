package kz.baga.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.SnapshotRules;
import org.junit.jupiter.api.Test;

/** Worked examples at the boundaries of the 2025-2026 scale (85 / 65 / 40 %, totals rounded half-up first). */
class EarlyWarningsTest {

    private static final SnapshotRules RULES = new SnapshotRules(List.of(new SnapshotRules.Step(85, 5),
            new SnapshotRules.Step(65, 4), new SnapshotRules.Step(40, 3), new SnapshotRules.Step(0, 2)),
            new BigDecimal("3"));

    private static ViewBuilder.Grades grades(String... subjectAndTotal) {
        List<ViewBuilder.SubjectMarks> subjects = new java.util.ArrayList<>();
        for (int i = 0; i < subjectAndTotal.length; i += 2) {
            BigDecimal total = new BigDecimal(subjectAndTotal[i + 1]);
            subjects.add(new ViewBuilder.SubjectMarks(subjectAndTotal[i], subjectAndTotal[i], List.of(
                    new ViewBuilder.TermMark(1, 5, new BigDecimal("90"), "IMPORTED", 5),
                    new ViewBuilder.TermMark(3, 4, total, "COMPUTED", null)), null));
        }
        return new ViewBuilder.Grades("s", "n", "S", "11А", 11, "2025-2026", "snap", "r", subjects);
    }

    private static EarlyWarnings.Warning only(String total) {
        List<EarlyWarnings.Warning> w = EarlyWarnings.of(grades("ALG", total), RULES);
        assertThat(w).hasSizeLessThanOrEqualTo(1);
        return w.isEmpty() ? null : w.get(0);
    }

    @Test
    void aTotalOfExactly84Point5AlreadyGivesTheFiveAndSitsOnItsBoundary() {
        EarlyWarnings.Warning w = only("84.5");
        assertThat(w.mark()).isEqualTo(5);
        assertThat(w.boundary()).isEqualByComparingTo("84.5");
        assertThat(w.margin()).isEqualByComparingTo("0");
        assertThat(w.below()).isFalse();
    }

    @Test
    void justBelowTheBoundaryIsShortOfTheHigherMark() {
        EarlyWarnings.Warning w = only("84.4");
        assertThat(w.mark()).isEqualTo(5);
        assertThat(w.below()).isTrue();
        assertThat(w.distance()).isEqualByComparingTo("0.1");
        EarlyWarnings.Warning four = only("64.4999");
        assertThat(four.mark()).isEqualTo(4);
        assertThat(four.distance()).isEqualByComparingTo("0.0001");
    }

    @Test
    void theWindowIsInclusiveOnBothSidesAndExactlyThreePoints() {
        assertThat(only("81.5").distance()).isEqualByComparingTo("3.0");
        assertThat(only("81.4999")).isNull();
        assertThat(only("87.5").margin()).isEqualByComparingTo("3.0");
        assertThat(only("87.5001")).isNull();
        assertThat(only("75")).isNull();
    }

    @Test
    void theNearestBoundaryWinsAndSubjectsAreOrderedByHowCloseTheyAre() {
        List<EarlyWarnings.Warning> w = EarlyWarnings.of(grades("ALG", "66.0", "BIO", "84.0", "CHEM", "50"), RULES);
        assertThat(w).extracting(EarlyWarnings.Warning::subjectCode).containsExactly("BIO", "ALG");
        assertThat(w.get(1).mark()).isEqualTo(4);
        assertThat(w.get(1).margin()).isEqualByComparingTo("1.5");
    }

    @Test
    void aCertifiedLatestTermAndRulesWithoutAWindowGiveNoWarning() {
        ViewBuilder.Grades certified = new ViewBuilder.Grades("s", "n", "S", "11А", 11, "2025-2026", "snap", "r", List.of(
                new ViewBuilder.SubjectMarks("ALG", "ALG", List.of(new ViewBuilder.TermMark(2, 5, new BigDecimal("84.6"),
                        "IMPORTED", 5)), null)));
        assertThat(EarlyWarnings.of(certified, RULES)).isEmpty();
        assertThat(EarlyWarnings.of(grades("ALG", "84.5"), new SnapshotRules(RULES.markScale(), null))).isEmpty();
        assertThat(EarlyWarnings.of(grades("ALG", "84.5"), null)).isEmpty();
    }
}
