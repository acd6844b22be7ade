package kz.baga.jobs.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import kz.baga.jobs.Pipeline;
import kz.baga.jobs.SparkSessions;
import kz.baga.jobs.ingest.InputException;
import kz.baga.jobs.ingest.InputFolder;
import kz.baga.jobs.ingest.StudentIds;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.WarehouseLock;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./baga pipeline --input DIR --warehouse DIR [--master URL] [--rules FILE]}: ingest and all aggregations,
 * one committed snapshot, a summary. Exit status: 0 done, 2 bad arguments, 3 unusable input or rules, 4 the warehouse
 * is in use by another run, 1 failure.
 */
public final class PipelineCommand {

    static final String USAGE = """
            usage: ./baga pipeline --input DIR --warehouse DIR [--master URL] [--rules FILE]
                                   [--full] [--keep N] [--shuffle-partitions N] [--wait] [--quiet]

              --input DIR             input folder (schools.csv, students.csv, subjects.csv, events/, sources/)
              --warehouse DIR         warehouse folder, local path, hdfs:// or s3a:// (created if missing)
              --master URL            Spark master (default local[*]; e.g. spark://127.0.0.1:7077)
              --rules FILE            rules file (default: the built-in %s)
              --full                  recompute everything (default: incremental when only event files changed
                                      since the current snapshot: only what they can change is recomputed)
              --keep N                committed snapshots to keep (default 5; the current one is never removed)
              --shuffle-partitions N  Spark shuffle partitions (default locally: 1 per core and 128 MB of event
                                      files, 1 to 4 per core; 64 on a cluster)
              --wait                  wait while another run holds the warehouse (default: refuse, exit 4)
              --quiet                 only the summary, no progress lines

            environment: BAGA_ID_KEY  key of the pseudonymous student_id (HMAC of the IIN); a demo key is
                                      used, with a warning, when it is not set
            """.formatted(Rules.DEFAULT_RESOURCE);

    /** Exit status when another run holds the warehouse: nothing was done, trying again later is right. */
    static final int BUSY = 4;

    private PipelineCommand() {
    }

    /** BAGA_DEBUG set: stack traces, the JIT directives' installation and the code generation count. */
    private static final String DEBUG_ENV = "BAGA_DEBUG";

