package kz.baga.jobs;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.SnapshotManifest.Counts;
import kz.baga.contract.SnapshotManifest.InputFile;
import kz.baga.jobs.incremental.ChangePlan;
import kz.baga.jobs.incremental.GrowingTables;
import kz.baga.jobs.incremental.IncrementalRun;
import kz.baga.jobs.ingest.Duplicates;
import kz.baga.jobs.ingest.IngestStage;
import kz.baga.jobs.ingest.InputFolder;
import kz.baga.jobs.ingest.StudentIds;
import kz.baga.jobs.marks.MarksStage;
import kz.baga.jobs.metrics.MetricsStage;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.SnapshotStore;
import kz.baga.jobs.snapshot.SnapshotWriter;
import kz.baga.jobs.snapshot.ValidatedFiles;
import kz.baga.jobs.snapshot.WarehouseLock;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The whole run: ingest → marks → metrics → snapshot. Every table is written into a new snapshot folder; only
 * when all are written, and the counts that must add up (read = accepted + rejected + merged) do, does
 * {@code CURRENT} move to it. Tables that do not depend on each other are written concurrently
 * ({@link SnapshotWriter}).
 */
public final class Pipeline {

    /**
     * What a run needs. {@code env} is the environment a JDBC source's variables are read from (the process's, or a
     * pipeline server's client's). {@code beforeCommit} lets tests inject a failure at the last moment.
     */
    public record Options(String input, String warehouse, Rules rules, String rulesLocation, StudentIds ids,
                          Map<String, String> env, int keepSnapshots, Consumer<String> progress,
                          Runnable beforeCommit, boolean waitForWarehouse, boolean full) {

        public Options(String input, String warehouse, Rules rules, String rulesLocation, StudentIds ids,
                       Map<String, String> env, int keepSnapshots, Consumer<String> progress, Runnable beforeCommit,
                       boolean waitForWarehouse) {
            this(input, warehouse, rules, rulesLocation, ids, env, keepSnapshots, progress, beforeCommit,
                    waitForWarehouse, false);
        }

        /** A run that is refused at once when another run holds the warehouse. */
        public Options(String input, String warehouse, Rules rules, String rulesLocation, StudentIds ids,
                       Map<String, String> env, int keepSnapshots, Consumer<String> progress, Runnable beforeCommit) {
            this(input, warehouse, rules, rulesLocation, ids, env, keepSnapshots, progress, beforeCommit, false,
                    false);
        }
    }

    /** Counts of one source. */
    public record SourceCounts(long read, long accepted, long rejected, long merged) {
    }

    public record Result(String snapshotId, Map<String, SourceCounts> sources, long referenceRejected,
                         Map<String, Long> rejectedByReason, Map<String, Long> tableRows,
                         Map<String, Long> stageMillis, long totalMillis, List<String> pruned,
                         SnapshotManifest.Run run) {

        public SourceCounts total() {
            long r = 0, a = 0, j = 0, m = 0;
            for (SourceCounts c : sources.values()) {
                r += c.read();
                a += c.accepted();
                j += c.rejected();
                m += c.merged();
            }
            return new SourceCounts(r, a, j, m);
        }
    }

    private final SparkSession spark;
    private final Options options;
    private final Map<String, Long> stageMillis = new LinkedHashMap<>();

    public Pipeline(SparkSession spark, Options options) {
        this.spark = spark;
        this.options = options;
    }

    public Result run() throws IOException {
        return run(InputFolder.open(options.input(), spark.sparkContext().hadoopConfiguration()));
    }

    /** Runs on an input folder the caller has already opened (the command opens it before Spark starts). */
    public Result run(InputFolder input) throws IOException {
        long start = System.nanoTime();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        SnapshotStore store = SnapshotStore.open(options.warehouse(), conf);
        // One run at a time per (local) warehouse: a second one would prune and clean under the first.
        try (WarehouseLock lock = "file".equals(store.root().toUri().getScheme())
                ? WarehouseLock.acquire(java.nio.file.Path.of(store.root().toUri()), options.waitForWarehouse(),
                        this::progress)
                : null) {
            String id = store.newSnapshotId();
            if (lock != null) {
                List<String> stale = store.cleanStaleWork(id, lock.started().toEpochMilli());
                if (!stale.isEmpty()) {
                    progress("removed the work folders of runs that did not finish: " + stale);
                }
            }
            return run(input, store, id, start);
        }
    }

