package kz.baga.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Argument checks of {@code ./baga pipeline} that fail before Spark starts. Hadoop reads {@code [ ] { } \} in a
 * path as a glob pattern ({@code wh-local[2]} matches {@code wh-local2}, not itself), so a warehouse or input path
 * with them is refused at once with one line and exit status 2, rather than failing half-way with
 * {@code PATH_NOT_FOUND} on the pipeline's own snapshot folder.
 */
class PipelineCommandTest {

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PipelineCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aWarehousePathWithBracketsIsRefusedInOneLine() {
        Outcome o = run("--input", "sample-data/district-small", "--warehouse", "/tmp/baga-test/wh-local[2]");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).isEqualTo("baga pipeline: --warehouse '/tmp/baga-test/wh-local[2]' contains '[', which"
                + " Hadoop reads as a glob pattern ([ ] { } \\); use a path without them" + System.lineSeparator());
    }

    @Test
    void everyGlobCharacterIsRefusedInInputAndWarehouse() {
        for (String bad : new String[] {"wh]", "wh{a,b}", "wh}", "wh\\x"}) {
            assertThat(run("--input", "in", "--warehouse", bad).code()).as(bad).isEqualTo(2);
            Outcome o = run("--input", "in-" + bad, "--warehouse", "wh");
            assertThat(o.code()).as(bad).isEqualTo(2);
            assertThat(o.err()).startsWith("baga pipeline: --input 'in-" + bad + "' contains ").hasLineCount(1);
        }
    }

    @Test
    void otherPathsPassTheArgumentCheck() {
        // Brackets of other kinds are plain characters: the check passes and the (missing) input folder is what
        // fails, with exit status 3 and still before Spark starts.
        Outcome o = run("--input", "/nonexistent/baga-input(2)", "--warehouse", "/tmp/baga-test/wh-local(2)");
        assertThat(o.code()).isEqualTo(3);
        assertThat(o.err()).doesNotContain("glob");
    }
}
