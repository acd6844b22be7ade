package kz.baga.jobs.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.baga.contract.SnapshotManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The input folder of docs/pipeline.md ("Input layout"): {@code schools.csv}, {@code students.csv},
 * {@code subjects.csv}, {@code events/*.csv} (or {@code events/*.parquet}) and {@code sources/NAME/manifest.json}.
 * Checks what must be there before Spark starts reading, so a wrong path fails at once with a message that says
 * what is missing.
 */
public final class InputFolder {

    public static final List<String> REFERENCE_FILES = List.of("schools.csv", "students.csv", "subjects.csv");

    /**
     * A source: its spec and the files it reads (empty for a database source); {@code range} limits what a run
     * reads of a database table with a growing column (null: the whole table).
     */
    public record Source(SourceSpec spec, String folder, List<Path> files, TableRange range) {

        public Source(SourceSpec spec, String folder, List<Path> files) {
            this(spec, folder, files, null);
        }
    }

    private final FileSystem fs;
    private final Path root;
    private final List<Source> sources;
    private final List<Path> emptyFiles;

    private InputFolder(FileSystem fs, Path root, List<Source> sources, List<Path> emptyFiles) {
        this.fs = fs;
        this.root = root;
        this.sources = sources;
        this.emptyFiles = emptyFiles;
    }

    public static InputFolder open(String location, Configuration conf) {
        Path root = new Path(location);
        FileSystem fs;
        try {
            fs = FileSystem.get(URI.create(location.contains("://") ? location : root.toUri().toString()), conf);
            root = fs.makeQualified(root);
            if (!fs.exists(root)) {
                throw new InputException("input folder " + location + " does not exist (make one with ./baga generate --out "
                        + location + ")");
            }
            if (!fs.getFileStatus(root).isDirectory()) {
                throw new InputException("input " + location + " is not a folder");
            }
            for (String ref : REFERENCE_FILES) {
                Path p = new Path(root, ref);
                if (!fs.exists(p) || fs.getFileStatus(p).isDirectory()) {
                    throw new InputException("input folder " + location + " has no " + ref
                            + " (expected schools.csv, students.csv, subjects.csv, events/, sources/)");
                }
            }
            List<Source> sources = new ArrayList<>();
            List<Path> empty = new ArrayList<>();
            Path events = new Path(root, "events");
            if (fs.exists(events)) {
                List<Path> files = list(fs, events, "*.csv", empty);
                if (!files.isEmpty()) {
                    sources.add(new Source(SourceSpec.canonicalEvents(), "events", files));
                }
                List<Path> parquet = list(fs, events, "*.parquet", empty);
                if (!parquet.isEmpty()) {
                    sources.add(new Source(SourceSpec.canonicalParquetEvents(), "events", parquet));
                }
            }
            Path sourcesDir = new Path(root, "sources");
            if (fs.exists(sourcesDir)) {
                FileStatus[] dirs = fs.listStatus(sourcesDir);
                Arrays.sort(dirs, Comparator.comparing(s -> s.getPath().getName()));
                for (FileStatus dir : dirs) {
                    if (!dir.isDirectory()) {
                        continue;
                    }
                    String name = dir.getPath().getName();
                    Path manifest = new Path(dir.getPath(), "manifest.json");
                    if (!fs.exists(manifest)) {
                        throw new InputException("sources/" + name + " has no manifest.json (see README: Input layout)");
                    }
                    SourceSpec spec = SourceSpec.parse(readString(fs, manifest), "sources/" + name + "/manifest.json");
                    if (spec.name().isEmpty()) {
                        spec = spec.withName(name);
                    }
                    int emptyBefore = empty.size();
                    List<Path> files = spec.isJdbc() ? List.of() : list(fs, dir.getPath(), spec.filesGlob(), empty);
                    if (!spec.isJdbc() && files.isEmpty() && empty.size() == emptyBefore) {
                        throw new InputException("sources/" + name + ": no files match \"" + spec.filesGlob() + "\"");
                    }
                    if (spec.isJdbc() || !files.isEmpty()) {
                        sources.add(new Source(spec, "sources/" + name, files));
                    }
                }
            }
            if (sources.isEmpty()) {
                throw new InputException("input folder " + location
                        + " has no events/*.csv, no events/*.parquet and no sources/*/manifest.json");
            }
            return new InputFolder(fs, root, sources, empty);
        } catch (IOException e) {
            throw new InputException("cannot read input folder " + location + ": " + e.getMessage(), e);
        }
    }

    /** Files matching {@code glob} with content; 0-byte ones (nothing to read) go to {@code empty}. */
    private static List<Path> list(FileSystem fs, Path dir, String glob, List<Path> empty) throws IOException {
        FileStatus[] matches = fs.globStatus(new Path(dir, glob));
        List<Path> out = new ArrayList<>();
        if (matches != null) {
            Arrays.sort(matches, Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus s : matches) {
                if (s.isFile() && s.getLen() > 0) {
                    out.add(s.getPath());
                } else if (s.isFile()) {
                    empty.add(s.getPath());
                }
            }
        }
        return out;
    }

    private static String readString(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public FileSystem fs() {
        return fs;
    }

    public Path root() {
        return root;
    }

    public Path reference(String name) {
        return new Path(root, name);
    }

    public List<Source> sources() {
        return sources;
    }

    /**
     * Bytes of the event files the sources read, Parquet counted eightfold (it holds the same events in about an
     * eighth of the bytes of CSV), as a measure of how much work a run is; -1 when a source reads a database, whose
     * size cannot be seen from here, or a file cannot be looked at.
     */
    public long eventBytes() {
        long total = 0;
        try {
            for (Source s : sources) {
                if (s.spec().isJdbc()) {
                    return -1;
                }
                for (Path p : s.files()) {
                    total += fs.getFileStatus(p).getLen() * (s.spec().isParquet() ? 8 : 1);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /**
     * The same folder with only the named event files (named as their rows name them: the source's folder and the
     * file's name, or {@code jdbc:TABLE} for a database source); sources left without files are dropped. What an
     * incremental run parses.
     */
    public InputFolder only(java.util.Collection<String> files) {
        List<Source> kept = new ArrayList<>();
        for (Source s : sources) {
            if (s.spec().isJdbc()) {
                if (files.contains(s.spec().databaseFile())) {
                    kept.add(s);
                }
                continue;
            }
            List<Path> some = s.files().stream().filter(p -> files.contains(s.folder() + "/" + p.getName())).toList();
            if (!some.isEmpty()) {
                kept.add(new Source(s.spec(), s.folder(), some));
            }
        }
        return new InputFolder(fs, root, kept, List.of());
    }

    /** The same folder with each database source limited to its range (by {@link SourceSpec#databaseFile()}). */
    public InputFolder withRanges(Map<String, TableRange> ranges) {
        List<Source> out = new ArrayList<>();
        for (Source s : sources) {
            TableRange r = s.spec().isJdbc() ? ranges.get(s.spec().databaseFile()) : null;
            out.add(r == null ? s : new Source(s.spec(), s.folder(), s.files(), r));
        }
        return new InputFolder(fs, root, out, emptyFiles);
    }

    /** Input files of 0 bytes: not read (no header, no rows), but listed in the manifest with the run's inputs. */
    public List<Path> emptyFiles() {
        return emptyFiles;
    }

    /**
     * Every input file with its size and SHA-256 (for the manifest: which bytes made this snapshot); an empty file
     * is listed too, with {@code rows} 0, so that a delivery that came empty is seen, not missed. The sums let
     * anyone prove what a snapshot was made from.
     */
    public Map<String, SnapshotManifest.InputFile> checksums() {
        Map<String, SnapshotManifest.InputFile> out = new LinkedHashMap<>();
        List<Path> all = new ArrayList<>();
        REFERENCE_FILES.forEach(r -> all.add(reference(r)));
        for (Source s : sources) {
            all.addAll(s.files());
        }
        all.addAll(emptyFiles);
        byte[] buf = new byte[1 << 16];
        for (Path p : all) {
            try (InputStream in = fs.open(p)) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                long size = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    size += n;
                }
                String rel = root.toUri().relativize(p.toUri()).toString();
                String sha = HexFormat.of().formatHex(md.digest());
                out.put(rel, new SnapshotManifest.InputFile(size, sha, emptyFiles.contains(p) ? 0L : null));
            } catch (IOException | NoSuchAlgorithmException e) {
                throw new InputException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
