package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import kz.baga.contract.SnapshotManifest.Counts;
import kz.baga.contract.SnapshotManifest.SourceCounts;
import kz.baga.contract.Table;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.SnapshotWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The ingest stage: the reference files and every source's events read and validated into staged files, then the
 * reference tables, the rejected rows and {@code grade_events} (each event once, see {@link Duplicates}) written.
 * Every row is accounted for: read = accepted + rejected + merged, per source, before anything is committed.
 */
public final class IngestStage {

    /**
     * What the later stages and the manifest need from ingest.
     *
     * @param repeated the events delivered more than once ({@link Duplicates#repeated}), as kept with the snapshot
     */
    public record Ingested(ReferenceData reference, Counts counts, Dataset<Row> repeated) {
    }

    private IngestStage() {
    }

    /**
     * @param ids student ids for the pupil directory
     * @param env where a JDBC source's variables are read from
     */
    public static Ingested run(SparkSession spark, InputFolder input, StudentIds ids, Map<String, String> env,
                               Rules rules, SnapshotWriter tables, Consumer<String> progress) throws IOException {
        progress.accept("ingest: reading " + input.sources().size() + " source(s) from " + input.root());
        if (!input.emptyFiles().isEmpty()) {
            progress.accept("  empty files (0 rows; listed in the manifest): " + input.emptyFiles().stream()
                    .map(p -> input.root().toUri().relativize(p.toUri()).toString()).toList());
        }
        String staged = tables.workPath(STAGED);
        ReferenceData ref = loadReference(spark, input, ids);
        for (Map.Entry<String, Dataset<Row>> r : Map.of("schools", ref.schools(), "subjects", ref.subjects(),
                "directory", ref.directory()).entrySet()) {
            tables.writeState(REFERENCE_STATE + "/" + r.getKey(), r.getValue().coalesce(1));
        }
        progress.accept("  reference files loaded");
        EventValidator.Validated validated = stage(spark, input, env, ref, rules, staged);
        progress.accept("  events parsed and validated");
        // The reference tables and the rejected rows are small: written beside the duplicate search.
        tables.writeAsync(Table.STUDENT_DIRECTORY, ref.directory());
        tables.writeAsync(Table.SCHOOLS, ref.schools().coalesce(1));
        tables.writeAsync(Table.SUBJECTS, ref.subjects().coalesce(1));
        Dataset<Row> stagedRows = readStaged(spark, validated, staged);
        tables.writeAsync(Table.REJECTED_EVENTS, rejectedTable(rejectedColumns(stagedRows.where(col("reason").isNotNull()))
                .unionByName(ref.rejected())));

        Duplicates duplicates = Duplicates.resolve(stagedRows.where(col("reason").isNull()),
                input.sources().stream().anyMatch(s -> s.spec().isJdbc()));
        tables.write(Table.GRADE_EVENTS, duplicates.kept());
        Dataset<Row> repeated = tables.writeState(DUPLICATES_STATE, duplicates.repeated());

        // One pass over the staged rows for the counts per file (kept for the next incremental run), per source and
        // per reason.
        Dataset<Row> fileCounts = tables.writeState(FILE_COUNTS_STATE,
                stagedRows.groupBy("file", "source", "reason").count().coalesce(1));
        List<Row> bySourceAndReason = fileCounts.groupBy("source", "reason")
                .agg(org.apache.spark.sql.functions.sum("count").as("count")).collectAsList();
        checkStaged(validated, bySourceAndReason);
        tables.awaitWrites();
        Counts counts = counts(bySourceAndReason, Duplicates.mergedBySource(repeated), ref.rejected().count());
        checkAccepted(tables, counts);
        return new Ingested(ref, counts, repeated);
    }

    /** The run's staged rows, one {@code file=FILE} folder per input file (kept after the run: ValidatedFiles). */
    public static final String STAGED = "validated";
    /**
     * The reference data as validation used it (schools, subjects, the directory with each pupil's years), kept
     * with the snapshot: an incremental run, whose reference files are unchanged, reads it instead of parsing them.
     */
    public static final String REFERENCE_STATE = "reference";

    /** {@link #REFERENCE_STATE} as a run kept it. */
    public static ReferenceData keptReference(SnapshotWriter tables, String snapshotId) {
        return ReferenceData.of(tables.readState(snapshotId, REFERENCE_STATE + "/schools"),
                tables.readState(snapshotId, REFERENCE_STATE + "/subjects"),
                tables.readState(snapshotId, REFERENCE_STATE + "/directory"));
    }

