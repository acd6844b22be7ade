package kz.baga.jobs.marks;

import java.io.IOException;
import java.util.function.Consumer;
import kz.baga.contract.Table;
import kz.baga.jobs.metrics.MetricsStage;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.SnapshotWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The marks stage: term marks (computed from the assessments, and the certified ones imported), annual and final
 * marks, and the reconciliation of the two with the gaps and the duplicates ingest found. The metrics that need
 * only what is computed here on the way are started as soon as their inputs exist ({@link MetricsStage}), so that
 * they are written beside the marks.
 */
public final class MarksStage {

    /** The pupil directory and the marks as written, for the metrics. */
    public record Marks(Dataset<Row> directory, Dataset<Row> termGrades, Dataset<Row> annualGrades) {
    }

    private MarksStage() {
    }

    /**
     * @param subjects          the accepted subjects (reference data)
     * @param duplicateFindings reconciliation rows from ingest; null when there are none
     */
    public static Marks run(SnapshotWriter tables, Rules rules, Dataset<Row> subjects, Dataset<Row> duplicateFindings,
                            MetricsStage metrics, Consumer<String> progress) throws IOException {
        progress.accept("marks: term, annual and final marks; reconciliation");
        // Not cached: each use reads only its columns from Parquet, which costs less than holding every event.
        Dataset<Row> events = tables.read(Table.GRADE_EVENTS);
        Dataset<Row> directory = tables.read(Table.STUDENT_DIRECTORY);
        // One grouping of the assessment events feeds both the term marks and the dynamics.
        Dataset<Row> totals = EventTotals.of(events, rules).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> placement = Placement.of(events, directory).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> computed = TermGrades.fromTotals(totals, subjects, rules);
        // TERM, YEAR and EXAM marks in one pass too (few rows: kept for the annual marks).
        Dataset<Row> certified = TermGrades.certifiedAll(events).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> imported = TermGrades.ofKind(certified, "TERM");
        Dataset<Row> termFull = TermGrades.build(computed, imported, placement).persist(StorageLevel.MEMORY_AND_DISK());
        metrics.startDynamics(totals, placement);
        tables.write(Table.TERM_GRADES, TermGrades.table(termFull));
        Dataset<Row> termGrades = tables.read(Table.TERM_GRADES).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> annualFull = AnnualGrades.fromCertified(termGrades, certified, placement, rules)
                .persist(StorageLevel.MEMORY_AND_DISK());
        tables.write(Table.ANNUAL_GRADES, AnnualGrades.table(annualFull));
        Dataset<Row> annual = tables.read(Table.ANNUAL_GRADES).persist(StorageLevel.MEMORY_AND_DISK());
        metrics.startRankingsAndIndicators(termGrades, annualFull, annual);
        Dataset<Row> gaps = Gaps.termGaps(termGrades, subjects).unionByName(Gaps.yearGaps(directory, placement, rules));
        Dataset<Row> reconciliation = TermGrades.conflicts(termFull)
                .unionByName(AnnualGrades.conflicts(annualFull))
                .unionByName(gaps);
        if (duplicateFindings != null) {
            reconciliation = reconciliation.unionByName(duplicateFindings);
        }
        tables.write(Table.RECONCILIATION, reconciliation);
        return new Marks(directory, termGrades, annual);
    }
}
