package kz.baga.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.management.ObjectName;

/**
 * Installs the pipeline's HotSpot compiler directives ({@code jit-directives.json} beside this package's classes) in
 * the running JVM, before Spark starts: Spark's generated classes and the driver's query-planning code stay on the C1
 * compiler, so C2's time goes to the runtime's hot loops. The file says why; {@code bench/README.md} has the
 * measurements that keep it.
 *
 * <p>Installed through the JVM's {@code Compiler.directives_add} diagnostic command rather than the
 * {@code -XX:CompilerDirectivesFile} flag: the flag needs {@code -XX:+UnlockDiagnosticVMOptions}, prints a line on
 * standard output (which scripts read for the summary) and needs a file path in every launcher. A JVM without the
 * command (not HotSpot) just runs without the directives. {@code -Dbaga.jitDirectives=false} turns them off
 * ({@code BAGA_JAVA_OPTS=-Dbaga.jitDirectives=false ./baga pipeline ...}).
 */
public final class JitDirectives {

    static final String RESOURCE = "/kz/baga/jobs/jit-directives.json";

    private JitDirectives() {
    }

    /** @return the JVM's answer ("1 compiler directives added"), or why nothing was installed */
    public static String install() {
        if (!Boolean.parseBoolean(System.getProperty("baga.jitDirectives", "true"))) {
            return "off (-Dbaga.jitDirectives=false)";
        }
        Path file = null;
        try (InputStream in = JitDirectives.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "not installed: " + RESOURCE + " is missing from the classpath";
            }
            // The command reads a file; the directives travel inside the jar.
            file = Files.createTempFile("baga-jit-directives", ".json");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                    new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            return String.valueOf(answer).strip();
        } catch (IOException | javax.management.JMException | RuntimeException e) {
            return "not installed: " + e;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
