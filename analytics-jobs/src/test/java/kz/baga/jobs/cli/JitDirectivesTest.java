package kz.baga.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import kz.baga.jobs.ForkedJvm;
import org.junit.jupiter.api.Test;

/**
 * The compiler directives that {@code ./baga pipeline} installs: the bundled file parses (HotSpot refuses the whole
 * file on one bad pattern or key), and the JVM then holds the exclusion for Spark's generated classes. Checked in a
 * JVM of its own, so that the directives never change how the other tests' code is compiled.
 */
class JitDirectivesTest {

    /** The forked JVM: installs the directives as the pipeline does and prints what the JVM then holds. */
    public static void main(String[] args) throws Exception {
        System.out.println(JitDirectives.install());
        System.out.println(ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
                new Object[] {new String[0]}, new String[] {String[].class.getName()}));
    }

    @Test
    void bundledDirectivesAreAcceptedByTheJvm() throws Exception {
        String out = fork();
        assertThat(out).startsWith("1 compiler directives added")
                .contains("org/apache/spark/sql/catalyst/expressions/GeneratedClass*.*")
                .contains("org/codehaus/*.*");
    }

    @Test
    void turnedOffByProperty() throws Exception {
        assertThat(fork("-Dbaga.jitDirectives=false")).startsWith("off (-Dbaga.jitDirectives=false)");
    }

    private static String fork(String... jvmArgs) throws Exception {
        List<String> cmd = ForkedJvm.command("64m", JitDirectivesTest.class.getName());
        int cp = cmd.indexOf("-cp");
        cmd.addAll(cp, List.of(jvmArgs));
        cp = cmd.indexOf("-cp") + 1;
        cmd.set(cp, ForkedJvm.ROOT.resolve("analytics-jobs/target/test-classes") + File.pathSeparator + cmd.get(cp));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
