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
import kz.baga.jobs.ingest.IngestStage;
import kz.baga.jobs.ingest.InputFolder;
import kz.baga.jobs.ingest.StudentIds;
import kz.baga.jobs.marks.MarksStage;
import kz.baga.jobs.metrics.MetricsStage;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.SnapshotStore;
import kz.baga.jobs.snapshot.SnapshotWriter;
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
                          Runnable beforeCommit, boolean waitForWarehouse) {

        /** A run that is refused at once when another run holds the warehouse. */
        public Options(String input, String warehouse, Rules rules, String rulesLocation, StudentIds ids,
                       Map<String, String> env, int keepSnapshots, Consumer<String> progress, Runnable beforeCommit) {
            this(input, warehouse, rules, rulesLocation, ids, env, keepSnapshots, progress, beforeCommit, false);
        }
    }

    /** Counts of one source. */
    public record SourceCounts(long read, long accepted, long rejected, long merged) {
    }

    public record Result(String snapshotId, Map<String, SourceCounts> sources, long referenceRejected,
                         Map<String, Long> rejectedByReason, Map<String, Long> tableRows,
                         Map<String, Long> stageMillis, long totalMillis, List<String> pruned) {

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
        // Checksums of the inputs are read on a side thread while Spark parses them.
        ExecutorService background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "baga-checksums");
            t.setDaemon(true);
            return t;
        });
        Future<Map<String, InputFile>> checksums = background.submit(input::checksums);
        SnapshotWriter tables = new SnapshotWriter(spark, store, id, jobGroup, this::progress);
        Rules rules = options.rules();
        boolean done = false;
        try {
            long t = System.nanoTime();
            IngestStage.Ingested ingested = IngestStage.run(spark, input, options.ids(), options.env(), rules, tables,
                    this::progress);
            stage("ingest", t);

            t = System.nanoTime();
            MetricsStage metrics = new MetricsStage(tables, rules, ingested.reference().schools(), this::progress);
            MarksStage.Marks marks = MarksStage.run(tables, rules, ingested.reference().subjects(),
                    ingested.duplicateFindings(), metrics, this::progress);
            stage("marks", t);

            t = System.nanoTime();
            metrics.run(marks, ingested.reference().subjects());
            stage("metrics", t);
            spark.catalog().clearCache();

            t = System.nanoTime();
            if (options.beforeCommit() != null) {
                options.beforeCommit().run();
            }
            store.commit(id, manifest(id, input, checksums, ingested.counts(), tables.tableRows(), start));
            List<String> pruned = store.prune(options.keepSnapshots());
            stage("commit", t);
            progress("committed snapshot " + id);
            done = true;
            Map<String, SourceCounts> sources = new TreeMap<>();
            ingested.counts().bySource().forEach((source, c) ->
                    sources.put(source, new SourceCounts(c.read(), c.accepted(), c.rejected(), c.merged())));
            return new Result(id, sources, ingested.counts().referenceRowsRejected(),
                    ingested.counts().rejectedByReason(), tables.tableRows(), stageMillis,
                    (System.nanoTime() - start) / 1_000_000, pruned);
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

    /** What the snapshot was made from and what came of it; {@code timings_ms} are the stages so far. */
    private SnapshotManifest manifest(String id, InputFolder input, Future<Map<String, InputFile>> checksums,
                                      Counts counts, Map<String, Long> tableRows, long start) throws IOException {
        String createdAt = Instant.now().toString();
        Map<String, InputFile> files;
        try {
            files = checksums.get();
        } catch (Exception e) {
            throw new IOException("could not checksum the input: " + e.getMessage(), e);
        }
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
                counts, tableRows, SnapshotManifest.tableLayout(), timings);
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
