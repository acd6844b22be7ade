package kz.baga.jobs;

import org.apache.spark.sql.SparkSession;

/** The Spark session settings Baga runs with, in one place (tests use the same ones with local[2]). */
public final class SparkSessions {

    private SparkSessions() {
    }

    public static SparkSession.Builder builder(String master, int shufflePartitions) {
        SparkSession.Builder b = SparkSession.builder()
                .appName("baga-pipeline")
                .master(master)
                // A batch run has no one watching its web UI; it would only take a port and listener threads.
                .config("spark.ui.enabled", "false")
                // The pipeline prints its own progress lines; Spark's progress bar would break into them.
                .config("spark.ui.showConsoleProgress", "false")
                // Sized by the caller to the cores and the input (PipelineCommand.defaultPartitions).
                .config("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions))
                // Locally the partitions already fit the cores: re-planning after each shuffle would only cost time.
                .config("spark.sql.adaptive.enabled", String.valueOf(!master.startsWith("local")))
                // Where adaptive execution is on, a cluster's many small shuffle partitions become fewer tasks.
                .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
                // Dates and timestamps mean the same on every machine, whatever its own time zone.
                .config("spark.sql.session.timeZone", "UTC")
                // Windows-1251 exports are decoded with the built-in decode(); Spark 4 needs this for non-UTF charsets.
                .config("spark.sql.legacy.javaCharsets", "true")
                // The reference tables (schools, subjects, a city's pupil directory) are broadcast, not shuffled.
                .config("spark.sql.autoBroadcastJoinThreshold", String.valueOf(64L << 20))
                // Pinned rather than left to Spark's default: the service's Parquet reader ships this codec.
                .config("spark.sql.parquet.compression.codec", "snappy")
                // A snapshot is complete when its manifest is written; _SUCCESS files would only be clutter.
                .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
                // Standard Parquet timestamps rather than legacy INT96, which readers outside Spark may not know.
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                // Per-page CRCs cost CPU on every value written, and no reader here verifies them.
                .config("spark.hadoop.parquet.page.write-checksum.enabled", "false")
                // Size statistics no reader here uses; min/max statistics stay, the service skips row groups by them.
                .config("spark.hadoop.parquet.size.statistics.enabled", "false")
                // Partitioned writes (a folder per school) need no sort of each task's rows up to this many schools.
                .config("spark.sql.maxConcurrentOutputFileWriters", "32")
                // Plans of the wide validation rows are shown whole in logs and errors, not cut short.
                .config("spark.sql.debug.maxToStringFields", "200")
                // A whole-stage method over 8,000 bytes of bytecode is too big for HotSpot's C1 at its profiling tier
                // (it gives up, and with generated classes kept off C2 the method would run interpreted: see
                // EventValidator.endStage). Such a stage runs without whole-stage code generation instead: slower
                // than a compiled stage, far faster than an interpreted one. The pipeline's own stages stay under
                // it (ValidationCodegenTest); this catches the rest, e.g. a source with many more columns.
                .config("spark.sql.codegen.hugeMethodLimit", "8000")
                // Room for every class a run generates, so later stages and a server's later runs reuse them.
                .config("spark.sql.codegen.cache.maxEntries", "1000");
        if (master.startsWith("local")) {
            // A local run talks only to itself: loopback, whatever the machine's host name resolves to.
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        } else {
            // Executors are JVMs of their own and need the driver's module opens (passed in as baga.jvm.flags).
            String flags = System.getProperty("baga.jvm.flags", "");
            if (!flags.isBlank()) {
                b.config("spark.executor.extraJavaOptions", flags);
            }
        }
        return b;
    }
}
