package kz.baga.jobs.snapshot;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import kz.baga.contract.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the contract's tables into one run's snapshot folder and keeps their row counts.
 *
 * <p>A table the next step does not wait for is written on a writer thread ({@link #writeAsync}), beside the main
 * thread's work. A single query leaves cores idle while the driver plans, generates code, builds a broadcast or runs
 * the last task of a stage; Spark shares the cores between the tasks of concurrent jobs, so the idle time of one is
 * used by another.
 */
public final class SnapshotWriter implements AutoCloseable {

    /** Writes beside the main thread's: enough to keep two cores busy; more only wait for cores and hold memory. */
    private static final int WRITER_THREADS = Integer.getInteger("baga.writerThreads", 2);

    private final SparkSession spark;
    private final SnapshotStore store;
    private final String id;
    private final String jobGroup;
    private final Consumer<String> progress;
    private final ExecutorService writers;
    private final List<Future<?>> pending = new ArrayList<>();
    private final Map<String, Long> tableRows = new ConcurrentHashMap<>();

    /** @param jobGroup the run's Spark job group, which every write on a writer thread joins too */
    public SnapshotWriter(SparkSession spark, SnapshotStore store, String id, String jobGroup,
                          Consumer<String> progress) {
        this.spark = spark;
        this.store = store;
        this.id = id;
        this.jobGroup = jobGroup;
        this.progress = progress;
        AtomicInteger n = new AtomicInteger();
        this.writers = WRITER_THREADS == 0 ? null : Executors.newFixedThreadPool(WRITER_THREADS, r -> {
            Thread t = new Thread(r, "baga-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes a table of the contract into the snapshot and records its row count (from the Parquet footers). */
    public void write(Table table, Dataset<Row> data) throws IOException {
        long t = System.nanoTime();
        Dataset<Row> typed = typed(table, data);
        String path = store.tablePath(id, table).toString();
        if (table.partitionColumn().isPresent()) {
            String p = table.partitionColumn().get();
            Dataset<Row> arranged = sorted(table == Table.GRADE_EVENTS ? typed : typed.repartition(col(p)), table);
            arranged.write().mode("overwrite").partitionBy(p).parquet(path);
        } else {
            sorted(typed, table).write().mode("overwrite").parquet(path);
        }
        long rows = store.rowCount(store.tablePath(id, table));
        tableRows.put(table.tableName(), rows);
        progress.accept("  " + table.tableName() + ": " + rows + " rows (" + (System.nanoTime() - t) / 1_000_000
                + " ms)");
    }

    /** The table's columns of {@code data}, in the contract's order and types. */
    public static Dataset<Row> typed(Table table, Dataset<Row> data) {
        List<Column> cols = new ArrayList<>();
        for (kz.baga.contract.Column c : table.columns()) {
            cols.add(col(c.name()).cast(c.type()).as(c.name()));
        }
        return data.select(cols.toArray(Column[]::new));
    }

    /** A table of another (committed) snapshot, e.g. the one an incremental run builds on. */
    public Dataset<Row> read(String snapshotId, Table table) {
        return spark.read().parquet(store.tablePath(snapshotId, table).toString());
    }

    /**
     * The rows in the contract's order within each task; a partitioned table's folder column comes first, which is
     * the order Spark's partitioned writer needs anyway, so it adds no sort of its own.
     */
    private static Dataset<Row> sorted(Dataset<Row> rows, Table table) {
        if (table.sortColumns().isEmpty()) {
            return rows;
        }
        List<Column> by = new ArrayList<>();
        table.partitionColumn().ifPresent(p -> by.add(col(p)));
        table.sortColumns().forEach(c -> by.add(col(c)));
        return rows.sortWithinPartitions(by.toArray(Column[]::new));
    }

    /**
     * Writes the partitions of {@code table} that {@code data} holds (the ones a run recomputed) and carries every
     * other partition of the {@code previous} snapshot over unchanged ({@link SnapshotStore#carryOver}).
     *
     * @param recomputed the partition values whose rows {@code data} replaces entirely; a recomputed partition that
     *                   {@code data} has no rows for is left out, as a full run would leave it
     */
    public void writePartitions(Table table, Dataset<Row> data, java.util.Set<String> recomputed, String previous)
            throws IOException {
        String p = table.partitionColumn().orElseThrow();
        if (recomputed.isEmpty()) {
            carryOver(table, previous);
            return;
        }
        write(table, data);
        org.apache.hadoop.fs.Path old = store.tablePath(previous, table);
        org.apache.hadoop.fs.FileSystem fs = old.getFileSystem(store.conf());
        if (fs.exists(old)) {
            for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(old)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.startsWith(p + "=") && !recomputed.contains(
                        org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils.unescapePathName(
                                name.substring(p.length() + 1)))) {
                    store.carryOver(s.getPath(), new org.apache.hadoop.fs.Path(store.tablePath(id, table), name));
                }
            }
        }
        long rows = store.rowCount(store.tablePath(id, table));
        tableRows.put(table.tableName(), rows);
        progress.accept("  " + table.tableName() + ": " + rows + " rows in all, the rest carried over");
    }

    /** The whole table as the {@code previous} snapshot has it, carried over without rewriting. */
    public void carryOver(Table table, String previous) throws IOException {
        org.apache.hadoop.fs.Path old = store.tablePath(previous, table);
        org.apache.hadoop.fs.Path now = store.tablePath(id, table);
        if (old.getFileSystem(store.conf()).exists(old)) {
            store.carryOver(old, now);
            tableRows.put(table.tableName(), store.rowCount(now));
        } else {
            tableRows.put(table.tableName(), 0L);
        }
    }

    /** Writes state for the next incremental run into the snapshot ({@link SnapshotStore#statePath}); read back. */
    public Dataset<Row> writeState(String name, Dataset<Row> data) {
        String path = store.statePath(id, name).toString();
        data.write().mode("overwrite").parquet(path);
        return spark.read().parquet(path);
    }

    /** State the {@code previous} snapshot kept that still holds, carried over without rewriting. */
    public void carryOverState(String previous, String name) throws IOException {
        store.carryOver(store.statePath(previous, name), store.statePath(id, name));
    }

    /** State an earlier snapshot kept ({@link #writeState}). */
    public Dataset<Row> readState(String snapshotId, String name) {
        return spark.read().parquet(store.statePath(snapshotId, name).toString());
    }

    /** {@link #write} on a writer thread; {@link #awaitWrites} collects it (and its failure). */
    public void writeAsync(Table table, Dataset<Row> data) throws IOException {
        if (writers == null) {
            write(table, data);
            return;
        }
        pending.add(CompletableFuture.runAsync(() -> {
            spark.sparkContext().setJobGroup(jobGroup, null, true);
            try {
                write(table, data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, writers));
    }

    /** Waits for every write started so far; the first failure is rethrown once all have stopped. */
    public void awaitWrites() throws IOException {
        Throwable first = null;
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                first = first == null ? e.getCause() : first;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while tables were written", e);
            }
        }
        pending.clear();
        if (first instanceof UncheckedIOException u) {
            throw u.getCause();
        } else if (first instanceof RuntimeException r) {
            throw r;
        } else if (first instanceof Error err) {
            throw err;
        } else if (first != null) {
            throw new IOException(first);
        }
    }

    /** A table written by this run, read back from the snapshot. */
    public Dataset<Row> read(Table table) {
        return spark.read().parquet(store.tablePath(id, table).toString());
    }

    /** Rows written to {@code table}; null until its write has finished. */
    public Long rows(Table table) {
        return tableRows.get(table.tableName());
    }

    /** Row counts in the contract's table order, whichever write finished first. */
    public Map<String, Long> tableRows() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Table table : Table.values()) {
            Long rows = tableRows.get(table.tableName());
            if (rows != null) {
                out.put(table.tableName(), rows);
            }
        }
        return out;
    }

    /** A folder of the run's scratch space ({@link SnapshotStore#workPath}), removed when the run ends. */
    public String workPath(String name) {
        return store.workPath(id) + "/" + name;
    }

    /** Stops the writer threads; a write still running is interrupted (its Spark jobs are the caller's to cancel). */
    @Override
    public void close() {
        if (writers != null) {
            writers.shutdownNow();
            try {
                writers.awaitTermination(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
