package kz.baga.jobs;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.SnapshotManifest.Counts;
import kz.baga.contract.SnapshotManifest.InputFile;
import kz.baga.contract.Table;
import kz.baga.jobs.ingest.EventSources;
import kz.baga.jobs.ingest.EventValidator;
import kz.baga.jobs.ingest.InputFolder;
import kz.baga.jobs.ingest.NumberedCsv;
import kz.baga.jobs.ingest.ReferenceData;
import kz.baga.jobs.ingest.StudentIds;
import kz.baga.jobs.marks.AnnualGrades;
import kz.baga.jobs.marks.EventTotals;
import kz.baga.jobs.marks.Gaps;
import kz.baga.jobs.marks.Placement;
import kz.baga.jobs.marks.TermGrades;
import kz.baga.jobs.metrics.ClassRankings;
import kz.baga.jobs.metrics.GradeDynamics;
import kz.baga.jobs.metrics.Indicators;
import kz.baga.jobs.metrics.MedalEligibility;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.SnapshotStore;
import kz.baga.jobs.snapshot.WarehouseLock;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * The whole run: ingest → marks → metrics → commit. Every table is written into a new snapshot folder; only
 * when all are written does {@code CURRENT} move. Stages are timed and the counts that must add up
 * (read = accepted + rejected + merged) are checked before the commit.
 *
 * <p>Tables that do not depend on each other are written concurrently (a few writer threads submit Spark jobs
 * side by side). A single query leaves cores idle while the driver plans, generates code, builds a broadcast or
 * runs the last task of a stage: on 2 cores at 1 M events no task ran for 13 of 50 s. Spark shares the cores
 * between the concurrent jobs' tasks, so the idle time of one is used by another.
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
    private final Map<String, Long> tableRows = new ConcurrentHashMap<>();
    /** Writers for tables that can be written beside others; each job is tagged with the run's job group. */
    private final ExecutorService writers;
    private final List<Future<?>> pendingWrites = new ArrayList<>();
    private String jobGroup;
    private SnapshotStore store;
    private String id;

    public Pipeline(SparkSession spark, Options options) {
        this.spark = spark;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.writers = WRITER_THREADS == 0 ? null : Executors.newFixedThreadPool(WRITER_THREADS, r -> {
            Thread t = new Thread(r, "baga-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Concurrent table writes besides the main thread's. Two were enough to keep both cores of the bench machine
     * busy; more only add jobs that wait for cores and hold memory.
     */
    private static final int WRITER_THREADS = Integer.getInteger("baga.writerThreads", 2);

    public Result run() throws IOException {
        long start = System.nanoTime();
        Rules rules = options.rules();
        InputFolder input = InputFolder.open(options.input(), spark.sparkContext().hadoopConfiguration());
        store = SnapshotStore.open(options.warehouse(), spark.sparkContext().hadoopConfiguration());
        // One run at a time per (local) warehouse: a second one would prune and clean under the first.
        WarehouseLock lock = "file".equals(store.root().toUri().getScheme())
                ? WarehouseLock.acquire(java.nio.file.Path.of(store.root().toUri()), options.waitForWarehouse(),
                        this::progress)
                : null;
        try {
            return runLocked(input, rules, start, lock);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    private Result runLocked(InputFolder input, Rules rules, long start, WarehouseLock lock) throws IOException {
        id = store.newSnapshotId();
        if (lock != null) {
            List<String> stale = store.cleanStaleWork(id, lock.started().toEpochMilli());
            if (!stale.isEmpty()) {
                progress("removed the work folders of runs that did not finish: " + stale);
            }
        }
        jobGroup = "baga-" + id;
        // No description: Spark then names each job by its call site, which the event log summaries rely on.
        spark.sparkContext().setJobGroup(jobGroup, null, true);
        ExecutorService background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "baga-checksums");
            t.setDaemon(true);
            return t;
        });
        // Checksums of the inputs are read on a side thread while Spark parses them.
        Future<Map<String, InputFile>> checksums = background.submit(input::checksums);
        boolean done = false;
        try {
            Result result = runStages(input, rules, checksums, start);
            done = true;
            return result;
        } finally {
            background.shutdownNow();
            if (!done) {
                // A failed run stops its other writes before its work folder is removed under them.
                spark.sparkContext().cancelJobGroup(jobGroup);
            }
            if (writers != null) {
                writers.shutdownNow();
                try {
                    writers.awaitTermination(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            spark.sparkContext().clearJobGroup();
            store.deleteQuietly(store.workPath(id));
        }
    }

    private Result runStages(InputFolder input, Rules rules, Future<Map<String, InputFile>> checksums,
                             long start) throws IOException {
        // ---------------------------------------------------------------- ingest
        long t = System.nanoTime();
        progress("ingest: reading " + input.sources().size() + " source(s) from " + input.root());
        if (!input.emptyFiles().isEmpty()) {
            progress("  empty files (0 rows; listed in the manifest): " + input.emptyFiles().stream()
                    .map(p -> input.root().toUri().relativize(p.toUri()).toString()).toList());
        }
        String staged = store.workPath(id) + "/validated";
        ReferenceData ref;
        EventValidator.Validated validated;
        Map<String, String> saved = new LinkedHashMap<>();
        NumberedCsv.ONE_FILE_PER_PARTITION.forEach((k, v) -> {
            saved.put(k, spark.conf().get(k, null));
            spark.conf().set(k, v);
        });
        try {
            ref = ReferenceData.load(spark, input, options.ids());
            ref.schools().persist(StorageLevel.MEMORY_AND_DISK()).count();
            ref.subjects().persist(StorageLevel.MEMORY_AND_DISK()).count();
            ref.directory().count();
            progress("  reference files loaded");
            Dataset<Row> events = EventSources.read(spark, input, options.env());
            // Staged rows are read back once or twice: plain encoding writes faster than trying dictionaries on
            // columns that are mostly unique (event ids, raw lines), and the files are deleted after the run.
            // Every read of them is a full scan, so min/max statistics (compared on every value) would go unused.
            validated = EventValidator.validate(events, ref, rules);
            validated.rows().write().option("parquet.enable.dictionary", "false")
                    .option("parquet.column.statistics.enabled", "false")
                    .mode("overwrite").parquet(staged);
            progress("  events parsed and validated");
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    spark.conf().unset(k);
                } else {
                    spark.conf().set(k, v);
                }
            });
        }
        // The reference tables and the rejected rows are small: written beside the duplicate search.
        writeAsync(Table.STUDENT_DIRECTORY, ref.directory());
        writeAsync(Table.SCHOOLS, ref.schools().coalesce(1));
        writeAsync(Table.SUBJECTS, ref.subjects().coalesce(1));
        Dataset<Row> stagedRows = spark.read().parquet(staged);
        Dataset<Row> rejected = stagedRows.where(col("reason").isNotNull())
                .select(col("source"), col("file"), col("line"), col("reason"), col("raw"), col("school_id"),
                        col("detail"))
                .unionByName(ref.rejected());
        writeAsync(Table.REJECTED_EVENTS, rejected.repartition(1).sortWithinPartitions("source", "file", "line"));

        Dataset<Row> accepted = stagedRows.where(col("reason").isNull());
        // Duplicates are rare: find them by the 64-bit hash of (source, event_id) that validation stored — one
        // fixed-width column to read, group and look up. Only the rows whose hash repeats are candidates, and of
        // those only the columns that pick the surviving copy or describe it are read; a hash collision just makes
        // one more candidate, which keeps its single copy. The copies that lose are then left out of grade_events
        // by their (hash, file, line), so the one full pass over the staged rows is the write itself.
        Dataset<Row> repeatedHashes = accepted.groupBy("key_hash").count().where(col("count").gt(1))
                .select("key_hash").persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> candidates = accepted.select("key_hash", "source", "event_id", "recorded_at", "file", "line",
                        "student_id", "subject_code", "academic_year", "term", "score", "school_id", "class_label")
                .join(broadcast(repeatedHashes), "key_hash", "left_semi")
                .withColumn("rn", row_number().over(Window.partitionBy("source", "event_id")
                        .orderBy(col("recorded_at").desc_nulls_last(), col("file").desc(), col("line").desc())))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> losers = candidates.where(col("rn").gt(1)).select("key_hash", "file", "line");
        Dataset<Row> winners = candidates.where(col("rn").equalTo(1));
        Dataset<Row> dupKeys = candidates.groupBy("source", "event_id").agg(count(lit(1)).as("copies"))
                .where(col("copies").gt(1)).persist(StorageLevel.MEMORY_AND_DISK());
        long dupKeyCount = dupKeys.count();
        Dataset<Row> deduped = accepted.join(broadcast(losers), new String[] {"key_hash", "file", "line"}, "left_anti");
        Dataset<Row> duplicateFindings = null;
        if (dupKeyCount > 0) {
            duplicateFindings = winners.join(broadcast(dupKeys), new String[] {"source", "event_id"})
                    .select(col("student_id"), col("subject_code"), col("academic_year"), col("term"),
                            lit("DUPLICATE").as("issue"),
                            concat(col("source"), lit(" event "), col("event_id"), lit(" delivered "),
                                    col("copies").cast("string"), lit(" times; kept the version recorded at "),
                                    col("recorded_at").cast("string"), lit(" (score "), col("score").cast("string"),
                                    lit(")")).as("detail"),
                            col("school_id"), col("class_label"));
        }
        write(Table.GRADE_EVENTS, deduped);

        // One pass over the staged rows for both the per-source counts and the per-reason counts.
        List<Row> bySourceAndReason = stagedRows.groupBy("source", "reason").count().collectAsList();
        Map<String, SourceCounts> sourceCounts = countSources(bySourceAndReason, dupKeys);
        checkStaged(validated, bySourceAndReason);
        long referenceRejected = ref.rejected().count();
        Map<String, Long> byReason = new TreeMap<>();
        for (Row r : bySourceAndReason) {
            if (!r.isNullAt(1)) {
                byReason.merge(r.getString(1), r.getLong(2), Long::sum);
            }
        }
        awaitWrites();
        long acceptedRows = sourceCounts.values().stream().mapToLong(SourceCounts::accepted).sum();
        if (tableRows.get(Table.GRADE_EVENTS.tableName()) != acceptedRows) {
            throw new IllegalStateException("grade_events has " + tableRows.get(Table.GRADE_EVENTS.tableName())
                    + " rows but " + acceptedRows + " were accepted; refusing to commit");
        }
        stage("ingest", t);

        // ---------------------------------------------------------------- marks
        t = System.nanoTime();
        progress("marks: term, annual and final marks; reconciliation");
        // Not cached: each use reads only its columns from Parquet, which costs less than holding every event.
        Dataset<Row> events = spark.read().parquet(store.tablePath(id, Table.GRADE_EVENTS).toString());
        Dataset<Row> directory = spark.read().parquet(store.tablePath(id, Table.STUDENT_DIRECTORY).toString());
        Dataset<Row> subjects = ref.subjects();
        // One grouping of the assessment events feeds both the term marks and the dynamics.
        Dataset<Row> totals = EventTotals.of(events, rules).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> placement = Placement.of(events, directory).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> computed = TermGrades.fromTotals(totals, subjects, rules);
        // TERM, YEAR and EXAM marks in one pass too (few rows: kept for the annual marks).
        Dataset<Row> certified = TermGrades.certifiedAll(events).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> imported = TermGrades.ofKind(certified, "TERM");
        Dataset<Row> termFull = TermGrades.build(computed, imported, placement).persist(StorageLevel.MEMORY_AND_DISK());
        // The dynamics need only the totals and the placement: a metric, written while the marks are computed.
        writeAsync(Table.GRADE_DYNAMICS, GradeDynamics.fromTotals(totals, placement));
        write(Table.TERM_GRADES, TermGrades.table(termFull));
        Dataset<Row> termGrades = spark.read().parquet(store.tablePath(id, Table.TERM_GRADES).toString())
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> annualFull = AnnualGrades.fromCertified(termGrades, certified, placement, rules)
                .persist(StorageLevel.MEMORY_AND_DISK());
        write(Table.ANNUAL_GRADES, AnnualGrades.table(annualFull));
        Dataset<Row> annual = spark.read().parquet(store.tablePath(id, Table.ANNUAL_GRADES).toString())
                .persist(StorageLevel.MEMORY_AND_DISK());
        // Rankings and indicators need the term and annual marks only: written beside the reconciliation.
        writeAsync(Table.CLASS_RANKINGS, ClassRankings.build(termGrades, annualFull));
        Dataset<Row> marks = Indicators.marks(termGrades, annual, ref.schools()).persist(StorageLevel.MEMORY_AND_DISK());
        writeAsync(Table.SCHOOL_INDICATORS, Indicators.school(marks, rules));
        writeAsync(Table.DISTRICT_INDICATORS, Indicators.district(marks, rules).coalesce(1));
        Dataset<Row> gaps = Gaps.termGaps(termGrades, subjects).unionByName(Gaps.yearGaps(directory, placement, rules));
        Dataset<Row> reconciliation = TermGrades.conflicts(termFull)
                .unionByName(AnnualGrades.conflicts(annualFull))
                .unionByName(gaps);
        if (duplicateFindings != null) {
            reconciliation = reconciliation.unionByName(duplicateFindings);
        }
        write(Table.RECONCILIATION, reconciliation);
        stage("marks", t);

        // ---------------------------------------------------------------- metrics
        t = System.nanoTime();
        progress("metrics: medals (rankings, dynamics and indicators are under way)");
        Dataset<Row> gapRows = spark.read().parquet(store.tablePath(id, Table.RECONCILIATION).toString())
                .where(col("issue").equalTo("GAP"));
        write(Table.MEDAL_ELIGIBILITY, MedalEligibility.build(directory, termGrades, annual, gapRows, subjects, rules));
        awaitWrites();
        stage("metrics", t);
        spark.catalog().clearCache();

        // ---------------------------------------------------------------- commit
        t = System.nanoTime();
        if (options.beforeCommit() != null) {
            options.beforeCommit().run();
        }
        String createdAt = Instant.now().toString();
        Map<String, InputFile> files;
        try {
            files = checksums.get();
        } catch (Exception e) {
            throw new IOException("could not checksum the input: " + e.getMessage(), e);
        }
        Map<String, SnapshotManifest.SourceCounts> bySource = new TreeMap<>();
        sourceCounts.forEach((source, c) -> bySource.put(source,
                new SnapshotManifest.SourceCounts(c.read(), c.accepted(), c.rejected(), c.merged())));
        Map<String, Long> timings = new LinkedHashMap<>(stageMillis);
        timings.put("total", (System.nanoTime() - start) / 1_000_000);
        store.commit(id, new SnapshotManifest(id, createdAt, Pipeline.class.getPackage().getImplementationVersion(),
                new SnapshotManifest.Input(input.root().toString(), files),
                new SnapshotManifest.RulesFile(rules.version(), rules.sha256(), options.rulesLocation(),
                        rules.document()),
                new SnapshotManifest.StudentIdKey(options.ids().keyFingerprint(), options.ids().usesDemoKey()),
                new SnapshotManifest.Spark(spark.version(), spark.sparkContext().master(),
                        spark.conf().get("spark.sql.shuffle.partitions")),
                Counts.of(bySource, byReason, referenceRejected), orderedTableRows(), SnapshotManifest.tableLayout(),
                timings));
        List<String> pruned = store.prune(options.keepSnapshots());
        stage("commit", t);
        progress("committed snapshot " + id);
        return new Result(id, sourceCounts, referenceRejected, byReason, orderedTableRows(), stageMillis,
                (System.nanoTime() - start) / 1_000_000, pruned);
    }

    /**
     * read/accepted/rejected per source from the staged rows' (source, reason, count); merged from the duplicate
     * keys (copies − 1).
     */
    private static Map<String, SourceCounts> countSources(List<Row> bySourceAndReason, Dataset<Row> dupKeys) {
        Map<String, Long> merged = new TreeMap<>();
        for (Row r : dupKeys.groupBy("source").agg(sum(col("copies").minus(1))).collectAsList()) {
            merged.put(r.getString(0), r.getLong(1));
        }
        Map<String, long[]> readAccepted = new TreeMap<>();
        for (Row r : bySourceAndReason) {
            String source = r.isNullAt(0) ? "(no source)" : r.getString(0);
            long[] ra = readAccepted.computeIfAbsent(source, k -> new long[2]);
            ra[0] += r.getLong(2);
            if (r.isNullAt(1)) {
                ra[1] += r.getLong(2);
            }
        }
        Map<String, SourceCounts> out = new TreeMap<>();
        readAccepted.forEach((source, ra) -> {
            long m = merged.getOrDefault(source, 0L);
            // accepted here counts every copy; the contract's "accepted" is what reached grade_events.
            out.put(source, new SourceCounts(ra[0], ra[1] - m, ra[0] - ra[1], m));
        });
        return out;
    }

    /**
     * The staged rows read back must be the rows validation saw: as many in all, as many rejected. Spark counted
     * both while it validated (EventValidator.Validated); a difference means rows were lost on the way to the
     * staged files, and the run stops before anything is committed.
     */
    private static void checkStaged(EventValidator.Validated validated, List<Row> bySourceAndReason) {
        long staged = 0;
        long stagedRejected = 0;
        for (Row r : bySourceAndReason) {
            staged += r.getLong(2);
            stagedRejected += r.isNullAt(1) ? 0 : r.getLong(2);
        }
        if (staged != validated.enteredRows() || stagedRejected != validated.rejectedRows()) {
            throw new IllegalStateException("validation saw " + validated.enteredRows() + " rows ("
                    + validated.rejectedRows() + " rejected) but the staged files hold " + staged + " ("
                    + stagedRejected + " rejected); refusing to commit");
        }
    }

    /** Row counts in the contract's table order, whichever write finished first. */
    private Map<String, Long> orderedTableRows() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Table table : Table.values()) {
            Long rows = tableRows.get(table.tableName());
            if (rows != null) {
                out.put(table.tableName(), rows);
            }
        }
        return out;
    }

    /** {@link #write} on a writer thread; {@link #awaitWrites} collects it (and its failure). */
    private void writeAsync(Table table, Dataset<Row> data) throws IOException {
        if (writers == null) {
            write(table, data);
            return;
        }
        pendingWrites.add(CompletableFuture.runAsync(() -> {
            spark.sparkContext().setJobGroup(jobGroup, null, true);
            try {
                write(table, data);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, writers));
    }

    /** Waits for every write started so far; the first failure is rethrown once all have stopped. */
    private void awaitWrites() throws IOException {
        Throwable first = null;
        for (Future<?> f : pendingWrites) {
            try {
                f.get();
            } catch (ExecutionException e) {
                first = first == null ? e.getCause() : first;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while tables were written", e);
            }
        }
        pendingWrites.clear();
        if (first instanceof java.io.UncheckedIOException u) {
            throw u.getCause();
        } else if (first instanceof RuntimeException r) {
            throw r;
        } else if (first instanceof Error err) {
            throw err;
        } else if (first != null) {
            throw new IOException(first);
        }
    }

    /** Writes a table of the contract into the snapshot and records its row count (from the Parquet footers). */
    private void write(Table table, Dataset<Row> data) throws IOException {
        long t = System.nanoTime();
        List<Column> cols = new ArrayList<>();
        for (kz.baga.contract.Column c : table.columns()) {
            cols.add(col(c.name()).cast(c.type()).as(c.name()));
        }
        Dataset<Row> typed = data.select(cols.toArray(Column[]::new));
        String path = store.tablePath(id, table).toString();
        if (table.partitionColumn().isPresent()) {
            String p = table.partitionColumn().get();
            Dataset<Row> arranged = table == Table.GRADE_EVENTS ? typed : typed.repartition(col(p));
            arranged.write().mode("overwrite").partitionBy(p).parquet(path);
        } else {
            typed.write().mode("overwrite").parquet(path);
        }
        long rows = store.rowCount(store.tablePath(id, table));
        tableRows.put(table.tableName(), rows);
        progress("  " + table.tableName() + ": " + rows + " rows (" + (System.nanoTime() - t) / 1_000_000 + " ms)");
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
