package kz.baga.jobs.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline server's wire format over its Unix domain socket, shared by {@link PipelineServer} and
 * {@link PipelineClient} (which must not load Spark, so nothing here does).
 *
 * <p>Request: the magic {@code BAGA-PIPELINE-1}, an operation ({@code run}, {@code status}, {@code stop}), the
 * client's working folder, its arguments and its environment (the pipeline reads {@code BAGA_ID_KEY} and the
 * variables a JDBC source names from it). Answer: frames of one type byte and a length-prefixed UTF-8 text —
 * {@link #STARTED} (the server has begun this request; until then it is busy with another run), {@link #OUT} and
 * {@link #ERR} (the command's standard output and error), then {@link #EXIT} with the exit status as text.
 */
final class ServerProtocol {

    static final String MAGIC = "BAGA-PIPELINE-1";
    static final byte STARTED = 'S';
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte EXIT = 'X';
    /** The client's exit status when no server answers: {@code ./baga pipeline} then runs in a JVM of its own. */
    static final int NO_SERVER = 75;

    private ServerProtocol() {
    }

    record Request(String operation, String workingDir, List<String> args, Map<String, String> env) {
    }

    static void writeRequest(DataOutputStream out, Request r) throws IOException {
        writeText(out, MAGIC);
        writeText(out, r.operation());
        writeText(out, r.workingDir());
        out.writeInt(r.args().size());
        for (String a : r.args()) {
            writeText(out, a);
        }
        out.writeInt(r.env().size());
        for (Map.Entry<String, String> e : r.env().entrySet()) {
            writeText(out, e.getKey());
            writeText(out, e.getValue());
        }
        out.flush();
    }

    static Request readRequest(DataInputStream in) throws IOException {
        String magic = readText(in);
        if (!MAGIC.equals(magic)) {
            throw new IOException("not a Baga pipeline client (or another version of it)");
        }
        String op = readText(in);
        String cwd = readText(in);
        int n = count(in);
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            args.add(readText(in));
        }
        int m = count(in);
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            env.put(readText(in), readText(in));
        }
        return new Request(op, cwd, args, env);
    }

    /** One frame of text. */
    static void writeFrame(DataOutputStream out, byte type, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        writeFrame(out, type, b, 0, b.length);
    }

    /** One frame, whole: threads that share the stream (a run's output, its exit status) take turns on it. */
    static void writeFrame(DataOutputStream out, byte type, byte[] b, int off, int len) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(len);
            out.write(b, off, len);
            out.flush();
        }
    }

    static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readText(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[count(in)];
        in.readFully(b);
        return b;
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (16 << 20)) {
            throw new IOException("malformed message (length " + n + ")");
        }
        return n;
    }

    /** A frame: its type and bytes (output is passed on as bytes, so a character split between frames survives). */
    record Frame(byte type, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** The next frame, or null at the end of the stream. */
    static Frame readFrame(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        try {
            return new Frame((byte) type, readBytes(in));
        } catch (EOFException e) {
            return null;
        }
    }

    /**
     * An output stream that sends what is written to it as frames of one type. The pipeline prints whole lines,
     * so a frame per {@code write} call (a PrintStream with auto-flush writes each line at once) keeps lines whole.
     */
    static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final byte type;

        FrameStream(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writeFrame(out, type, b, off, len);
        }
    }
}
