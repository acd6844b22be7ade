package kz.baga.jobs.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.Snapshots;
import kz.baga.contract.Table;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * A warehouse folder (local path, {@code hdfs://} or {@code s3a://}): snapshots are written completely under
 * {@code snapshots/ID/}, then {@code CURRENT} is replaced in one atomic step, so readers only ever see committed
 * snapshots and a run that dies half-way changes nothing they see.
 */
public final class SnapshotStore {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final FileSystem fs;
    private final Path root;
    private final Configuration conf;

    private SnapshotStore(FileSystem fs, Path root, Configuration conf) {
        this.fs = fs;
        this.root = root;
        this.conf = conf;
    }

    public static SnapshotStore open(String location, Configuration conf) throws IOException {
        Path p = new Path(location);
        FileSystem fs = FileSystem.get(location.contains("://") ? URI.create(location) : p.toUri(), conf);
        Path root = fs.makeQualified(p);
        fs.mkdirs(new Path(root, Snapshots.SNAPSHOTS_DIR));
        return new SnapshotStore(fs, root, conf);
    }

    /** Time-ordered and unique: {@code 20261124T223000Z-3f9a1c}. */
    public String newSnapshotId() {
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        return ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(r);
    }

    public Path root() {
        return root;
    }

    public Configuration conf() {
        return conf;
    }

    /** The manifest of a committed snapshot; empty when the snapshot has none (not committed, or gone). */
    public Optional<SnapshotManifest> manifest(String id) throws IOException {
        Path p = new Path(snapshotPath(id), Snapshots.MANIFEST);
        if (!fs.exists(p)) {
            return Optional.empty();
        }
        try (InputStream in = fs.open(p)) {
            return Optional.of(JSON.readValue(in, SnapshotManifest.class));
        }
    }

    /** Ids of the committed snapshots (those with a manifest), oldest first. */
    public List<String> committed() throws IOException {
        List<String> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(new Path(root, Snapshots.SNAPSHOTS_DIR))) {
            if (s.isDirectory() && fs.exists(new Path(s.getPath(), Snapshots.MANIFEST))) {
                out.add(s.getPath().getName());
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Makes {@code to} hold the same files as {@code from} without rewriting them: hard links on a local file
     * system (no bytes copied, and the two snapshots stay independent: removing one keeps the other's files),
     * a copy elsewhere.
     */
    public void carryOver(Path from, Path to) throws IOException {
        if ("file".equals(root.toUri().getScheme())) {
            java.nio.file.Path src = java.nio.file.Path.of(from.toUri());
            java.nio.file.Path dst = java.nio.file.Path.of(to.toUri());
            try (java.util.stream.Stream<java.nio.file.Path> walk = Files.walk(src)) {
                for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) walk::iterator) {
                    java.nio.file.Path target = dst.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.createLink(target, p);
                    }
                }
            }
        } else {
            org.apache.hadoop.fs.FileUtil.copy(fs, from, fs, to, false, true, conf);
        }
    }

    public Path snapshotPath(String id) {
        return new Path(root, Snapshots.snapshotPath(id));
    }

    public Path tablePath(String id, Table table) {
        return new Path(root, Snapshots.tablePath(id, table));
    }

    /**
     * What an incremental run needs of a snapshot besides its tables (e.g. the events delivered more than once):
     * {@code snapshots/ID/_incremental/NAME}, committed and removed with the snapshot; readers of the tables never
     * look there.
     */
    public Path statePath(String id, String name) {
        return new Path(snapshotPath(id), "_incremental/" + name);
    }

    public boolean hasState(String id, String name) throws IOException {
        return fs.exists(statePath(id, name));
    }

    /** Scratch space of a run, removed when the run ends. */
    public Path workPath(String id) {
        return new Path(root, "_work/" + id);
    }

    public Optional<String> current() throws IOException {
        Path current = new Path(root, Snapshots.CURRENT);
        if (!fs.exists(current)) {
            return Optional.empty();
        }
        try (InputStream in = fs.open(current)) {
            String id = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        }
    }

    /** Writes the manifest into the snapshot, then points {@code CURRENT} at it atomically. */
    public void commit(String id, SnapshotManifest manifest) throws IOException {
        Path snapshot = snapshotPath(id);
        if (!fs.exists(snapshot)) {
            throw new IOException("snapshot " + id + " was not written");
        }
        writeBytes(new Path(snapshot, Snapshots.MANIFEST), JSON.writeValueAsBytes(manifest));
        Path tmp = new Path(root, "." + Snapshots.CURRENT + "." + id + ".tmp");
        writeBytes(tmp, (id + "\n").getBytes(StandardCharsets.UTF_8));
        Path current = new Path(root, Snapshots.CURRENT);
        if ("file".equals(root.toUri().getScheme())) {
            Files.move(java.nio.file.Path.of(tmp.toUri()), java.nio.file.Path.of(current.toUri()),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            FileContext.getFileContext(root.toUri(), conf).rename(tmp, current, Options.Rename.OVERWRITE);
        }
    }

    private void writeBytes(Path p, byte[] bytes) throws IOException {
        if ("file".equals(p.toUri().getScheme())) {
            // Plain NIO for local folders: no Hadoop .crc side files beside CURRENT and the manifest.
            Files.write(java.nio.file.Path.of(p.toUri()), bytes);
            return;
        }
        try (OutputStream out = fs.create(p, true)) {
            out.write(bytes);
        }
    }

    /**
     * Removes committed snapshots beyond the newest {@code keep} (never the current one) and abandoned partial
     * snapshots (no manifest) older than a day, which a killed run leaves behind.
     *
     * @return the ids removed
     */
    public List<String> prune(int keep) throws IOException {
        String current = current().orElse(null);
        FileStatus[] all = fs.listStatus(new Path(root, Snapshots.SNAPSHOTS_DIR));
        List<String> committed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        long dayAgo = System.currentTimeMillis() - 24L * 3600 * 1000;
        for (FileStatus s : all) {
            if (!s.isDirectory()) {
                continue;
            }
            String id = s.getPath().getName();
            if (fs.exists(new Path(s.getPath(), Snapshots.MANIFEST))) {
                committed.add(id);
            } else if (!id.equals(current) && s.getModificationTime() < dayAgo) {
                fs.delete(s.getPath(), true);
                removed.add(id);
            }
        }
        committed.sort(null);
        for (int i = 0; i < committed.size() - keep; i++) {
            String id = committed.get(i);
            if (!id.equals(current)) {
                fs.delete(snapshotPath(id), true);
                removed.add(id);
            }
        }
        return removed;
    }

    /** Rows of a written table, from the Parquet footers (no Spark job, no data read). */
    public long rowCount(Path table) throws IOException {
        long rows = 0;
        org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(table, true);
        while (files.hasNext()) {
            org.apache.hadoop.fs.LocatedFileStatus f = files.next();
            if (f.getPath().getName().endsWith(".parquet")) {
                try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
                        org.apache.parquet.hadoop.util.HadoopInputFile.fromStatus(f, conf))) {
                    rows += reader.getRecordCount();
                }
            }
        }
        return rows;
    }

    /**
     * Removes the work folders ({@code _work/ID}) of runs that were killed: those older than {@code before} (the
     * moment the running lock was taken) other than {@code currentId}. Only a run that holds the warehouse lock may
     * call this, so no live run's folder is among them.
     *
     * @return the ids removed
     */
    public List<String> cleanStaleWork(String currentId, long before) throws IOException {
        Path work = new Path(root, "_work");
        List<String> removed = new ArrayList<>();
        if (!fs.exists(work)) {
            return removed;
        }
        for (FileStatus s : fs.listStatus(work)) {
            String id = s.getPath().getName();
            if (!id.equals(currentId) && s.getModificationTime() < before) {
                fs.delete(s.getPath(), true);
                removed.add(id);
            }
        }
        return removed;
    }

    public void deleteQuietly(Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException ignored) {
            // scratch space only; a later prune or a person can remove it
        }
    }
}
