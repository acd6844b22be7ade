package kz.baga.jobs.snapshot;

import static org.apache.spark.sql.functions.col;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kz.baga.contract.Table;
import kz.baga.jobs.SparkSessions;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Compares two snapshot folders table by table as multisets of rows: the same rows and values, whatever the file
 * layout (number of files, row order, partition folders). The incremental-run test and the benchmark use it to show
 * that an incremental snapshot equals a full one.
 *
 * <pre>java -cp analytics-jobs.jar kz.baga.jobs.snapshot.SnapshotDiff --a DIR --b DIR</pre>
 *
 * Exit status: 0 every table the same, 1 a table differs (or one could not be read), 2 bad arguments.
 */
public final class SnapshotDiff {

    /** Rows shown per side of a table that differs. */
    private static final int EXAMPLES = 3;

    private SnapshotDiff() {
    }

    /** One table's comparison; examples are up to 3 rows (as strings) only in a and up to 3 only in b. */
    public record TableDiff(String table, long rowsA, long rowsB, long onlyInA, long onlyInB, List<String> examples) {
        public boolean same() {
            return onlyInA == 0 && onlyInB == 0 && rowsA == rowsB;
        }
    }

    /**
     * Every table of the contract ({@link Table#values()}), in contract order. A table folder missing on both sides
     * counts as empty on both; missing on one side only is a difference (rows of the other side).
     *
     * @throws IllegalArgumentException when a snapshot folder itself does not exist (every table would be "same")
     */
    public static List<TableDiff> compare(SparkSession spark, String snapshotA, String snapshotB) {
        requireFolder(spark, snapshotA);
        requireFolder(spark, snapshotB);
        List<TableDiff> out = new ArrayList<>();
        for (Table table : Table.values()) {
            Dataset<Row> a = read(spark, snapshotA, table);
            Dataset<Row> b = read(spark, snapshotB, table);
            if (a == null && b == null) {
                // Nothing to compare: no Spark jobs for a table neither run wrote.
                out.add(new TableDiff(table.tableName(), 0, 0, 0, 0, List.of()));
            } else {
                out.add(compare(table, a != null ? a : empty(spark, table), b != null ? b : empty(spark, table)));
            }
        }
        return out;
    }

    private static TableDiff compare(Table table, Dataset<Row> a, Dataset<Row> b) {
        // exceptAll keeps duplicates (a row twice in a, once in b is once only in a), unlike except.
        Dataset<Row> onlyA = a.exceptAll(b);
        Dataset<Row> onlyB = b.exceptAll(a);
        long onlyInA = onlyA.count();
        long onlyInB = onlyB.count();
        List<String> examples = new ArrayList<>();
        examples.addAll(examples(onlyA, onlyInA, "a: "));
        examples.addAll(examples(onlyB, onlyInB, "b: "));
        return new TableDiff(table.tableName(), a.count(), b.count(), onlyInA, onlyInB, List.copyOf(examples));
    }

    /**
     * A few rows of one side's difference. Sorted by every column so that a changed row's two versions, which share
     * their leading key columns, tend to be shown side by side; Spark takes the first rows per task (no full sort).
     */
    private static List<String> examples(Dataset<Row> diff, long count, String prefix) {
        if (count == 0) {
            return List.of();
        }
        Column[] order = Arrays.stream(diff.columns()).map(c -> col(c).asc_nulls_first())
                .toArray(Column[]::new);
        return diff.orderBy(order).limit(EXAMPLES).collectAsList().stream().map(r -> prefix + r).toList();
    }

    /** An empty table with the contract's columns: the side of a table whose folder is missing. */
    private static Dataset<Row> empty(SparkSession spark, Table table) {
        return typed(spark.createDataFrame(List.of(), StructType.fromDDL(table.ddl())), table);
    }