    /** Validated rows per file, source and reason, kept with the snapshot for the next incremental run. */
    public static final String FILE_COUNTS_STATE = "file_counts";
    /** The events delivered more than once, kept with the snapshot for the next incremental run. */
    public static final String DUPLICATES_STATE = "duplicates";

    /** The reference files; read with each file in one partition, which their line numbers need. */
    public static ReferenceData loadReference(SparkSession spark, InputFolder input, StudentIds ids) {
        return oneFilePerPartition(spark, () -> {
            ReferenceData ref = ReferenceData.load(spark, input, ids);
            ref.schools().persist(StorageLevel.MEMORY_AND_DISK()).count();
            ref.subjects().persist(StorageLevel.MEMORY_AND_DISK()).count();
            ref.directory().count();
            return ref;
        });
    }

    /**
     * Parses and validates every event of {@code input}'s sources into {@code staged}, partitioned by {@code file}:
     * each input file's rows in a folder of their own, which the warehouse keeps afterwards (ValidatedFiles).
     */
    public static EventValidator.Validated stage(SparkSession spark, InputFolder input, Map<String, String> env,
                                                 ReferenceData ref, Rules rules, String staged) {
        return oneFilePerPartition(spark, () -> {
            Dataset<Row> events = EventSources.read(spark, input, env);
            EventValidator.Validated validated = EventValidator.validate(events, ref, rules);
            // Staged rows are read back once or twice: plain encoding writes faster than trying dictionaries on
            // mostly unique columns (event ids, raw lines), and every read is a full scan, so min/max statistics
            // would go unused.
            validated.rows().write().option("parquet.enable.dictionary", "false")
                    .option("parquet.column.statistics.enabled", "false")
                    .mode("overwrite").partitionBy("file").parquet(staged);
            return validated;
        });
    }

    /** The staged rows with their {@code file} (a folder name on disk) back as a column of validation's type. */
    public static Dataset<Row> readStaged(SparkSession spark, EventValidator.Validated validated, String staged) {
        return spark.read().schema(validated.rows().schema()).parquet(staged);
    }

    /** The columns of {@code rejected_events} from validated rows. */
    public static Dataset<Row> rejectedColumns(Dataset<Row> rows) {
        return rows.selectExpr(Table.REJECTED_EVENTS.columnNames().toArray(String[]::new));
    }

    /** Rejected rows as the table has them: one file, in the order of the input. */
    public static Dataset<Row> rejectedTable(Dataset<Row> rejected) {
        return rejected.repartition(1).sortWithinPartitions("source", "file", "line");
    }

    /** The run's counts from the validated rows' (source, reason, count) and the copies merged per source. */
    public static Counts counts(List<Row> bySourceAndReason, Map<String, Long> merged, long referenceRejected) {
        Map<String, Long> byReason = new TreeMap<>();
        for (Row r : bySourceAndReason) {
            if (!r.isNullAt(1)) {
                byReason.merge(r.getString(1), r.getLong(2), Long::sum);
            }
        }
        return Counts.of(countSources(bySourceAndReason, merged), byReason, referenceRejected);
    }

    /** grade_events must hold exactly the accepted rows; anything else stops the run before it commits. */
    public static void checkAccepted(SnapshotWriter tables, Counts counts) {
        if (tables.rows(Table.GRADE_EVENTS) != counts.accepted()) {
            throw new IllegalStateException("grade_events has " + tables.rows(Table.GRADE_EVENTS) + " rows but "
                    + counts.accepted() + " were accepted; refusing to commit");
        }
    }

    /** Runs {@code body} with each input file read as one partition (line numbers need it), then restores. */
    private static <T> T oneFilePerPartition(SparkSession spark, java.util.function.Supplier<T> body) {
        Map<String, String> saved = new LinkedHashMap<>();
        NumberedCsv.ONE_FILE_PER_PARTITION.forEach((k, v) -> {
            saved.put(k, spark.conf().get(k, null));
            spark.conf().set(k, v);
        });
        try {
            return body.get();
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    spark.conf().unset(k);
                } else {
                    spark.conf().set(k, v);
                }
            });
        }
    }

    /**
     * read/accepted/rejected per source from the staged rows' (source, reason, count); merged from the duplicates.
     */
    private static Map<String, SourceCounts> countSources(List<Row> bySourceAndReason, Map<String, Long> merged) {
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
    public static void checkStaged(EventValidator.Validated validated, List<Row> bySourceAndReason) {
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
}