    private Result run(InputFolder input, SnapshotStore store, String id, long start) throws IOException {
        String jobGroup = "baga-" + id;
        // No description: Spark then names each job by its call site, which the event log summaries rely on.
        spark.sparkContext().setJobGroup(jobGroup, null, true);
        ExecutorService background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "baga-checksums");
            t.setDaemon(true);
            return t;
        });
        ValidatedFiles validatedFiles = new ValidatedFiles(store);
        ChangePlan plan;
        Future<Map<String, InputFile>> checksums;
        if (options.full() || store.current().isEmpty()) {
            // Nothing to compare with: the checksums are read on a side thread while Spark parses the input.
            checksums = background.submit(input::checksums);
            plan = ChangePlan.full(options.full() ? "--full was given" : "the warehouse has no snapshot yet");
        } else {
            long t = System.nanoTime();
            Map<String, InputFile> sums = input.checksums();
            checksums = java.util.concurrent.CompletableFuture.completedFuture(sums);
            plan = ChangePlan.of(store, validatedFiles, input, sums, options.rules(), options.ids().keyFingerprint(),
                    context(input, sums), options.env());
            stage("compare", t);
        }
        progress(plan.describe());
        // A database table with a growing column is read up to its highest value now (past the last read when
        // incremental), so that the next run knows where to go on from.
        GrowingTables.Reads reads = plan.incremental() ? plan.reads() : GrowingTables.full(input, options.env());
        input = input.withRanges(reads.ranges());
        SnapshotWriter tables = new SnapshotWriter(spark, store, id, jobGroup, this::progress);
        Rules rules = options.rules();
        boolean done = false;
        try {
            IngestStage.Ingested ingested;
            SnapshotManifest.Run run;
            if (plan.incremental()) {
                IncrementalRun.Outcome out = new IncrementalRun(spark, tables, store, rules,
                        options.env(), stageMillis, this::progress).run(input, plan);
                ingested = out.ingested();
                run = plan.run(out);
            } else {
                ingested = full(input, tables, rules);
                run = plan.run(null);
            }
            spark.catalog().clearCache();

            long t = System.nanoTime();
            if (options.beforeCommit() != null) {
                options.beforeCommit().run();
            }
            Map<String, InputFile> files = checksums(checksums);
            String context = context(input, files);
            Map<String, String> validated = ChangePlan.eventFiles(input, files);
            if (validated != null) {
                validated.putAll(reads.slices());
            }
            run = run.withValidated(validated == null ? null : context, validated).withDatabaseReads(reads.records());
            store.commit(id, manifest(id, input, files, ingested.counts(), tables.tableRows(), start, run));
            progress("committed snapshot " + id + " (" + run.summary() + ")");
            done = true;
            keepValidatedRows(validatedFiles, tables, context, validated);
            List<String> pruned = store.prune(options.keepSnapshots());
            retainValidatedRows(store, validatedFiles);
            stage("commit", t);
            Map<String, SourceCounts> sources = new TreeMap<>();
            ingested.counts().bySource().forEach((source, c) ->
                    sources.put(source, new SourceCounts(c.read(), c.accepted(), c.rejected(), c.merged())));
            return new Result(id, sources, ingested.counts().referenceRowsRejected(),
                    ingested.counts().rejectedByReason(), tables.tableRows(), stageMillis,
                    (System.nanoTime() - start) / 1_000_000, pruned, run);
        } finally {
            background.shutdownNow();
            if (!done) {
                // A failed run stops its other writes before its work folder is removed under them.
                spark.sparkContext().cancelJobGroup(jobGroup);
            }
            tables.close();
            spark.sparkContext().clearJobGroup();
            store.deleteQuietly(store.workPath(id));
        }
    }

    /** ingest → marks → metrics over the whole input. */
    private IngestStage.Ingested full(InputFolder input, SnapshotWriter tables, Rules rules) throws IOException {
        long t = System.nanoTime();
        IngestStage.Ingested ingested = IngestStage.run(spark, input, options.ids(), options.env(), rules, tables,
                this::progress);
        stage("ingest", t);

        t = System.nanoTime();
        MetricsStage metrics = new MetricsStage(tables, rules, ingested.reference().schools(), this::progress);
        MarksStage.Marks marks = MarksStage.run(tables, rules, ingested.reference().subjects(),
                Duplicates.findings(ingested.repeated()), metrics, this::progress);
        stage("marks", t);

        t = System.nanoTime();
        metrics.run(marks, ingested.reference().subjects());
        stage("metrics", t);
        return ingested;
    }

    /**
     * What besides a file's bytes decided its validated rows ({@link ValidatedFiles#context}): rules, reference
     * files, the student-id key and the sources' specs.
     */
    private String context(InputFolder input, Map<String, InputFile> files) {
        List<String> parts = new java.util.ArrayList<>();
        parts.add(options.rules().sha256());
        for (String ref : InputFolder.REFERENCE_FILES) {
            InputFile f = files.get(ref);
            parts.add(f == null ? null : f.sha256());
        }
        parts.add(options.ids().keyFingerprint());
        input.sources().forEach(s -> parts.add(s.folder() + " " + s.spec()));
        return ValidatedFiles.context(parts);
    }

    /** Moves the run's staged rows into the warehouse's validated files; a failure only costs the next run time. */
    private void keepValidatedRows(ValidatedFiles validatedFiles, SnapshotWriter tables, String context,
                                   Map<String, String> files) {
        if (files == null) {
            return;
        }
        try {
            validatedFiles.adopt(new org.apache.hadoop.fs.Path(tables.workPath(IngestStage.STAGED)), context, files);
        } catch (IOException e) {
            progress("warning: the validated rows were not kept (the next run will be full): " + e.getMessage());
        }
    }

    /** Validated files no kept snapshot names are removed with the snapshots (--keep). */
    private void retainValidatedRows(SnapshotStore store, ValidatedFiles validatedFiles) throws IOException {
        java.util.Set<org.apache.hadoop.fs.Path> kept = new java.util.HashSet<>();
        for (String id : store.committed()) {
            store.manifest(id).map(SnapshotManifest::run).filter(r -> r.validatedFiles() != null)
                    .ifPresent(r -> r.validatedFiles().forEach((file, sha) ->
                            kept.add(validatedFiles.entry(r.validatedContext(), file, sha))));
        }
        validatedFiles.retain(kept);
    }

    private static Map<String, InputFile> checksums(Future<Map<String, InputFile>> checksums) throws IOException {
        try {
            return checksums.get();
        } catch (Exception e) {
            throw new IOException("could not checksum the input: " + e.getMessage(), e);
        }
    }

    /** What the snapshot was made from and what came of it; {@code timings_ms} are the stages so far. */
    private SnapshotManifest manifest(String id, InputFolder input, Map<String, InputFile> files, Counts counts,
                                      Map<String, Long> tableRows, long start, SnapshotManifest.Run run) {
        String createdAt = Instant.now().toString();
        Rules rules = options.rules();
        Map<String, Long> timings = new LinkedHashMap<>(stageMillis);
        timings.put("total", (System.nanoTime() - start) / 1_000_000);
        return new SnapshotManifest(id, createdAt, Pipeline.class.getPackage().getImplementationVersion(),
                new SnapshotManifest.Input(input.root().toString(), files),
                new SnapshotManifest.RulesFile(rules.version(), rules.sha256(), options.rulesLocation(),
                        rules.document()),
                new SnapshotManifest.StudentIdKey(options.ids().keyFingerprint(), options.ids().usesDemoKey()),
                new SnapshotManifest.Spark(spark.version(), spark.sparkContext().master(),
                        spark.conf().get("spark.sql.shuffle.partitions")),
                counts, tableRows, SnapshotManifest.tableLayout(), timings, run);
    }

    private void stage(String name, long startNanos) {
        stageMillis.put(name, (System.nanoTime() - startNanos) / 1_000_000);
    }

    private void progress(String message) {
        if (options.progress() != null) {
            options.progress().accept(message);
        }
    }
}
