package kz.baga.jobs.incremental;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.SnapshotManifest.InputFile;
import kz.baga.jobs.ingest.IngestStage;
import kz.baga.jobs.ingest.InputFolder;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.SnapshotStore;
import kz.baga.jobs.snapshot.ValidatedFiles;
import org.apache.hadoop.fs.Path;

/**
 * Whether a run can be incremental, and what changed: the input compared with the manifest of the warehouse's
 * current snapshot. Incremental when the rules, the reference files, the student-id key, the sources' specs and
 * Baga's validation are as they were, every database source is read by a growing column ({@link GrowingTables}),
 * and the validated rows of every event file, old and new, are at hand in {@code _validated/}; then only event
 * files were added, changed or removed, or rows added to those tables. Full otherwise, with the reason.
 *
 * <p>Files are named as {@code rejected_events.file} and {@code grade_events.file} name them (the source's folder
 * and the file's name), which is how the rows of a file are found again.
 *
 * @param previous the current snapshot's id and manifest (incremental runs only)
 * @param files    every event file of the input as its rows name it → its SHA-256, and every read of a database
 *                 table ({@link GrowingTables}) (incremental runs only)
 * @param reads    what is read of the database tables (incremental runs only)
 */
public record ChangePlan(boolean incremental, String reason, String previous, SnapshotManifest previousManifest,
                         String context, Map<String, String> files, List<String> added, List<String> changed,
                         List<String> removed, GrowingTables.Reads reads) {

    public static ChangePlan full(String reason) {
        return new ChangePlan(false, reason, null, null, null, Map.of(), List.of(), List.of(), List.of(), null);
    }

    /** @param env where a database source's connection variables are read */
    public static ChangePlan of(SnapshotStore store, ValidatedFiles validated, InputFolder input,
                                Map<String, InputFile> checksums, Rules rules, String keyFingerprint, String context,
                                Map<String, String> env) throws IOException {
        Optional<String> current = store.current();
        if (current.isEmpty()) {
            return full("the warehouse has no snapshot yet");
        }
        Optional<SnapshotManifest> found = store.manifest(current.get());
        if (found.isEmpty()) {
            return full("the current snapshot " + current.get() + " has no manifest");
        }
        SnapshotManifest previous = found.get();
        SnapshotManifest.Run run = previous.run();
        if (run == null || run.validatedContext() == null || run.validatedFiles() == null
                || !store.hasState(current.get(), IngestStage.DUPLICATES_STATE)
                || !store.hasState(current.get(), IngestStage.FILE_COUNTS_STATE)
                || !store.hasState(current.get(), IngestStage.REFERENCE_STATE)) {
            return full("the current snapshot kept no validated rows or counts to build on");
        }
        if (previous.rules() == null || !previous.rules().sha256().equals(rules.sha256())) {
            return full("the rules changed (" + (previous.rules() == null ? "none" : previous.rules().version())
                    + " → " + rules.version() + ")");
        }
        if (previous.studentIdKey() == null || !previous.studentIdKey().fingerprint().equals(keyFingerprint)) {
            return full("the student-id key changed");
        }
        Map<String, InputFile> before = previous.input() == null ? Map.of() : previous.input().files();
        for (String ref : InputFolder.REFERENCE_FILES) {
            InputFile now = checksums.get(ref);
            InputFile then = before.get(ref);
            if (then == null || now == null || !then.sha256().equals(now.sha256())) {
                return full(ref + " changed");
            }
        }
        if (!run.validatedContext().equals(context)) {
            return full("a source's manifest or Baga's validation changed");
        }
        Map<String, String> files = eventFiles(input, checksums);
        if (files == null) {
            return full("two event files of one source have the same name in different folders");
        }
        Map<String, String> old = run.validatedFiles();
        GrowingTables.Reads reads = GrowingTables.after(input, env, run.databaseReads(), old);
        if (reads.fullReason() != null) {
            return full(reads.fullReason());
        }
        files.putAll(reads.slices());
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            String was = old.get(f.getKey());
            if (was == null) {
                added.add(f.getKey());
            } else if (!was.equals(f.getValue())) {
                changed.add(f.getKey());
            } else if (!validated.has(context, f.getKey(), f.getValue())) {
                return full("the validated rows of " + f.getKey() + " are missing from " + ValidatedFiles.DIR + "/");
            }
        }
        for (Map.Entry<String, String> f : old.entrySet()) {
            if (!files.containsKey(f.getKey())) {
                removed.add(f.getKey());
            }
            if ((!files.containsKey(f.getKey()) || changed.contains(f.getKey()))
                    && !validated.has(context, f.getKey(), f.getValue())) {
                return full("the validated rows of the previous " + f.getKey() + " are missing from "
                        + ValidatedFiles.DIR + "/");
            }
        }
        return new ChangePlan(true, null, current.get(), previous, context, files, added, changed, removed, reads);
    }

    /**
     * Every event file of the input's file sources as its rows name it (folder/name) → SHA-256; null when two
     * files would have the same name (a source whose pattern reaches into subfolders), which rows cannot tell apart.
     */
    public static Map<String, String> eventFiles(InputFolder input, Map<String, InputFile> checksums) {
        Map<String, String> out = new TreeMap<>();
        for (InputFolder.Source s : input.sources()) {
            for (Path p : s.files()) {
                String rel = input.root().toUri().relativize(p.toUri()).toString();
                InputFile f = checksums.get(rel);
                if (f == null || out.put(s.folder() + "/" + p.getName(), f.sha256()) != null) {
                    return null;
                }
            }
        }
        return out;
    }

    /** The files to parse: the added and the changed ones. */
    public List<String> toParse() {
        List<String> out = new ArrayList<>(added);
        out.addAll(changed);
        return out;
    }

    /** Unchanged files, read from their validated rows. */
    public List<String> unchanged() {
        List<String> out = new ArrayList<>();
        files.keySet().stream().filter(f -> !added.contains(f) && !changed.contains(f)).forEach(out::add);
        return out;
    }

    public String describe() {
        if (!incremental) {
            return "full run: " + reason;
        }
        return "incremental run on snapshot " + previous + ": " + (added.size() + changed.size() + removed.size())
                + " of " + files.size() + " event files changed (" + added.size() + " new, " + changed.size()
                + " changed, " + removed.size() + " removed)" + (reads.records().isEmpty() ? ""
                : "; " + reads.newRows() + " new row(s) in " + String.join(", ", reads.records().keySet()));
    }

    /** The manifest's record of this run; {@code out} is what an incremental run recomputed (null for full). */
    public SnapshotManifest.Run run(IncrementalRun.Outcome out) {
        if (!incremental) {
            return new SnapshotManifest.Run("full", reason, null, null, null, null, null, null, null, null, null,
                    null, null);
        }
        return new SnapshotManifest.Run("incremental", null, previous, files.size(), added.size(), changed.size(),
                removed.size(), out.schools(), out.pupils(), out.classes(), out.reusedSchools(), null, null);
    }
}
