package kz.baga.jobs.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kz.baga.jobs.cli.JitDirectives;
import kz.baga.jobs.cli.PipelineCommand;
import org.apache.spark.sql.SparkSession;

/**
 * A long-lived JVM that runs {@code ./baga pipeline} commands, one at a time, for {@link PipelineClient}s on a
 * Unix domain socket.
 *
 * <p>Why: a pipeline run in a new JVM spends much of its CPU warming the JVM up (class loading, the JIT compiling
 * Spark's planner and generated code) rather than on the data. A district that re-runs the pipeline whenever a
 * diary export lands pays that once, at the server's start. Each run still gets a Spark session of its own
 * (created and stopped as in a plain run), so runs share only the JVM's compiled code and Spark's cache of
 * generated classes.
 *
 * <p>The socket lives in a folder only its owner can open (0700), so only that user can submit runs, which then run
 * with the server's file permissions. A client that goes away mid-run (Ctrl-C) stops that run's Spark session: the
 * run fails and nothing is committed. {@code stop} ends a run in progress the same way, then the server.
 *
 * <pre>java … kz.baga.jobs.server.PipelineServer --socket PATH [--warm-up INPUT_DIR]</pre>
 */
public final class PipelineServer {

    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    /** Arguments of {@code ./baga pipeline} that name paths: a relative one is taken from the client's folder. */
    private static final Set<String> PATH_ARGS = Set.of("--input", "--warehouse", "--rules");

    private final Path socket;
    private final ReentrantLock runLock = new ReentrantLock(true);
    private final Instant started = Instant.now();
    private final AtomicInteger runsServed = new AtomicInteger();
    private volatile String current = "idle";
    private volatile String last = "none yet";

    private PipelineServer(Path socket) {
        this.socket = socket;
    }

    public static void main(String[] args) throws Exception {
        Path socket = null;
        Path warmUp = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(args[++i]).toAbsolutePath();
                case "--warm-up" -> warmUp = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("baga pipeline server: unknown argument '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        if (socket == null) {
            System.err.println("baga pipeline server: --socket PATH is required");
            System.exit(2);
        }
        log("JIT directives: " + JitDirectives.install());
        PipelineServer server = new PipelineServer(socket);
        ServerSocketChannel listener = server.bind();
        log("listening on " + socket + " (pid " + ProcessHandle.current().pid() + ")");
        if (warmUp != null) {
            server.warmUp(warmUp);
        }
        server.serve(listener);
    }

