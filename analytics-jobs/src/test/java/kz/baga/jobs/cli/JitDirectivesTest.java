package kz.baga.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The compiler directives that {@code ./baga pipeline} installs: the bundled file parses (HotSpot refuses the whole
 * file on one bad pattern or key), and the JVM then holds the exclusion for Spark's generated classes.
 */
class JitDirectivesTest {

    @Test
    void bundledDirectivesAreAcceptedByTheJvm() throws Exception {
        assertThat(JitDirectives.install()).isEqualTo("1 compiler directives added");

        String installed = String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
                new Object[] {new String[0]}, new String[] {String[].class.getName()}));
        assertThat(installed).contains("org/apache/spark/sql/catalyst/expressions/GeneratedClass*.*")
                .contains("org/codehaus/*.*");
    }

    @Test
    void turnedOffByProperty() {
        System.setProperty("baga.jitDirectives", "false");
        try {
            assertThat(JitDirectives.install()).startsWith("off");
        } finally {
            System.clearProperty("baga.jitDirectives");
        }
    }
}
