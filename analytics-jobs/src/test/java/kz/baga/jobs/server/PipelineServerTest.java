package kz.baga.jobs.server;

import static kz.baga.jobs.SparkTestBase.SAMPLE;
import static kz.baga.jobs.SparkTestBase.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kz.baga.contract.SnapshotManifest;
import kz.baga.jobs.ForkedJvm;
import kz.baga.jobs.ingest.StudentIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real pipeline server in a JVM of its own, driven by the client as {@code ./baga pipeline} drives it: runs on the
 * committed sample, relative paths taken from the client's folder, the client's environment (not the server's)
 * deciding the student_id key, argument errors answered like a plain run, status, and stop.
 */
class PipelineServerTest {

    @TempDir
    static Path tmp;
    private static Path socket;
    private static Process server;

    private record Outcome(int code, String out, String err) {
    }

    @BeforeAll
    static void startServer() throws Exception {
        socket = tmp.resolve("server/socket");
        List<String> cmd = ForkedJvm.command("1g", "kz.baga.jobs.server.PipelineServer");
        cmd.addAll(List.of("--socket", socket.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("server.log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // The server's own key must not be what a run uses: the client's environment decides.
        pb.environment().put(StudentIds.KEY_ENV, "the-servers-own-key");
        server = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket) && server.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(socket).as(Files.readString(tmp.resolve("server.log"))).exists();
    }

    /** {@code stop} answers, then the server exits and removes its socket. */
    @AfterAll
    static void stopServer() throws Exception {
        try {
            Outcome o = call("stop", tmp, Map.of());
            assertThat(o.code()).isZero();
            assertThat(o.out()).startsWith("pipeline server " + server.pid() + " stopped");
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
            assertThat(socket).doesNotExist();
        } finally {
            if (server.isAlive()) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Outcome call(String operation, Path cwd, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PipelineClient.call(socket, operation, cwd, env, List.of(args), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runsThePipelineForItsClientsWithTheirFolderAndEnvironment() throws Exception {
        Path client = Files.createDirectories(tmp.resolve("client"));
        Map<String, String> env = Map.of(StudentIds.KEY_ENV, "the-clients-key");
        int servedBefore = runsServed();
        for (int run = 1; run <= 2; run++) {
            Outcome o = call("run", client, env, "--input", SAMPLE.toString(), "--warehouse", "wh", "--master",
                    "local[2]");
            assertThat(o.code()).as(o.err()).isZero();
            // The same summary and progress as a plain run, relayed as they are printed.
            assertThat(o.out()).contains("rows read 61502 = accepted 61374 + rejected 25 + merged 103")
                    .contains("kundelik     read 33258, accepted 33205, rejected 0, merged 53");
            // The second run on the same warehouse and input is incremental: nothing to parse.
            assertThat(o.err()).contains(run == 1 ? "ingest: reading 2 source(s)" : "incremental run on snapshot")
                    .contains("committed snapshot");
        }
        // "wh" was the client's relative path: the snapshots are in the client's folder.
        Path warehouse = client.resolve("wh");
        String current = Files.readString(warehouse.resolve("CURRENT")).trim();
        SnapshotManifest.StudentIdKey key = manifest(warehouse, current).studentIdKey();
        assertThat(key.fingerprint()).isEqualTo(StudentIds.withKey("the-clients-key").keyFingerprint())
                .isNotEqualTo(StudentIds.withKey("the-servers-own-key").keyFingerprint());
        assertThat(key.demoKey()).isFalse();

        assertThat(runsServed()).isEqualTo(servedBefore + 2);
        assertThat(call("status", client, Map.of()).out()).contains("exit 0 in").contains("now: idle");
    }

    private static int runsServed() {
        Outcome status = call("status", tmp, Map.of());
        assertThat(status.code()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("runs served (\\d+)").matcher(status.out());
        assertThat(m.find()).as(status.out()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Ctrl-C in the client: the server stops that run's Spark session, the run fails, nothing is committed. */
    @Test
    void aClientThatGoesAwayMidRunLeavesNothingCommitted() throws Exception {
        Path warehouse = tmp.resolve("abandoned");
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(socket));
            java.io.DataOutputStream req = new java.io.DataOutputStream(java.nio.channels.Channels.newOutputStream(ch));
            ServerProtocol.writeRequest(req, new ServerProtocol.Request("run", tmp.toString(),
                    List.of("--input", SAMPLE.toString(), "--warehouse", warehouse.toString(), "--master", "local[2]"),
                    Map.of()));
            java.io.DataInputStream in = new java.io.DataInputStream(java.nio.channels.Channels.newInputStream(ch));
            ServerProtocol.Frame f;
            while ((f = ServerProtocol.readFrame(in)) != null && !f.text().contains("reference files loaded")) {
                assertThat(f.type()).isNotEqualTo(ServerProtocol.EXIT);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String status = "";
        while (System.nanoTime() < deadline) {
            status = call("status", tmp, Map.of()).out();
            if (status.contains("now: idle")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(status).contains("now: idle").containsPattern("last: run \\d+: exit 1 in");
        assertThat(warehouse.resolve("CURRENT")).doesNotExist();
        assertThat(Files.readString(tmp.resolve("server.log"))).contains("the client went away");
    }

    @Test
    void aBadArgumentGetsThePipelinesOwnOneLineErrorAndStatus() {
        Outcome o = call("run", tmp, Map.of(), "--input", SAMPLE.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).isEqualTo("baga pipeline: --input DIR and --warehouse DIR are required (see --help)"
                + System.lineSeparator());
        Outcome missing = call("run", tmp, Map.of(), "--input", "no-such-folder", "--warehouse", "wh");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains(tmp.resolve("no-such-folder").toString());
    }

    @Test
    void relativePathsAreTakenFromTheClientsFolderAndUrisAsGiven() {
        Path cwd = Path.of("/home/someone/district");
        assertThat(PipelineServer.resolvePaths(List.of("--input", "in", "--warehouse", "../wh", "--rules", "r.json",
                "--master", "local[2]", "--keep", "3"), cwd))
                .containsExactly("--input", "/home/someone/district/in", "--warehouse", "/home/someone/wh",
                        "--rules", "/home/someone/district/r.json", "--master", "local[2]", "--keep", "3");
        assertThat(PipelineServer.resolvePaths(List.of("--input", "/data/in", "--warehouse", "hdfs://nn/wh",
                "--rules", "file:/etc/baga/rules.json"), cwd))
                .containsExactly("--input", "/data/in", "--warehouse", "hdfs://nn/wh",
                        "--rules", "file:/etc/baga/rules.json");
    }

    @Test
    void noServerOnTheSocketIsReportedWithItsOwnStatus() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PipelineClient.call(tmp.resolve("nobody/socket"), "status", tmp, Map.of(), List.of(),
                new ByteArrayOutputStream(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(ServerProtocol.NO_SERVER);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("baga: no pipeline server answers on ");
    }

    @Test
    void theSocketFolderIsTheOwnersOnly() throws Exception {
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
    }
}