    /** Binds the socket in an owner-only folder; a socket file left by a server that died is replaced. */
    private ServerSocketChannel bind() throws IOException {
        Path dir = socket.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(socket)) {
            if (answers(socket)) {
                throw new IOException("a pipeline server already answers on " + socket);
            }
            Files.delete(socket);
        }
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // the next start replaces a stale socket file
            }
        }));
        return listener;
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * One untimed run on a small input, so that the first real run finds the planner and Spark's runtime compiled.
     * Clients that connect meanwhile wait for it, as for any run.
     */
    private void warmUp(Path input) {
        runLock.lock();
        Path warehouse = null;
        try {
            current = "warming up on " + input;
            long t = System.nanoTime();
            warehouse = Files.createTempDirectory("baga-warm-up");
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
            int code = PipelineCommand.run(new String[] {"--input", input.toString(), "--warehouse",
                    warehouse.toString(), "--master", "local[2]", "--quiet"}, System.getenv(), quiet, quiet);
            log("warm-up on " + input + ": exit " + code + " in " + seconds(t)
                    + (code == 0 ? "" : "\n" + sink.toString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            log("warm-up skipped: " + e.getMessage());
        } finally {
            deleteTree(warehouse);
            current = "idle";
            runLock.unlock();
        }
    }

    private void serve(ServerSocketChannel listener) throws IOException {
        AtomicInteger n = new AtomicInteger();
        while (true) {
            SocketChannel client = listener.accept();
            Thread t = new Thread(() -> handle(client), "baga-server-client-" + n.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private void handle(SocketChannel client) {
        try (client) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)));
            ServerProtocol.Request request = ServerProtocol.readRequest(in);
            switch (request.operation()) {
                case "run" -> run(request, client, out);
                case "status" -> {
                    reply(out, ServerProtocol.OUT, status());
                    reply(out, ServerProtocol.EXIT, "0");
                }
                case "stop" -> stop(out);
                default -> reply(out, ServerProtocol.EXIT, "2");
            }
        } catch (IOException e) {
            log("client dropped: " + e.getMessage());
        }
    }

    private void run(ServerProtocol.Request request, SocketChannel client, DataOutputStream out) throws IOException {
        List<String> args = resolvePaths(request.args(), Path.of(request.workingDir()));
        runLock.lock();
        AtomicBoolean finished = new AtomicBoolean();
        try {
            int number = runsServed.incrementAndGet();
            current = "run " + number + " since " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
            reply(out, ServerProtocol.STARTED, "");
            watchForHangUp(client, finished, number);
            long t = System.nanoTime();
            PrintStream stdout = new PrintStream(new ServerProtocol.FrameStream(out, ServerProtocol.OUT), true,
                    StandardCharsets.UTF_8);
            PrintStream stderr = new PrintStream(new ServerProtocol.FrameStream(out, ServerProtocol.ERR), true,
                    StandardCharsets.UTF_8);
            int code = PipelineCommand.run(args.toArray(String[]::new), request.env(), stdout, stderr);
            last = "run " + number + ": exit " + code + " in " + seconds(t);
            // Paths only: the pipeline's arguments carry no personal data (the key comes in the environment).
            log(last + " (" + String.join(" ", args) + ")");
            finished.set(true);
            reply(out, ServerProtocol.EXIT, String.valueOf(code));
        } finally {
            finished.set(true);
            current = "idle";
            runLock.unlock();
        }
    }

    /**
     * A client that hangs up mid-run (Ctrl-C) stops the run's Spark session, so the run fails before its commit.
     * The request has been read whole: the next thing the client's side of the socket can say is its end. Read from
     * the channel itself: its stream adapters share one lock between reading and writing, so a read blocked there
     * would hold up the run's output.
     */
    private static void watchForHangUp(SocketChannel client, AtomicBoolean finished, int number) {
        Thread watcher = new Thread(() -> {
            try {
                java.nio.ByteBuffer sink = java.nio.ByteBuffer.allocate(256);
                while (client.read(sink) >= 0) {
                    sink.clear(); // a client sends nothing more; stray bytes are ignored
                }
            } catch (IOException ignored) {
                // a reset connection is a hang-up too
            }
            if (!finished.get()) {
                log("run " + number + ": the client went away; stopping its Spark session");
            }
            // Until the run has ended: a session created after this moment is stopped too.
            while (!finished.get()) {
                stopActiveSession();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "baga-server-hangup-" + number);
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void stopActiveSession() {
        scala.Option<SparkSession> session = SparkSession.getDefaultSession();
        if (session.isDefined()) {
            session.get().stop();
        }
    }

    /** Stops a run in progress (its client sees it fail, nothing is committed), answers, and exits. */
    private void stop(DataOutputStream out) throws IOException {
        log("stop requested (" + current + ")");
        stopActiveSession();
        reply(out, ServerProtocol.OUT, "pipeline server " + ProcessHandle.current().pid() + " stopped\n");
        reply(out, ServerProtocol.EXIT, "0");
        System.exit(0);
    }

    private String status() {
        Runtime rt = Runtime.getRuntime();
        String jar = PipelineServer.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return String.format(Locale.ROOT, """
                pipeline server pid %d on %s
                  up %s, runs served %d (last: %s)
                  now: %s
                  code: %s
                  heap: %d MB used of %d MB; JIT compilation so far %.1f s
                """, ProcessHandle.current().pid(), socket, Duration.between(started, Instant.now()).withNanos(0),
                runsServed.get(), last, current, jar, (rt.totalMemory() - rt.freeMemory()) >> 20,
                rt.maxMemory() >> 20, ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1000.0);
    }

    /**
     * The values of {@code --input}, {@code --warehouse} and {@code --rules} as the client meant them: a relative
     * path from the client's working folder; an absolute path or a URI (hdfs://, s3a://, file:) as given.
     */
    static List<String> resolvePaths(List<String> args, Path workingDir) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i + 1 < out.size(); i++) {
            if (PATH_ARGS.contains(out.get(i))) {
                String v = out.get(i + 1);
                if (!v.isEmpty() && !v.startsWith("/") && !URI_SCHEME.matcher(v).matches()) {
                    out.set(i + 1, workingDir.resolve(v).normalize().toString());
                }
                i++;
            }
        }
        return out;
    }

    private static void reply(DataOutputStream out, byte type, String text) throws IOException {
        ServerProtocol.writeFrame(out, type, text);
    }

    private static String seconds(long t) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t) / 1e9);
    }

    private static void log(String message) {
        System.err.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
