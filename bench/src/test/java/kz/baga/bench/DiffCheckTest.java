package kz.baga.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The differential check on the committed sample: the pipeline's snapshot (made by the module build in a forked
 * JVM, see pom.xml) against the SQL reference, table by table. Zero disagreements, apart from the ones listed in
 * {@link DiffCheck#KNOWN}.
 */
class DiffCheckTest {

    private static final Path ROOT = Path.of(System.getProperty("baga.projectRoot", ".."));
    private static final Path SAMPLE = ROOT.resolve("sample-data/district-small");
    private static final Path WAREHOUSE = Path.of(System.getProperty("bench.testWarehouse", "target/test-warehouse"));

    @Test
    void pipelineAgreesWithTheReferenceOnTheCommittedSample() throws Exception {
        assertThat(WAREHOUSE.resolve("CURRENT"))
                .as("the pipeline snapshot of the sample (made in generate-test-resources)").isRegularFile();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<DiffCheck.Result> results = DiffCheck.run(SAMPLE, WAREHOUSE, 20,
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.println(report);

        assertThat(results).extracting(DiffCheck.Result::table).contains("term_grades", "annual_grades",
                "class_rankings", "school_indicators", "district_indicators", "medal_eligibility");
        for (DiffCheck.Result r : results) {
            assertThat(r.refRows()).as(r.table() + " has rows").isPositive();
            assertThat(r.disagreements() - r.known())
                    .as("unexplained disagreements in %s:%n%s", r.table(), report).isZero();
        }
    }

    @Test
    void everyReferenceFileIsOnTheClasspathAndSplitsIntoStatements() {
        for (String step : Reference.STEPS) {
            assertThat(SqlScript.split(SqlScript.resource(step))).as(step).isNotEmpty();
        }
        assertThat(Files.isDirectory(ROOT.resolve("bench/reference"))).isTrue();
    }
}
