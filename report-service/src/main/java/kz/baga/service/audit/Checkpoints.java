package kz.baga.service.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jboss.logging.Logger;

/**
 * Signed checkpoints of the audit chain, kept outside the database: one line per checkpoint, appended and
 * forced to disk. A checkpoint says that record {@code seq} had hash {@code head} at {@code at} (kind
 * {@code head}), or that retention deleted records {@code from..to}, the last of which had hash {@code head}
 * (kind {@code retention}). Each line carries an HMAC-SHA256 signature with the audit key, so neither the database
 * nor anyone without the key can forge or alter one.
 *
 * <p>Rotation: when the file has reached {@code rotateBytes}, or its first line is from an earlier month (UTC), it
 * is renamed to {@code archive/checkpoints-YYYY-MM[-n].log} and the new file begins with a {@code rotation} line:
 * the archive's name, its SHA-256 and line count, and what verification needs of it (its last head, the latest
 * retention, the first keyed record), so the current file alone carries every checkpoint that matters and the
 * archives form a hash chain back to the first file. Each file is a generation: its lines carry {@code gen}, its
 * rotation line names generation {@code gen - 1}.
 */
public final class Checkpoints {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class);

    public enum Kind { head, retention, rotation }

    static final String NO_HEAD = "0".repeat(64);
    private static final Pattern ARCHIVE_NAME = Pattern.compile("checkpoints-\\d{4}-\\d{2}(-\\d+)?\\.log");

    /**
     * What a rotation line says of the file it archived: its name under {@code archive/}, SHA-256, lines, lines that
     * were not valid when it was archived, the time of its last head checkpoint (null: none), and the hash of the
     * last record of the latest retention (null: none).
     */
    public record Rotation(String archive, String sha256, long lines, long bad, Instant headAt, String retainedHead) {
    }

    /**
     * One checkpoint. {@code keyedFrom}: the first record id chained with the key (records from there on must
     * carry HMAC hashes), 0 while unknown. {@code gen}: the file generation it was written in. A rotation line
     * carries the archive's last head in {@code seq}/{@code head} (0 and zeros when it had none) and its latest
     * retention in {@code from}/{@code to}.
     */
    public record Checkpoint(Kind kind, long seq, String head, Instant at, long keyedFrom, long from, long to,
                             long gen, Rotation rotation) {

        public Checkpoint(Kind kind, long seq, String head, Instant at, long keyedFrom, long from, long to) {
            this(kind, seq, head, at, keyedFrom, from, to, 0, null);
        }

        Checkpoint inGeneration(long g) {
            return new Checkpoint(kind, seq, head, at, keyedFrom, from, to, g, rotation);
        }

        /** The archive's last head as a head checkpoint, or null. */
        Checkpoint carriedHead() {
            return kind == Kind.rotation && seq > 0
                    ? new Checkpoint(Kind.head, seq, head, rotation.headAt(), keyedFrom, 0, 0, gen, null) : null;
        }

        /** The latest retention the archive knew of, as a retention checkpoint, or null. */
        Checkpoint carriedRetention() {
            return kind == Kind.rotation && to > 0
                    ? new Checkpoint(Kind.retention, to, rotation.retainedHead(), at, keyedFrom, from, to, gen, null)
                    : null;
        }

        String payload() {
            // generation 0 lines keep the original format, so files written before rotation verify unchanged
            StringBuilder b = new StringBuilder("v1 kind=").append(kind).append(" seq=").append(seq)
                    .append(" head=").append(head).append(" at=").append(at).append(" keyedFrom=").append(keyedFrom);
            if (kind == Kind.retention || (kind == Kind.rotation && to > 0)) {
                b.append(" from=").append(from).append(" to=").append(to);
            }
            if (gen > 0) {
                b.append(" gen=").append(gen);
            }
            if (rotation != null) {
                b.append(" archive=").append(rotation.archive()).append(" sha256=").append(rotation.sha256())
                        .append(" lines=").append(rotation.lines()).append(" bad=").append(rotation.bad());
                if (rotation.headAt() != null) {
                    b.append(" headAt=").append(rotation.headAt());
                }
                if (rotation.retainedHead() != null) {
                    b.append(" retainedHead=").append(rotation.retainedHead());
                }
            }
            return b.toString();
        }
    }

    /**
     * What the current file holds: the checkpoints whose signature holds, the line numbers whose signature does
     * not, what is out of place (a rotation line not first, lines of another generation), the lines as written,
     * and when it was read.
     */
    public record Contents(List<Checkpoint> valid, List<Integer> badLines, List<String> problems, List<String> lines,
                           Instant readAt) {

        public Contents(List<Checkpoint> valid, List<Integer> badLines) {
            this(valid, badLines, List.of(), List.of(), Instant.now());
        }

        /** The rotation line that began the file, or null. */
        public Checkpoint rotation() {
            return !valid.isEmpty() && valid.get(0).kind() == Kind.rotation ? valid.get(0) : null;
        }

        /** The file's generation: its rotation line's, else the highest any valid line carries. */
        public long generation() {
            Checkpoint r = rotation();
            return r != null ? r.gen() : valid.stream().mapToLong(Checkpoint::gen).max().orElse(0);
        }

        /** The last head checkpoint, or the one the rotation line carried over; null when there is none. */
        public Checkpoint latestHead() {
            Checkpoint latest = rotation() == null ? null : rotation().carriedHead();
            for (Checkpoint cp : valid) {
                if (cp.kind() == Kind.head) {
                    latest = cp;
                }
            }
            return latest;
        }

        /** The retention that deleted the most, including the one the rotation line carried over; or null. */
        public Checkpoint latestRetention() {
            Checkpoint latest = null;
            for (Checkpoint cp : valid) {
                Checkpoint r = cp.kind() == Kind.retention ? cp : cp.carriedRetention();
                if (r != null && (latest == null || r.to() >= latest.to())) {
                    latest = r;
                }
            }
            return latest;
        }

        /** The lowest first keyed record id any checkpoint names; 0 when none does. */
        public long keyedFrom() {
            long k = 0;
            for (Checkpoint cp : valid) {
                if (cp.keyedFrom() > 0 && (k == 0 || cp.keyedFrom() < k)) {
                    k = cp.keyedFrom();
                }
            }
            return k;
        }
    }

    /** What following the archives' hash chain found: files and bytes hashed, checkpoints they hold, problems. */
    public record ArchiveCheck(int files, long bytes, long checkpoints, List<String> problems) {
    }

    private final Path file;
    private final Path archiveDir;
    private final byte[] key;
    private final long rotateBytes;
    private final Clock clock;
    private CheckpointCopy copy;
    /** The current file's generation, -1 until the file has been looked at. */
    private long gen = -1;
    /** The month of the current file's first line; null when unknown or the file is empty. */
    private YearMonth fileMonth;
    /** One Mac per thread: a file of tens of thousands of lines is checked line by line. */
    private final ThreadLocal<Mac> macs;

    public Checkpoints(Path file, byte[] key) {
        this(file, key, 16L << 20, Clock.systemUTC());
    }

    /** {@code rotateBytes}: the size from which the next line starts a new file; 0 rotates by month only. */
    public Checkpoints(Path file, byte[] key, long rotateBytes, Clock clock) {
        this.file = file.toAbsolutePath();
        this.archiveDir = this.file.getParent().resolve("archive");
        this.key = key;
        this.macs = ThreadLocal.withInitial(() -> mac(key));
        this.rotateBytes = rotateBytes;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    public Path archiveDir() {
        return archiveDir;
    }

    /** Every line appended from now on is also handed to {@code copy}. */
    synchronized void copyTo(CheckpointCopy copy) {
        this.copy = copy;
    }

    /**
     * Looks at the current file once: its generation and month. When it is missing or empty but archives exist
     * (a rename done and the new file not yet written when the process stopped), writes the rotation line for the
     * newest archive, so the chain of files stays whole.
     */
    public synchronized void open() throws IOException {
        if (gen >= 0) {
            return;
        }
        if (Files.exists(file) && Files.size(file) > 0) {
            Contents c = read();
            gen = c.generation();
            fileMonth = c.valid().isEmpty() ? null : month(c.valid().get(0).at());
            return;
        }
        gen = 0;
        Path newest = null;
        long newestGen = -1;
        for (Path a : archives()) {
            long g = generationOf(a);
            if (g > newestGen || (g == newestGen && a.getFileName().toString().compareTo(
                    newest.getFileName().toString()) > 0)) {
                newest = a;
                newestGen = g;
            }
        }
        if (newest != null) {
            gen = newestGen + 1;
            byte[] bytes = Files.readAllBytes(newest);
            String line = write(rotationLine(newest.getFileName().toString(), bytes, clock.instant()));
            LOG.info("audit checkpoint " + line + " (the rotation line of " + newest.getFileName()
                    + " was missing)");
        }
    }

    /** Appends one signed line (after rotating the file when it is due) and forces it to disk; returns the line. */
    public synchronized String append(Checkpoint cp) throws IOException {
        open();
        Instant now = clock.instant();
        if (rotationDue(now)) {
            try {
                rotate(now);
            } catch (IOException e) {
                // the checkpoint itself must not be lost: look at the files again (the old file kept, or a renamed
                // one given its rotation line) and append there
                LOG.error("the audit checkpoint file could not be rotated: " + e);
                gen = -1;
                open();
            }
        }
        return write(cp.inGeneration(gen));
    }

    private boolean rotationDue(Instant now) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        long size = Files.size(file);
        if (size == 0) {
            return false;
        }
        return (rotateBytes > 0 && size >= rotateBytes) || (fileMonth != null && !fileMonth.equals(month(now)));
    }

    /**
     * Renames the current file into the archive (owner-only, forced, both folders forced) and begins a new one with
     * the signed rotation line.
     */
    private void rotate(Instant now) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        YearMonth m = fileMonth != null ? fileMonth : month(now);
        if (!Files.isDirectory(archiveDir)) {
            Files.createDirectories(archiveDir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            forceDir(file.getParent());
        }
        String base = "checkpoints-" + m;
        Path target = archiveDir.resolve(base + ".log");
        for (int n = 2; Files.exists(target); n++) {
            target = archiveDir.resolve(base + "-" + n + ".log");
        }
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        forceDir(archiveDir);
        forceDir(file.getParent());
        gen++;
        fileMonth = null;
        String line = write(rotationLine(target.getFileName().toString(), bytes, now));
        LOG.info("audit checkpoint " + line);
    }

    /** The rotation line of generation {@link #gen} for the archived file {@code name} with content {@code bytes}. */
    private Checkpoint rotationLine(String name, byte[] bytes, Instant now) {
        Contents c = parseFile(new String(bytes, StandardCharsets.UTF_8));
        Checkpoint head = c.latestHead();
        Checkpoint ret = c.latestRetention();
        long lines = c.lines().stream().filter(l -> !l.isBlank()).count();
        // lines that were already wrong are counted here, so sealing the file cannot launder them
        long bad = c.badLines().size() + c.problems().size();
        return new Checkpoint(Kind.rotation, head == null ? 0 : head.seq(), head == null ? NO_HEAD : head.head(), now,
                c.keyedFrom(), ret == null ? 0 : ret.from(), ret == null ? 0 : ret.to(), gen,
                new Rotation(name, sha256(bytes), lines, bad, head == null ? null : head.at(),
                        ret == null ? null : ret.head()));
    }

    private String write(Checkpoint cp) throws IOException {
        String line = cp.payload() + " sig=" + sign(cp.payload());
        boolean created = false;
        if (!Files.exists(file)) {
            Path dir = file.getParent();
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                created = true;
            } catch (FileAlreadyExistsException ignored) {
                // created meanwhile
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        if (created) {
            forceDir(file.getParent());
        }
        if (fileMonth == null) {
            fileMonth = month(cp.at());
        }
        if (copy != null) {
            copy.offer(line);
        }
        return line;
    }

    /** The current file, every line checked (outside the lock: appends wait only for the read). */
    public Contents read() throws IOException {
        String text;
        synchronized (this) {
            text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        return parseFile(text);
    }

    /** The current file's lines as written (for the copy). */
    synchronized List<String> currentLines() throws IOException {
        return Files.exists(file) ? nonBlank(Files.readAllLines(file, StandardCharsets.UTF_8)) : List.of();
    }

    /** The lines of the archive the current file's rotation line names; empty when there is none. */
    synchronized List<String> newestArchiveLines() throws IOException {
        List<String> current = currentLines();
        Checkpoint r = current.isEmpty() ? null : parse(current.get(0));
        if (r == null || r.kind() != Kind.rotation) {
            return List.of();
        }
        Path a = archiveDir.resolve(r.rotation().archive());
        return Files.exists(a) ? nonBlank(Files.readAllLines(a, StandardCharsets.UTF_8)) : List.of();
    }

    private static List<String> nonBlank(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private Contents parseFile(String text) {
        List<Checkpoint> valid = new ArrayList<>();
        List<Integer> bad = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
        int first = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            first = first < 0 ? i : first;
            Checkpoint cp = parse(line);
            if (cp == null) {
                bad.add(i + 1);
                continue;
            }
            if (cp.kind() == Kind.rotation && i != first) {
                problems.add("line " + (i + 1) + " is a rotation line but not the file's first");
            }
            valid.add(cp);
        }
        Contents c = new Contents(valid, bad, problems, nonBlank(lines), clock.instant());
        long g = c.generation();
        if (g > 0 && c.rotation() == null) {
            problems.add("its lines belong to generation " + g + " but the rotation line that began it is missing");
        }
        for (Checkpoint cp : valid) {
            if (cp.gen() != g) {
                problems.add("a line of generation " + cp.gen() + " (seq " + cp.seq() + ") is in the file of "
                        + "generation " + g);
                break;
            }
        }
        return c;
    }

    /**
     * Follows the chain of archives from the current file's rotation line back to the first file: every archive
     * must be there with the SHA-256 its successor signed, and begin with the rotation line of the generation before
     * it. Only the archives' bytes are hashed and their first lines read; their checkpoints were carried forward.
     */
    public ArchiveCheck checkArchives(Contents current) throws IOException {
        List<String> problems = new ArrayList<>();
        int files = 0;
        long bytes = 0;
        long checkpoints = 0;
        Checkpoint r = current.rotation();
        if (r == null) {
            List<Path> present = archives();
            if (current.generation() == 0 && !present.isEmpty()) {
                problems.add(archiveDir.getFileName() + "/ holds " + present.size() + " archived checkpoint file(s) "
                        + "but " + file.getFileName() + " names none: the rotation line that began it was removed");
            }
            return new ArchiveCheck(0, 0, 0, problems);
        }
        while (r != null) {
            String name = r.rotation().archive();
            Path a = archiveDir.resolve(name);
            if (!Files.isRegularFile(a)) {
                problems.add("archive " + name + " (generation " + (r.gen() - 1) + ", named by the rotation line of "
                        + "generation " + r.gen() + ") is missing");
                break;
            }
            MessageDigest d = sha256();
            byte[] firstLine = new byte[0];
            try (InputStream in = Files.newInputStream(a)) {
                byte[] buf = new byte[1 << 16];
                java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
                boolean headDone = false;
                int n;
                while ((n = in.read(buf)) > 0) {
                    d.update(buf, 0, n);
                    bytes += n;
                    for (int i = 0; i < n && !headDone; i++) {
                        if (buf[i] == '\n' || head.size() > 8192) {
                            headDone = true;
                        } else {
                            head.write(buf[i]);
                        }
                    }
                }
                firstLine = head.toByteArray();
            }
            files++;
            checkpoints += r.rotation().lines();
            if (!HexFormat.of().formatHex(d.digest()).equals(r.rotation().sha256())) {
                problems.add("archive " + name + " was altered: its SHA-256 is not the one signed when it was "
                        + "archived");
                break;
            }
            if (r.rotation().bad() > 0) {
                problems.add("archive " + name + " held " + r.rotation().bad() + " invalid or misplaced line(s) when "
                        + "it was archived");
            }
            if (r.gen() == 1) {
                break;
            }
            Checkpoint before = parse(new String(firstLine, StandardCharsets.UTF_8).strip());
            if (before == null || before.kind() != Kind.rotation || before.gen() != r.gen() - 1) {
                problems.add("archive " + name + " does not begin with the rotation line of generation "
                        + (r.gen() - 1));
                break;
            }
            r = before;
        }
        return new ArchiveCheck(files, bytes, checkpoints, problems);
    }

    /** The archived checkpoint files present. */
    List<Path> archives() throws IOException {
        if (!Files.isDirectory(archiveDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(archiveDir)) {
            return s.filter(p -> ARCHIVE_NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /** An archive's generation: that of its rotation line, 0 without one. */
    private long generationOf(Path archive) throws IOException {
        try (java.io.BufferedReader r = Files.newBufferedReader(archive, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            Checkpoint cp = first == null ? null : parse(first.strip());
            return cp == null ? 0 : cp.gen();
        }
    }

    /** The checkpoint of a line, or null when it is malformed or its signature does not hold. */
    Checkpoint parse(String line) {
        int sigAt = line.lastIndexOf(" sig=");
        if (sigAt < 0) {
            return null;
        }
        String payload = line.substring(0, sigAt);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(line.substring(sigAt + 5));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!MessageDigest.isEqual(given, HexFormat.of().parseHex(sign(payload)))) {
            return null;
        }
        try {
            Map<String, String> f = new HashMap<>();
            for (String part : payload.split(" ")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    f.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            Kind kind = Kind.valueOf(f.get("kind"));
            Rotation rotation = null;
            if (kind == Kind.rotation) {
                String name = f.get("archive");
                if (name == null || !ARCHIVE_NAME.matcher(name).matches()) {
                    return null;
                }
                rotation = new Rotation(name, f.get("sha256"), Long.parseLong(f.get("lines")),
                        Long.parseLong(f.get("bad")), f.containsKey("headAt") ? Instant.parse(f.get("headAt")) : null,
                        f.get("retainedHead"));
            }
            Checkpoint cp = new Checkpoint(kind, Long.parseLong(f.get("seq")), f.get("head"),
                    Instant.parse(f.get("at")), Long.parseLong(f.get("keyedFrom")),
                    f.containsKey("from") ? Long.parseLong(f.get("from")) : 0,
                    f.containsKey("to") ? Long.parseLong(f.get("to")) : 0,
                    f.containsKey("gen") ? Long.parseLong(f.get("gen")) : 0, rotation);
            if (kind == Kind.rotation && cp.gen() < 1) {
                return null;
            }
            return cp.payload().equals(payload) ? cp : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String sign(String payload) {
        Mac mac = macs.get();
        mac.update("baga-audit-checkpoint|".getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static YearMonth month(Instant t) {
        return YearMonth.from(t.atZone(ZoneOffset.UTC));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** Forces a folder's entries (a rename, a new file) to disk. */
    static void forceDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
