package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kz.baga.jobs.SparkTestBase;
import kz.baga.jobs.rules.Rules;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.codegen.ByteCodeStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple3;

/**
 * The validation's generated code stays small enough for HotSpot's C1 compiler (EventValidator.endStage says why
 * that decides between compiled and interpreted validation), and the two counts it gathers on the way agree with
 * the rows it produces. Run on the committed sample district, whose sources have 14 and 12 columns.
 */
class ValidationCodegenTest extends SparkTestBase {

    /** The largest generated method C1 always compiled at its profiling tier; it gave up on slightly larger ones. */
    static final int C1_SAFE_BYTES = 7_811;

    static EventValidator.Validated validated;

    @BeforeAll
    static void plan() {
        InputFolder input = InputFolder.open(SAMPLE.toString(), spark.sparkContext().hadoopConfiguration());
        ReferenceData ref = ReferenceData.load(spark, input, StudentIds.withKey(TEST_KEY));
        validated = EventValidator.validate(EventSources.read(spark, input, java.util.Map.of()), ref, Rules.defaults());
    }

    @Test
    void everyGeneratedMethodOfTheValidationFitsC1() {
        List<Integer> sizes = new ArrayList<>();
        var stages = org.apache.spark.sql.execution.debug.package$.MODULE$
                .codegenStringSeq(validated.rows().queryExecution().executedPlan()).iterator();
        while (stages.hasNext()) {
            @SuppressWarnings("unchecked")
            Tuple3<String, String, ByteCodeStats> stage = (Tuple3<String, String, ByteCodeStats>) stages.next();
            sizes.add(stage._3().maxMethodCodeSize());
        }
        // Two parse stages per source (fields from the line, then canonical columns from the fields; the second
        // ended by the union), the three reference lookups, and the validation's three stages: nothing fell back to
        // running without whole-stage code generation.
        assertThat(sizes).hasSize(10);
        assertThat(sizes).allSatisfy(bytes -> assertThat(bytes).isLessThanOrEqualTo(C1_SAFE_BYTES));
    }

    @Test
    void theCountsGatheredOnTheWayMatchTheRows() {
        // One action (a cache would hide the plan from the other test): both counts come from the same pass.
        Row counts = validated.rows().agg(count(lit(1)), count(col("reason"))).first();
        long all = counts.getLong(0);
        long rejected = counts.getLong(1);
        assertThat(validated.enteredRows()).isEqualTo(all);
        assertThat(validated.rejectedRows()).isEqualTo(rejected);
        assertThat(rejected).isPositive().isLessThan(all);
    }
}
