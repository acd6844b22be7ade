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

    /** What picks a standing copy or describes it, read of each candidate when places are unique. */
    private static final String[] CANDIDATE_COLUMNS = {"key_hash", "source", "event_id", "recorded_at", "file", "line",
            "student_id", "subject_code", "academic_year", "term", "score", "school_id", "class_label"};

    /** The columns of a {@code DUPLICATE} finding, as {@code reconciliation} has them. */
    public static final String[] FINDING_COLUMNS = {"student_id", "subject_code", "academic_year", "term", "issue",
            "detail", "school_id", "class_label"};

    /**
     * Duplicates are rare: they are found by the 64-bit hash of {@code (source, event_id)} that validation stored
     * ({@code key_hash}), one fixed-width column to read, group and look up. Only the rows whose hash repeats are
     * candidates, and of those only the columns that pick the surviving copy or describe it are read; a hash
     * collision just makes one more candidate, which keeps its single copy. The copies that lose are then left out
     * by their {@code (key_hash, file, line)}, so the one full pass over the accepted rows is the caller's write of
     * {@link #kept}.
     *
     * @param accepted     validated rows without a reason, with {@code key_hash}
     * @param sharedPlaces whether copies may share their place: a database's rows all have line 0. Then candidates
     *                     are read whole, and a standing copy that shares its place with a losing one is added back.
     */
    public static Duplicates resolve(Dataset<Row> accepted, boolean sharedPlaces) {
        Dataset<Row> repeatedHashes = accepted.groupBy("key_hash").count().where(col("count").gt(1))
                .select("key_hash").persist(StorageLevel.MEMORY_AND_DISK());
        Column[] read = (sharedPlaces ? Arrays.stream(accepted.columns()) : Arrays.stream(CANDIDATE_COLUMNS))
                .map(functions::col).toArray(Column[]::new);
        String[] place = {"key_hash", "file", "line"};
        // The latest recorded_at stands, then the later file and line; then a hash of the row, so that equal
        // database rows (same place) give the same winner on every run.
        Dataset<Row> candidates = accepted.select(read)
                .join(broadcast(repeatedHashes), "key_hash", "left_semi")
                .withColumn("rn", row_number().over(Window.partitionBy("source", "event_id")
                        .orderBy(col("recorded_at").desc_nulls_last(), col("file").desc(), col("line").desc(),
                                xxhash64(read).desc())))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> losers = candidates.where(col("rn").gt(1)).select(place[0], place[1], place[2]);
        Dataset<Row> winners = candidates.where(col("rn").equalTo(1));
        Dataset<Row> keys = candidates.groupBy("source", "event_id").agg(count(lit(1)).as("copies"))
                .where(col("copies").gt(1)).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> kept = accepted.join(broadcast(losers), place, "left_anti");
        if (sharedPlaces) {
            kept = kept.unionByName(winners.join(broadcast(losers), place, "left_semi").select(read)
                    .coalesce(1));
        }
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
