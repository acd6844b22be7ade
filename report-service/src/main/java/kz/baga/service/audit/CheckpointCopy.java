package kz.baga.service.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * A second {@code checkpoints.log} in another folder (meant for a mount of another machine, or a write-once
 * bucket): every line the local file gets is appended there too and forced, by a thread of its own so that a slow
 * or failing mount never holds up the audit writer. The copy is never rotated or renamed: it is one file that only
 * grows, its generations one after another, each beginning with its rotation line.
 *
 * <p>A write that fails, or lines left waiting for a minute (a hung mount), starts a failure episode: one warning,
 * the state {@code degraded} (health, verify), and retries on every new line and every 10 s. Each retry first
 * catches up from the local files — the lines after the last one the copy holds, from the current file and, across
 * a rotation, the newest archive — so no line is lost once the copy can be written again. A copy that does not
 * exist yet starts with the whole current file.
 */
public final class CheckpointCopy implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CheckpointCopy.class);

    private static final long RETRY_MILLIS = 10_000;
    /** Lines waiting longer than this mean the copy is stuck (a hung mount), not merely busy. */
    private static final Duration STUCK = Duration.ofSeconds(60);
    private static final int MAX_PENDING = 100_000;
    /** A whole line as written: a torn write (a line cut short) does not match. */
    private static final Pattern INTACT = Pattern.compile("v1 kind=[a-z]+ .* sig=[0-9a-f]{64}");
    private static final Pattern GEN = Pattern.compile(" gen=(\\d+)");
    private static final Pattern AT = Pattern.compile(" at=(\\S+)");

    /**
     * The copy's state for health and verify. {@code since}: when the current failure began (null: none);
     * {@code episodes}: failures begun (one warning each).
     */
    public record Status(Path dir, boolean degraded, Instant since, String error, int pending, long failedWrites,
                         long episodes, Instant lastWrite) {
    }

    private final Path dir;
    private final Path file;
    private final Checkpoints local;
    private final Duration lag;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private Instant pendingSince;
    /** Whether the current episode's warning was given (a hung write warns before it fails, if it ever does). */
    private volatile boolean warned;
    private boolean catchUp = true;
    private boolean closed;
    private Thread thread;

    private volatile Instant failingSince;
    private volatile String lastError;
    private volatile Instant lastWrite;
    private volatile long failedWrites;
    private volatile long episodes;

    /** {@code lag}: how far behind the local file the copy may be before verify calls a missing line a problem. */
    public CheckpointCopy(Path dir, Checkpoints local, Duration lag) {
        this.dir = dir.toAbsolutePath();
        this.file = this.dir.resolve("checkpoints.log");
        this.local = local;
        this.lag = lag;
    }

    public Path file() {
        return file;
    }

    public synchronized void start() {
        thread = new Thread(this::run, "baga-audit-checkpoint-copy");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a line just appended to the local file. Called under the local file's lock. */
    synchronized void offer(String line) {
        if (pending.size() >= MAX_PENDING) {
            // the copy has been stuck for long: drop the queue and catch up from the local files once it moves
            pending.clear();
            catchUp = true;
        }
        if (pending.isEmpty()) {
            pendingSince = Instant.now();
        } else if (!warned && pendingSince.isBefore(Instant.now().minus(STUCK))) {
            warned = true;
            episodes++;
            LOG.warn("audit checkpoints wait to be copied to " + dir + " since " + pendingSince + " (" + pending.size()
                    + " lines): the copy does not finish its writes; they are kept in " + local.file());
        }
        pending.add(line);
        notifyAll();
    }

    public Status status() {
        Instant since = failingSince;
        int waiting;
        Instant oldest;
        synchronized (this) {
            waiting = pending.size();
            oldest = pendingSince;
        }
        boolean stuck = since == null && waiting > 0 && oldest != null
                && oldest.isBefore(Instant.now().minus(STUCK));
        return new Status(dir, since != null || stuck, since != null ? since : stuck ? oldest : null,
                since != null ? lastError : stuck ? waiting + " line(s) waiting since " + oldest : null, waiting,
                failedWrites, episodes, lastWrite);
    }

    /** Lets the thread write what is queued (for up to 5 s), then stops it. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            notifyAll();
            t = thread;
        }
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (true) {
            synchronized (this) {
                while (!closed && pending.isEmpty() && !catchUp) {
                    waitQuietly(0);
                }
                if (closed && pending.isEmpty() && !catchUp) {
                    return;
                }
            }
            if (!attempt()) {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    waitQuietly(RETRY_MILLIS);
                }
            }
        }
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    /** One write of what is due: the catch-up, or the queued lines. False when it failed. */
    private boolean attempt() {
        boolean caughtUp;
        synchronized (this) {
            caughtUp = catchUp;
        }
        List<String> lines;
        try {
            boolean torn = false;
            if (caughtUp) {
                Tail tail = tail();
                torn = tail.torn();
                lines = linesAfter(tail.lastLine());
            } else {
                synchronized (this) {
                    lines = new ArrayList<>(pending);
                    pending.clear();
                    pendingSince = null;
                }
            }
            write(lines, torn);
        } catch (IOException | RuntimeException e) {
            failed(e);
            return false;
        }
        if (failingSince != null || warned) {
            LOG.info("audit checkpoints are copied to " + dir + " again"
                    + (failingSince != null ? " (failing since " + failingSince + ")" : ""));
            failingSince = null;
            lastError = null;
            warned = false;
        }
        return true;
    }

    private void failed(Exception e) {
        failedWrites++;
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        boolean warn;
        synchronized (this) {
            pending.clear(); // they are in the local file: the next try catches up from there
            pendingSince = null;
            catchUp = true;
            warn = !warned;
            if (warn) {
                warned = true;
                episodes++;
            }
        }
        if (failingSince == null) {
            failingSince = Instant.now();
        }
        if (warn) {
            LOG.warn("audit checkpoints cannot be copied to " + dir + " (" + lastError + "); they are kept in "
                    + local.file() + " and copied once the folder can be written again. Health "
                    + "audit-checkpoint-copy is DOWN (readiness stays up) and verify reports the copy until then");
        }
    }

    /**
     * The local lines the copy lacks after {@code last} (the copy's last whole line): from the current file, or
     * across a rotation from the newest archive and then the current file; the whole current file for a copy
     * without lines. Taken under the local file's lock, with the queue emptied, so that every line appended
     * afterwards is queued and written after these.
     */
    private List<String> linesAfter(String last) throws IOException {
        synchronized (local) {
            List<String> current = local.currentLines();
            List<String> out;
            if (last == null) {
                out = current;
            } else {
                int i = current.lastIndexOf(last);
                if (i >= 0) {
                    out = current.subList(i + 1, current.size());
                } else {
                    List<String> archived = local.newestArchiveLines();
                    int j = archived.lastIndexOf(last);
                    if (j >= 0) {
                        out = new ArrayList<>(archived.subList(j + 1, archived.size()));
                        out.addAll(current);
                    } else if (!current.isEmpty() && generation(last) < generation(current.get(0))) {
                        // more than one rotation while the copy could not be written: the generations between
                        // are lost to it (verify says which), the current one is copied whole
                        LOG.warn("the audit checkpoint copy " + file + " missed generations " + generation(last) + ".."
                                + (generation(current.get(0)) - 1) + " in part: the current one is copied whole");
                        out = current;
                    } else {
                        LOG.warn("the last line of the audit checkpoint copy " + file + " is not among the local "
                                + "checkpoints: only new lines are appended to it, and verify reports the difference");
                        out = List.of();
                    }
                }
            }
            synchronized (this) {
                pending.clear();
                pendingSince = null;
                catchUp = false;
            }
            return new ArrayList<>(out);
        }
    }

    /** The copy's last whole line (null when it has none), and whether it ends in a torn line. */
    private record Tail(String lastLine, boolean torn) {
    }

    private Tail tail() throws IOException {
        if (!Files.isDirectory(dir)) {
            // never created here: a mount point that is not mounted must fail, not fill the local disk
            throw new IOException("the copy folder " + dir + " does not exist or is not a folder");
        }
        if (!Files.exists(file)) {
            return new Tail(null, false);
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            if (size == 0) {
                return new Tail(null, false);
            }
            f.seek(size - 1);
            boolean torn = f.read() != '\n';
            for (long window = 1 << 16; ; window *= 4) {
                long from = Math.max(0, size - window);
                byte[] b = new byte[(int) (size - from)];
                f.seek(from);
                f.readFully(b);
                String[] lines = new String(b, StandardCharsets.UTF_8).split("\n");
                int lowest = from > 0 ? 1 : 0; // the window's first piece may be part of a line
                int highest = torn ? lines.length - 2 : lines.length - 1;
                for (int i = highest; i >= lowest; i--) {
                    String l = lines[i].strip();
                    if (INTACT.matcher(l).matches()) {
                        return new Tail(l, torn);
                    }
                }
                if (from == 0) {
                    return new Tail(null, torn);
                }
            }
        }
    }

    private void write(List<String> lines, boolean terminateTorn) throws IOException {
        if (lines.isEmpty() && !terminateTorn) {
            return;
        }
        StringBuilder b = new StringBuilder(terminateTorn ? "\n" : "");
        for (String l : lines) {
            b.append(l).append('\n');
        }
        boolean created = !Files.exists(file);
        if (!Files.isDirectory(dir)) {
            throw new IOException("the copy folder " + dir + " does not exist or is not a folder");
        }
        try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        if (created) {
            try {
                Checkpoints.forceDir(dir);
            } catch (IOException e) {
                // some network file systems cannot force a folder; the file itself is forced
                LOG.debug("cannot force " + dir + ": " + e.getMessage());
            }
        }
        lastWrite = Instant.now();
    }

    /**
     * Compares the copy with the local files: each generation the copy holds whole must hash to what the next
     * rotation line signed for its archive (so lines lost or added in the copy show for archived generations too);
     * the current generation is compared line by line with {@code current}, both ways, lines younger than the lag
     * aside. Lines cut short by a failed write are counted, not compared.
     */
    public Map<String, Object> compare(Checkpoints.Contents current) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Status st = status();
        out.put("dir", dir.toString());
        out.put("state", st.degraded() ? "degraded" : "ok");
        if (st.degraded()) {
            out.put("failingSince", st.since());
            out.put("error", st.error());
        }
        long g = current.generation();
        Instant cutoff = current.readAt().minus(lag);
        Set<String> copyCurrent = new HashSet<>();
        long lines = 0;
        long torn = 0;
        try {
            if (!Files.exists(file)) {
                throw new IOException(file + " does not exist");
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                    StandardCharsets.UTF_8))) {
                MessageDigest seg = null;
                long segGen = -1;
                boolean whole = false;
                String line;
                while ((line = in.readLine()) != null) {
                    line = line.strip();
                    if (line.isEmpty()) {
                        continue;
                    }
                    if (!INTACT.matcher(line).matches()) {
                        torn++;
                        continue;
                    }
                    lines++;
                    long lg = generation(line);
                    if (line.startsWith("v1 kind=rotation ")) {
                        Checkpoints.Checkpoint r = local.parse(line);
                        if (r == null) {
                            problems.add("copy line " + lines + " does not carry a valid signature");
                            continue;
                        }
                        if (seg != null && whole && segGen == r.gen() - 1
                                && !HexFormat.of().formatHex(seg.digest()).equals(r.rotation().sha256())) {
                            problems.add("the copy's lines of generation " + segGen + " differ from archive "
                                    + r.rotation().archive() + " as it was signed: lines were lost or added");
                        } else if (seg != null && segGen < r.gen() - 1) {
                            problems.add("the copy lacks the rotation line(s) of generation(s) " + (segGen + 1)
                                    + ".." + (r.gen() - 1));
                        }
                        seg = Checkpoints.sha256();
                        segGen = r.gen();
                        whole = true;
                    } else if (seg == null || lg != segGen) {
                        if (seg == null && lg > 0) {
                            problems.add("the copy does not begin with the first line of a checkpoint file "
                                    + "(its first line is of generation " + lg + ", not its rotation line)");
                        } else if (seg != null) {
                            problems.add("the copy lacks the rotation line of generation " + lg);
                        }
                        seg = Checkpoints.sha256();
                        segGen = lg;
                        whole = lines == 1; // a copy that starts with generation 0 holds its first file whole
                    }
                    seg.update((line + "\n").getBytes(StandardCharsets.UTF_8));
                    if (lg == g) {
                        copyCurrent.add(line);
                    } else if (lg > g && before(line, cutoff)) {
                        problems.add("the copy holds generation " + lg + ", newer than the local file's " + g);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add("the copy cannot be read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Set<String> localLines = new HashSet<>(current.lines());
        int missing = 0;
        String firstMissing = null;
        for (String l : current.lines()) {
            if (!copyCurrent.contains(l) && before(l, cutoff)) {
                missing++;
                firstMissing = firstMissing == null ? at(l) : firstMissing;
            }
        }
        int extra = 0;
        String firstExtra = null;
        for (String l : copyCurrent) {
            if (!localLines.contains(l) && before(l, cutoff)) {
                extra++;
                String a = at(l);
                firstExtra = firstExtra == null || (a != null && a.compareTo(firstExtra) < 0) ? a : firstExtra;
            }
        }
        if (extra > 0) {
            problems.add(0, "the copy holds " + extra + " line(s) of the current generation that the local "
                    + local.file().getFileName() + " does not (the first at " + firstExtra + "): they were removed "
                    + "from the local file");
        }
        if (missing > 0) {
            problems.add("" + missing + " line(s) of the local " + local.file().getFileName() + " are not in the copy "
                    + "(the first at " + firstMissing + ")" + (st.degraded() ? ": writing the copy fails since "
                    + st.since() : ""));
        }
        out.put("lines", lines);
        if (torn > 0) {
            out.put("tornLines", torn);
        }
        out.put("problems", problems);
        return out;
    }

    private static long generation(String line) {
        Matcher m = GEN.matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String at(String line) {
        Matcher m = AT.matcher(line);
        return m.find() ? m.group(1) : null;
    }

    /** Whether the line was signed before {@code cutoff}; a line without a readable time counts as old. */
    private static boolean before(String line, Instant cutoff) {
        String a = at(line);
        try {
            return a == null || Instant.parse(a).isBefore(cutoff);
        } catch (RuntimeException e) {
            return true;
        }
    }
}
