package kz.baga.jobs.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;

/**
 * The validated rows of every event file a run read (accepted, rejected with their reasons, with file and line),
 * kept in the warehouse so that a later run reads an unchanged file from here instead of parsing it again:
 * {@code _validated/CONTEXT/file=FILE/sha256=SHA/*.parquet}, where FILE is the file as {@code rejected_events.file}
 * names it and SHA its content's SHA-256.
 *
 * <p>CONTEXT is a digest of everything besides a file's bytes that decided its rows: the rules, the reference files,
 * the student-id key, the sources' manifests and Baga's own ingest code. Rows validated under another context are
 * never mixed in; that folder is simply not found.
 */
public final class ValidatedFiles {

    public static final String DIR = "_validated";
    /**
     * A database table read by its growing column is kept once per read, as {@code jdbc:TABLE@UPTO}: all of them
     * are rows of the file {@code jdbc:TABLE} (a table name has no {@code @}).
     */
    public static final String READ_SEPARATOR = "@";
    /** The ingest classes whose code decides the validated rows: a change to any of them starts a new context. */
    private static final List<String> INGEST_CLASSES = List.of("EventSources", "EventValidator", "FieldChecks",
            "NumberedCsv", "ReferenceData", "SourceSpec", "StudentIds");

    private final FileSystem fs;
    private final Path root;

    public ValidatedFiles(SnapshotStore store) throws IOException {
        this.root = new Path(store.root(), DIR);
        this.fs = root.getFileSystem(store.conf());
    }

    /**
     * @param parts what besides the bytes decided the rows (rules and reference checksums, key fingerprint, source
     *              specs), in a fixed order
     */
    public static String context(List<String> parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            for (String c : INGEST_CLASSES) {
                try (InputStream in = ValidatedFiles.class.getResourceAsStream("/kz/baga/jobs/ingest/" + c + ".class")) {
                    if (in == null) {
                        throw new IllegalStateException("class file of " + c + " not found");
                    }
                    md.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot digest the validation context: " + e.getMessage(), e);
        }
    }

    public Path contextPath(String context) {
        return new Path(root, context);
    }

    /** The folder of one file's rows ({@code file} as validated files name it: a file, or a read of a table). */
    public Path entry(String context, String file, String sha256) {
        return new Path(fileFolder(contextPath(context), file), "sha256=" + sha256);
    }

    /** The file whose rows a validated file holds: itself, or for a read of a table, the table's rows' file. */
    public static String fileOf(String key) {
        int at = key.indexOf(READ_SEPARATOR);
        return key.startsWith("jdbc:") && at > 0 ? key.substring(0, at) : key;
    }

    private static Path fileFolder(Path parent, String key) {
        return new Path(parent, "file=" + ExternalCatalogUtils.escapePathName(fileOf(key)));
    }

    public boolean has(String context, String file, String sha256) throws IOException {
        return fs.isDirectory(entry(context, file, sha256));
    }

    /** Whether an entry holds any rows (a file of only a header leaves an entry without Parquet files). */
    public boolean hasRows(Path entry) throws IOException {
        for (FileStatus s : fs.listStatus(entry)) {
            if (s.getPath().getName().endsWith(".parquet")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves a run's staged rows ({@code file=FILE/} folders written partitioned by {@code file}) into the store
     * once its snapshot is committed. Every file of {@code files} gets an entry, an empty one if it gave no rows,
     * so that a missing entry always means lost rows, never "no rows".
     *
     * @param files the file as the rows name it → its SHA-256
     */
    public void adopt(Path staged, String context, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = entry(context, f.getKey(), f.getValue());
            if (fs.exists(target)) {
                continue;
            }
            fs.mkdirs(target.getParent());
            Path from = fileFolder(staged, f.getKey());
            if (fs.exists(from)) {
                if (!fs.rename(from, target)) {
                    throw new IOException("could not move " + from + " to " + target);
                }
            } else {
                fs.mkdirs(target);
            }
        }
    }

    /**
     * Removes the entries no kept snapshot was made from (and contexts left empty), so that {@code --keep} bounds
     * this folder as it bounds the snapshots.
     *
     * @param kept {@link #entry} paths named by the snapshots that are kept
     * @return how many entries were removed
     */
    public int retain(Set<Path> kept) throws IOException {
        if (!fs.exists(root)) {
            return 0;
        }
        Set<String> keep = new java.util.HashSet<>();
        kept.forEach(p -> keep.add(fs.makeQualified(p).toString()));
        int removed = 0;
        for (FileStatus ctx : fs.listStatus(root)) {
            int left = 0;
            for (FileStatus file : fs.listStatus(ctx.getPath())) {
                int shasLeft = 0;
                for (FileStatus sha : fs.listStatus(file.getPath())) {
                    if (keep.contains(fs.makeQualified(sha.getPath()).toString())) {
                        shasLeft++;
                    } else {
                        fs.delete(sha.getPath(), true);
                        removed++;
                    }
                }
                if (shasLeft == 0) {
                    fs.delete(file.getPath(), true);
                } else {
                    left++;
                }
            }
            if (left == 0) {
                fs.delete(ctx.getPath(), true);
            }
        }
        return removed;
    }
}
