package kz.baga.service.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed checkpoints of the audit chain, kept outside the database: one line per checkpoint, appended and
 * forced to disk. A checkpoint says that record {@code seq} had hash {@code head} at {@code at} (kind
 * {@code head}), or that retention deleted records {@code from..to}, the last of which had hash {@code head}
 * (kind {@code retention}). Each line carries an HMAC-SHA256 signature with the audit key, so neither the database
 * nor anyone without the key can forge or alter one.
 */
public final class Checkpoints {

    public enum Kind { head, retention }

    /**
     * One checkpoint. {@code keyedFrom}: the first record id chained with the key (records from there on must
     * carry HMAC hashes), 0 while unknown.
     */
    public record Checkpoint(Kind kind, long seq, String head, Instant at, long keyedFrom, long from, long to) {

        String payload() {
            return "v1 kind=" + kind + " seq=" + seq + " head=" + head + " at=" + at + " keyedFrom=" + keyedFrom
                    + (kind == Kind.retention ? " from=" + from + " to=" + to : "");
        }
    }

    /** What the file holds: the checkpoints whose signature holds, and the lines whose signature does not. */
    public record Contents(List<Checkpoint> valid, List<Integer> badLines) {
    }

    private final Path file;
    private final byte[] key;

    public Checkpoints(Path file, byte[] key) {
        this.file = file;
        this.key = key;
    }

    public Path file() {
        return file;
    }

    /** Appends one signed line and forces it to disk; returns the line. */
    public synchronized String append(Checkpoint cp) throws IOException {
        String line = cp.payload() + " sig=" + sign(cp.payload()) + "\n";
        if (!Files.exists(file)) {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException ignored) {
                // created meanwhile
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        return line.strip();
    }

    public synchronized Contents read() throws IOException {
        List<Checkpoint> valid = new ArrayList<>();
        List<Integer> bad = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Contents(valid, bad);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            Checkpoint cp = parse(line);
            if (cp == null) {
                bad.add(i + 1);
            } else {
                valid.add(cp);
            }
        }
        return new Contents(valid, bad);
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
            java.util.Map<String, String> f = new java.util.HashMap<>();
            for (String part : payload.split(" ")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    f.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            Kind kind = Kind.valueOf(f.get("kind"));
            Checkpoint cp = new Checkpoint(kind, Long.parseLong(f.get("seq")), f.get("head"),
                    Instant.parse(f.get("at")), Long.parseLong(f.get("keyedFrom")),
                    kind == Kind.retention ? Long.parseLong(f.get("from")) : 0,
                    kind == Kind.retention ? Long.parseLong(f.get("to")) : 0);
            return cp.payload().equals(payload) ? cp : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update("baga-audit-checkpoint|".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