    public static void main(String[] args) {
        // Before any Spark class is compiled; a failure only costs speed (BAGA_DEBUG=1 shows the JVM's answer).
        String jit = JitDirectives.install();
        if (System.getenv(DEBUG_ENV) != null) {
            System.err.println("baga pipeline: JIT directives: " + jit);
        }
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    /**
     * @param env the environment the run reads ({@code BAGA_ID_KEY}, {@code BAGA_DEBUG}, a JDBC source's variables):
     *            this JVM's, or a pipeline client's when the pipeline server runs the command
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean debug = env.get(DEBUG_ENV) != null;
        String input = null;
        String warehouse = null;
        String master = "local[*]";
        String rulesFile = null;
        int keep = 5;
        Integer shuffle = null;
        boolean quiet = false;
        boolean wait = false;
        boolean full = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--input" -> input = value(args, ++i, a);
                    case "--warehouse" -> warehouse = value(args, ++i, a);
                    case "--master" -> master = value(args, ++i, a);
                    case "--rules" -> rulesFile = value(args, ++i, a);
                    case "--keep" -> keep = positive(value(args, ++i, a), a);
                    case "--shuffle-partitions" -> shuffle = positive(value(args, ++i, a), a);
                    case "--quiet" -> quiet = true;
                    case "--wait" -> wait = true;
                    case "--full" -> full = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "' (see --help)");
                }
            }
            if (input == null || warehouse == null) {
                throw new IllegalArgumentException("--input DIR and --warehouse DIR are required (see --help)");
            }
            noGlob("--input", input);
            noGlob("--warehouse", warehouse);
        } catch (IllegalArgumentException e) {
            err.println("baga pipeline: " + e.getMessage());
            return 2;
        }

        Rules rules;
        try {
            rules = rulesFile == null ? Rules.defaults() : Rules.load(Path.of(rulesFile));
        } catch (Rules.RulesException e) {
            err.println("baga pipeline: " + e.getMessage());
            return 3;
        }
        InputFolder folder;
        try {
            // Fail on a wrong path in a second, before Spark starts; the run then reads this same folder.
            folder = InputFolder.open(input, hadoopConfiguration());
        } catch (InputException e) {
            err.println("baga pipeline: " + e.getMessage());
            return 3;
        }
        if (!wait && !warehouse.contains("://")) {
            // Refused before Spark starts; the run takes the lock itself (Pipeline), this is only the quick look.
            java.util.Optional<String> holder = WarehouseLock.holderIfBusy(Path.of(warehouse).toAbsolutePath());
            if (holder.isPresent()) {
                err.println("baga pipeline: warehouse " + warehouse + " is in use by another pipeline run ("
                        + holder.get() + "); run again when it has finished, or add --wait");
                return BUSY;
            }
        }
        StudentIds ids = StudentIds.fromEnvironment(env);
        if (ids.usesDemoKey()) {
            err.println("baga pipeline: warning: " + StudentIds.KEY_ENV
                    + " is not set; student ids use the public demo key (fine for a demo, not for real pupils)");
        }
        int partitions = shuffle != null ? shuffle
                : defaultPartitions(master, Runtime.getRuntime().availableProcessors(), folder.eventBytes());
        PrintStream progressOut = err;
        boolean showProgress = !quiet;
        SparkSession spark = null;
        try {
            spark = SparkSessions.builder(master, partitions).getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            long t0 = System.nanoTime();
            Pipeline.Result result = new Pipeline(spark, new Pipeline.Options(input, warehouse, rules,
                    rulesFile == null ? "builtin:" + Rules.DEFAULT_RESOURCE : rulesFile, ids, env, keep,
                    showProgress ? m -> progressOut.println("[" + seconds(t0) + "] " + m) : null, null, wait, full))
                    .run(folder);
            printSummary(result, warehouse, rules, out);
            if (debug) {
                // Generated classes compiled by Janino in this JVM (a cache hit compiles nothing).
                com.codahale.metrics.Histogram compiled =
                        org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME();
                long ms = Math.round(compiled.getSnapshot().getMean() * compiled.getCount());
                err.println("baga pipeline: code generation: " + compiled.getCount() + " classes compiled in about "
                        + ms + " ms (sampled mean × count)");
            }
            return 0;
        } catch (InputException e) {
            err.println("baga pipeline: " + e.getMessage());
            return 3;
        } catch (WarehouseLock.BusyException e) {
            err.println("baga pipeline: " + e.getMessage());
            return BUSY;
        } catch (Exception e) {
            err.println("baga pipeline: failed, CURRENT still names the previous snapshot: " + firstLine(e));
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        } finally {
            if (spark != null) {
                spark.stop();
            }
        }
    }

    /** Hadoop settings as Spark will see them: the defaults plus every {@code -Dspark.hadoop.*} property. */
    static org.apache.hadoop.conf.Configuration hadoopConfiguration() {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark.hadoop."))
                .forEach(k -> conf.set(k.substring("spark.hadoop.".length()), System.getProperty(k)));
        return conf;
    }

    /** Bytes of event files per shuffle partition and core that the local default aims at. */
    static final long BYTES_PER_PARTITION = 128L << 20;

    /**
     * Shuffle partitions when none are given. Locally, one per core for each 128 MB of event files, between 1 and 4
     * per core: a small district's shuffles then run as few, larger tasks (each task and each output file has a
     * fixed cost), while a large one keeps 4 per core
     * so that no task holds more than a core's share of memory. {@code eventBytes} ({@link InputFolder#eventBytes}) is
     * negative when unknown (a database source): the 4-per-core default. A cluster gets 64, which adaptive execution
     * coalesces to what the data needs.
     */
    static int defaultPartitions(String master, int cores, long eventBytes) {
        if (!master.startsWith("local")) {
            return 64;
        }
        int c = Math.max(1, cores);
        if (eventBytes < 0) {
            return 4 * c;
        }
        long perCore = Math.min(4, Math.max(1, (eventBytes + BYTES_PER_PARTITION - 1) / BYTES_PER_PARTITION));
        return (int) (perCore * c);
    }

    static void printSummary(Pipeline.Result r, String warehouse, Rules rules, PrintStream out) {
        Pipeline.SourceCounts t = r.total();
        out.printf(Locale.ROOT, "snapshot %s committed to %s (rules %s)%n", r.snapshotId(), warehouse, rules.version());
        if (r.run() != null) {
            out.println(r.run().summary());
        }
        out.printf(Locale.ROOT, "rows read %d = accepted %d + rejected %d + merged %d%n", t.read(), t.accepted(),
                t.rejected(), t.merged());
        for (Map.Entry<String, Pipeline.SourceCounts> e : r.sources().entrySet()) {
            Pipeline.SourceCounts c = e.getValue();
            out.printf(Locale.ROOT, "  %-12s read %d, accepted %d, rejected %d, merged %d%n", e.getKey(), c.read(),
                    c.accepted(), c.rejected(), c.merged());
        }
        if (!r.rejectedByReason().isEmpty()) {
            out.println("rejected by reason: " + r.rejectedByReason());
        }
        Long badEncoding = r.rejectedByReason().get("BAD_ENCODING");
        if (badEncoding != null) {
            out.println("  " + badEncoding + " rows are not valid UTF-8: convert their files to UTF-8, or put them in"
                    + " sources/NAME/ with a manifest that names the encoding, e.g. \"encoding\": \"windows-1251\"");
        }
        if (r.referenceRejected() > 0) {
            out.println("reference rows rejected (schools/subjects/students): " + r.referenceRejected());
        }
        out.println("tables: " + r.tableRows());
        StringBuilder stages = new StringBuilder();
        r.stageMillis().forEach((k, v) -> stages.append(String.format(Locale.ROOT, "%s %.1f s, ", k, v / 1000.0)));
        double secs = r.totalMillis() / 1000.0;
        out.printf(Locale.ROOT, "time: %stotal %.1f s (%.0f events/s)%n", stages, secs, secs > 0 ? t.read() / secs : 0.0);
        if (!r.pruned().isEmpty()) {
            out.println("pruned old snapshots: " + r.pruned());
        }
    }

    private static String seconds(long t0) {
        return String.format(Locale.ROOT, "%5.1fs", (System.nanoTime() - t0) / 1e9);
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage());
        return root.getClass().getSimpleName() + ": " + m.lines().findFirst().orElse("");
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value (see --help)");
        }
        return args[i];
    }

    /** Characters Hadoop reads as a glob pattern in a path: a folder named with them cannot be read back. */
    static final String GLOB_CHARS = "[]{}\\";

    /**
     * Rejects a path that Hadoop would read as a glob pattern ({@code wh-local[2]} matches {@code wh-local2}, not
     * itself): the pipeline lists and reads back its own files by path, which would fail half-way with
     * {@code PATH_NOT_FOUND}. One line, before anything starts.
     */
    static void noGlob(String flag, String path) {
        for (char c : GLOB_CHARS.toCharArray()) {
            if (path.indexOf(c) >= 0) {
                throw new IllegalArgumentException(flag + " '" + path + "' contains '" + c + "', which Hadoop reads as"
                        + " a glob pattern (" + String.join(" ", GLOB_CHARS.split("")) + "); use a path without them");
            }
        }
    }

    private static int positive(String v, String flag) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException(flag + " must be a positive whole number, not '" + v + "'");
    }
}
