package kz.baga.jobs.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The small client {@code ./baga pipeline} uses when a {@link PipelineServer} runs: it sends its arguments, working
 * folder and environment over the server's socket, prints what the run prints, and exits with the run's status.
 * It loads no Spark class, so it starts in a fraction of a second.
 *
 * <pre>java -cp analytics-jobs.jar kz.baga.jobs.server.PipelineClient --socket PATH run|status|stop [ARGS...]</pre>
 *
 * Exit status: the command's own, or {@value ServerProtocol#NO_SERVER} when no server answers on the socket (the
 * launcher then runs the pipeline in a JVM of its own).
 */
public final class PipelineClient {

    private PipelineClient() {
    }

    public static void main(String[] args) {
        if (args.length < 3 || !args[0].equals("--socket") || !List.of("run", "status", "stop").contains(args[2])) {
            System.err.println("usage: PipelineClient --socket PATH run|status|stop [ARGS...]");
            System.exit(2);
        }
        int code = call(Path.of(args[1]), args[2], Path.of("").toAbsolutePath(), System.getenv(),
                Arrays.asList(args).subList(3, args.length), System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Sends one request and relays the answer. A run that waits behind another one says so after a second.
     *
     * @return the command's exit status, or {@link ServerProtocol#NO_SERVER}
     */
    static int call(Path socket, String operation, Path workingDir, Map<String, String> env, List<String> args,
                    OutputStream out, PrintStream err) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException | UnsupportedOperationException e) {
            err.println("baga: no pipeline server answers on " + socket + " (" + e.getMessage() + ")");
            return ServerProtocol.NO_SERVER;
        }
        AtomicBoolean started = new AtomicBoolean();
        Timer busy = new Timer("baga-client-wait", true);
        try (channel) {
            DataOutputStream req = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            ServerProtocol.writeRequest(req, new ServerProtocol.Request(operation, workingDir.toString(), args, env));
            if (operation.equals("run")) {
                busy.schedule(new TimerTask() {
                    @Override
                    public void run() {
                        if (!started.get()) {
                            err.println("baga: the pipeline server is busy with another run; this one waits for it");
                        }
                    }
                }, 1000);
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            ServerProtocol.Frame f;
            while ((f = ServerProtocol.readFrame(in)) != null) {
                switch (f.type()) {
                    case ServerProtocol.STARTED -> started.set(true);
                    case ServerProtocol.OUT -> {
                        out.write(f.data());
                        out.flush();
                    }
                    case ServerProtocol.ERR -> {
                        err.write(f.data());
                        err.flush();
                    }
                    case ServerProtocol.EXIT -> {
                        return Integer.parseInt(f.text().trim());
                    }
                    default -> throw new IOException("unexpected frame type " + f.type());
                }
            }
            err.println("baga: the pipeline server closed the connection before the run ended (stopped, or it failed:"
                    + " see its log, .baga/pipeline-server.log)");
            return 1;
        } catch (IOException e) {
            err.println("baga: lost the pipeline server: " + e.getMessage());
            return 1;
        } finally {
            busy.cancel();
        }
    }
}
