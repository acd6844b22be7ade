package kz.baga.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same job on a Spark standalone cluster: the project's script starts a master and two workers on
 * 127.0.0.1 from the build's classpath, and the pipeline command runs with {@code --master spark://…}.
 */
class ClusterRunTest {

    static final Path ROOT = ForkedJvm.ROOT;
    static final Path SCRIPT = ROOT.resolve("analytics-jobs/scripts/spark-cluster");

    @TempDir
    static Path tmp;
    static Map<String, String> env;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Process start(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    @BeforeAll
    static void startCluster() throws Exception {
        env = Map.of("BAGA_SPARK_MASTER_PORT", String.valueOf(freePort()), "BAGA_SPARK_DIR",
                tmp.resolve("cluster").toString(), "SPARK_LOCAL_IP", "127.0.0.1");
        Process p = start(List.of("bash", SCRIPT.toString(), "start"), tmp.resolve("start.log"));
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("start.log"))).isZero();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        start(List.of("bash", SCRIPT.toString(), "stop"), tmp.resolve("stop.log")).waitFor(60, TimeUnit.SECONDS);
    }

    @Test
    void thePipelineRunsOnTheWorkers() throws Exception {
        List<String> cmd = ForkedJvm.command("1g", "kz.baga.jobs.cli.PipelineCommand");
        cmd.addAll(List.of("--input", SparkTestBase.SAMPLE.toString(),
                "--warehouse", tmp.resolve("warehouse").toString(),
                "--master", "spark://127.0.0.1:" + env.get("BAGA_SPARK_MASTER_PORT"), "--quiet"));
        Path log = tmp.resolve("pipeline.log");
        Process run = start(cmd, log);
        assertThat(run.waitFor(15, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(out).isZero();
        // Same counts as the local run on the same sample (PipelineEndToEndTest checks those in detail).
        assertThat(out).containsPattern("rows read (\\d+) = accepted \\d+ \\+ rejected \\d+ \\+ merged \\d+")
                .contains("kundelik     read 33258, accepted 33205, rejected 0, merged 53");
        assertThat(tmp.resolve("warehouse/CURRENT")).exists();
        // The work really ran in executors the workers launched.
        String workers = Files.readString(tmp.resolve("cluster/logs/worker1.log"))
                + Files.readString(tmp.resolve("cluster/logs/worker2.log"));
        assertThat(workers).contains("Asked to launch executor");
    }
}
