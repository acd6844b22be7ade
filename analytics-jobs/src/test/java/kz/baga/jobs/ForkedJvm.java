package kz.baga.jobs;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a class of this module in a JVM of its own, as the launcher does: Spark's JVM flags, the build's classpath. */
public final class ForkedJvm {

    public static final Path ROOT =
            Path.of(System.getProperty("baga.projectRoot", "..")).toAbsolutePath().normalize();

    private ForkedJvm() {
    }

    /** {@code java <spark flags> -Dbaga.jvm.flags=… -Xmx<heap> -cp <classes:deps> <mainClass>}; add its arguments. */
    public static List<String> command(String heap, String mainClass) throws IOException {
        String flags = System.getProperty("baga.jvm.flags", "");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : flags.split(" ")) {
            if (!f.isBlank()) {
                cmd.add(f);
            }
        }
        cmd.add("-Dbaga.jvm.flags=" + flags);
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        String deps = Files.readString(ROOT.resolve("analytics-jobs/target/runtime-classpath.txt")).trim();
        cmd.add(ROOT.resolve("analytics-jobs/target/classes") + File.pathSeparator + deps);
        cmd.add(mainClass);
        return cmd;
    }
}
