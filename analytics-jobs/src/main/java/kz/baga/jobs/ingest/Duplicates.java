package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Events delivered more than once: rows with the same {@code (source, event_id)}. The copy with the latest
 * {@code recorded_at} stands (then the later file and line); the others are merged into it, counted per source, and
 * each repeated event becomes a {@code DUPLICATE} finding that names the copy kept.
 *
 * @param kept     the accepted rows without the copies that lost
 * @param repeated one row per repeated event: its key, {@code copies} and its reconciliation finding (see
 *                 {@link #FINDING_COLUMNS}); kept with the snapshot, so that an incremental run can replace the
 *                 repeated events its new files touch and keep the others
 */
public record Duplicates(Dataset<Row> kept, Dataset<Row> repeated) {

    /** The columns of a {@code DUPLICATE} finding, as {@code reconciliation} has them. */
    public static final String[] FINDING_COLUMNS = {"student_id", "subject_code", "academic_year", "term", "issue",
            "detail", "school_id", "class_label"};

    /**
     * Duplicates are rare: they are found by the 64-bit hash of {@code (source, event_id)} that validation stored
     * ({@code key_hash}), one fixed-width column to read, group and look up. Only the rows whose hash repeats are
     * candidates; they leave the accepted rows by that hash alone, and each event's standing copy comes back. A hash
     * collision just makes one more candidate, which stands as its own event. Copies are not told apart by their
     * place: a database's rows all have line 0.
     *
     * @param accepted validated rows without a reason, with {@code key_hash}
     */
    public static Duplicates resolve(Dataset<Row> accepted) {
        Dataset<Row> repeatedHashes = accepted.groupBy("key_hash").count().where(col("count").gt(1))
                .select("key_hash").persist(StorageLevel.MEMORY_AND_DISK());
        Column[] all = Arrays.stream(accepted.columns()).map(functions::col).toArray(Column[]::new);
        // The latest recorded_at stands, then the later file and line; then a hash of the whole row, so that equal
        // database rows (same place) give the same winner on every run.
        Dataset<Row> candidates = accepted.join(broadcast(repeatedHashes), "key_hash", "left_semi")
                .withColumn("rn", row_number().over(Window.partitionBy("source", "event_id")
                        .orderBy(col("recorded_at").desc_nulls_last(), col("file").desc(), col("line").desc(),
                                xxhash64(all).desc())))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> winners = candidates.where(col("rn").equalTo(1));
        Dataset<Row> keys = candidates.groupBy("source", "event_id").agg(count(lit(1)).as("copies"))
                .where(col("copies").gt(1)).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> kept = accepted.join(broadcast(repeatedHashes), "key_hash", "left_anti")
                .unionByName(winners.select(all));
        Dataset<Row> repeated = winners.join(broadcast(keys), new String[] {"source", "event_id"})
                .select(col("source"), col("event_id"), col("copies"), col("student_id"), col("subject_code"),
                        col("academic_year"), col("term"), lit("DUPLICATE").as("issue"),
                        concat(col("source"), lit(" event "), col("event_id"), lit(" delivered "),
                                col("copies").cast("string"), lit(" times; kept the version recorded at "),
                                col("recorded_at").cast("string"), lit(" (score "), col("score").cast("string"),
                                lit(")")).as("detail"),
                        col("school_id"), col("class_label"));
        return new Duplicates(kept, repeated);
    }

    /** The reconciliation rows of {@code repeated} events ({@link #repeated} or a kept copy of it). */
    public static Dataset<Row> findings(Dataset<Row> repeated) {
        return repeated.selectExpr(FINDING_COLUMNS);
    }

    /** Copies merged away per source: each repeated event's copies but the one kept. */
    public static Map<String, Long> mergedBySource(Dataset<Row> repeated) {
        Map<String, Long> merged = new TreeMap<>();
        for (Row r : repeated.groupBy("source").agg(sum(col("copies").minus(1))).collectAsList()) {
            merged.put(r.getString(0), r.getLong(1));
        }
        return merged;
    }
}