    /**
     * A table of a snapshot with the contract's columns, types and order; null when the folder is missing or holds
     * no Parquet file (Spark cannot infer a schema from no files).
     */
    private static Dataset<Row> read(SparkSession spark, String snapshot, Table table) {
        Path folder = new Path(snapshot, table.tableName());
        if (!hasParquetFiles(spark, folder)) {
            return null;
        }
        StructType found = spark.read().parquet(folder.toString()).schema();
        if (table.partitionColumn().isPresent()) {
            // Partition discovery guesses a folder value's type: school_id=007 would come back as the int 7, and cast
            // back to "7" it would equal another school's "7". Read the folder column as the contract types it
            // instead; the data columns keep the types their files have and are cast in typed().
            String p = table.partitionColumn().get();
            DataType type = DataType.fromDDL(table.column(p).type());
            found = new StructType(Arrays.stream(found.fields())
                    .map(f -> f.name().equals(p) ? new StructField(p, type, true, f.metadata()) : f)
                    .toArray(StructField[]::new));
        }
        return typed(spark.read().schema(found).parquet(folder.toString()), table);
    }

    private static Dataset<Row> typed(Dataset<Row> raw, Table table) {
        List<Column> cols = new ArrayList<>();
        for (kz.baga.contract.Column c : table.columns()) {
            // Compared as the contract types them, so a column stored in another type still compares by value.
            cols.add(col(c.name()).cast(c.type()).as(c.name()));
        }
        return raw.select(cols.toArray(Column[]::new));
    }

    private static boolean hasParquetFiles(SparkSession spark, Path folder) {
        try {
            FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(folder)) {
                return false;
            }
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(folder, true);
            while (files.hasNext()) {
                if (files.next().getPath().getName().endsWith(".parquet")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireFolder(SparkSession spark, String snapshot) {
        Path p = new Path(snapshot);
        try {
            if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(p).isDirectory()) {
                throw new IllegalArgumentException(snapshot + " is not a folder");
            }
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("no snapshot folder " + snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code --a DIR --b DIR}: one line per table, the examples of a table that differs indented below it. Exit
     * status 0 all the same, 1 any differs, 2 bad arguments.
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /**
     * {@link #main} without the exit. Uses the JVM's Spark session when there is one (a test's) and leaves it
     * running; otherwise starts a {@code local[2]} one and stops it at the end.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String a = null;
        String b = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--a" -> a = i + 1 < args.length ? args[++i] : null;
                case "--b" -> b = i + 1 < args.length ? args[++i] : null;
                default -> {
                    err.println("snapshot diff: unknown argument '" + args[i] + "'; usage: --a DIR --b DIR");
                    return 2;
                }
            }
        }
        if (a == null || b == null) {
            err.println("snapshot diff: usage: --a DIR --b DIR");
            return 2;
        }
        boolean own = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSessions.builder("local[2]", 8).getOrCreate();
        if (own) {
            spark.sparkContext().setLogLevel("WARN");
        }
        try {
            try {
                requireFolder(spark, a);
                requireFolder(spark, b);
            } catch (IllegalArgumentException e) {
                err.println("snapshot diff: " + e.getMessage());
                return 2;
            }
            List<TableDiff> diffs = compare(spark, a, b);
            boolean allSame = true;
            for (TableDiff d : diffs) {
                if (d.same()) {
                    out.println("same  " + d.table() + " " + d.rowsA() + " rows");
                } else {
                    allSame = false;
                    out.println("DIFF  " + d.table() + " a " + d.rowsA() + " b " + d.rowsB() + ": " + d.onlyInA()
                            + " only in a, " + d.onlyInB() + " only in b");
                    d.examples().forEach(e -> out.println("      " + e));
                }
            }
            return allSame ? 0 : 1;
        } catch (Exception e) {
            // A table that cannot be read (a contract column missing, a broken file) is not shown to be the same.
            String msg = String.valueOf(e.getMessage());
            err.println("snapshot diff: failed: " + msg.lines().findFirst().orElse(e.toString()));
            return 1;
        } finally {
            if (own) {
                spark.stop();
            }
        }
    }
}
