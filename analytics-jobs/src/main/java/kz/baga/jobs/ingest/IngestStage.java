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
     * @param duplicateFindings reconciliation rows for events delivered more than once; null when there were none
     */
    public record Ingested(ReferenceData reference, Counts counts, Dataset<Row> duplicateFindings) {
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
        String staged = tables.workPath("validated");
        ReferenceData ref;
        EventValidator.Validated validated;
        // Line numbers need each input file in one partition, but only while the input is parsed.
        Map<String, String> saved = new LinkedHashMap<>();
        NumberedCsv.ONE_FILE_PER_PARTITION.forEach((k, v) -> {
            saved.put(k, spark.conf().get(k, null));
            spark.conf().set(k, v);
        });
        try {
            ref = ReferenceData.load(spark, input, ids);
            ref.schools().persist(StorageLevel.MEMORY_AND_DISK()).count();
            ref.subjects().persist(StorageLevel.MEMORY_AND_DISK()).count();
            ref.directory().count();
            progress.accept("  reference files loaded");
            Dataset<Row> events = EventSources.read(spark, input, env);
            validated = EventValidator.validate(events, ref, rules);
            // Staged rows are read back once or twice, then deleted: plain encoding writes faster than trying
            // dictionaries on mostly unique columns (event ids, raw lines), and every read is a full scan, so
            // min/max statistics would go unused.
            validated.rows().write().option("parquet.enable.dictionary", "false")
                    .option("parquet.column.statistics.enabled", "false")
                    .mode("overwrite").parquet(staged);
            progress.accept("  events parsed and validated");
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
        tables.writeAsync(Table.STUDENT_DIRECTORY, ref.directory());
        tables.writeAsync(Table.SCHOOLS, ref.schools().coalesce(1));
        tables.writeAsync(Table.SUBJECTS, ref.subjects().coalesce(1));
        Dataset<Row> stagedRows = spark.read().parquet(staged);
        Dataset<Row> rejected = stagedRows.where(col("reason").isNotNull())
                .select(col("source"), col("file"), col("line"), col("reason"), col("raw"), col("school_id"),
                        col("detail"))
                .unionByName(ref.rejected());
        tables.writeAsync(Table.REJECTED_EVENTS,
                rejected.repartition(1).sortWithinPartitions("source", "file", "line"));

        Duplicates duplicates = Duplicates.resolve(stagedRows.where(col("reason").isNull()));
        tables.write(Table.GRADE_EVENTS, duplicates.kept());

        // One pass over the staged rows for both the per-source counts and the per-reason counts.
        List<Row> bySourceAndReason = stagedRows.groupBy("source", "reason").count().collectAsList();
        Map<String, SourceCounts> bySource = countSources(bySourceAndReason, duplicates.mergedBySource());
        checkStaged(validated, bySourceAndReason);
        long referenceRejected = ref.rejected().count();
        Map<String, Long> byReason = new TreeMap<>();
        for (Row r : bySourceAndReason) {
            if (!r.isNullAt(1)) {
                byReason.merge(r.getString(1), r.getLong(2), Long::sum);
            }
        }
        tables.awaitWrites();
        Counts counts = Counts.of(bySource, byReason, referenceRejected);
        if (tables.rows(Table.GRADE_EVENTS) != counts.accepted()) {
            throw new IllegalStateException("grade_events has " + tables.rows(Table.GRADE_EVENTS) + " rows but "
                    + counts.accepted() + " were accepted; refusing to commit");
        }
        return new Ingested(ref, counts, duplicates.findings());
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
}
