package kz.baga.jobs.metrics;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.function.Consumer;
import kz.baga.contract.Table;
import kz.baga.jobs.marks.MarksStage;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.SnapshotWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The metrics stage: grade dynamics, class rankings, school and district indicators, medal eligibility. All but
 * the medals need no more than the marks stage computes on its way, so it starts them on the writer threads as
 * soon as their inputs exist; {@link #run} then writes the medals, which need the reconciliation's gaps, and waits
 * for the others.
 */
public final class MetricsStage {

    private final SnapshotWriter tables;
    private final Rules rules;
    private final Dataset<Row> schools;
    private final Consumer<String> progress;

    /** @param schools the accepted schools (reference data), for the indicators' districts */
    public MetricsStage(SnapshotWriter tables, Rules rules, Dataset<Row> schools, Consumer<String> progress) {
        this.tables = tables;
        this.rules = rules;
        this.schools = schools;
        this.progress = progress;
    }

    /** The dynamics need only the event totals and the pupils' placement: written while the marks are computed. */
    public void startDynamics(Dataset<Row> totals, Dataset<Row> placement) throws IOException {
        tables.writeAsync(Table.GRADE_DYNAMICS, GradeDynamics.fromTotals(totals, placement));
    }

    /** Rankings and indicators need the term and annual marks only: written beside the reconciliation. */
    public void startRankingsAndIndicators(Dataset<Row> termGrades, Dataset<Row> annualFull, Dataset<Row> annual)
            throws IOException {
        tables.writeAsync(Table.CLASS_RANKINGS, ClassRankings.build(termGrades, annualFull));
        Dataset<Row> marks = Indicators.marks(termGrades, annual, schools).persist(StorageLevel.MEMORY_AND_DISK());
        tables.writeAsync(Table.SCHOOL_INDICATORS, Indicators.school(marks, rules));
        tables.writeAsync(Table.DISTRICT_INDICATORS, Indicators.district(marks, rules).coalesce(1));
    }

    /** Writes the medals and waits until every metric is written. */
    public void run(MarksStage.Marks marks, Dataset<Row> subjects) throws IOException {
        progress.accept("metrics: medals (rankings, dynamics and indicators are under way)");
        Dataset<Row> gapRows = tables.read(Table.RECONCILIATION).where(col("issue").equalTo("GAP"));
        tables.write(Table.MEDAL_ELIGIBILITY, MedalEligibility.build(marks.directory(), marks.termGrades(),
                marks.annualGrades(), gapRows, subjects, rules));
        tables.awaitWrites();
    }
}
