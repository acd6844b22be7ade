package kz.baga.jobs;

import org.apache.spark.sql.SparkSession;

/** The Spark session settings Baga runs with, in one place (tests use the same ones with local[2]). */
public final class BagaSpark {

    private BagaSpark() {
    }

    public static SparkSession.Builder builder(String master, int shufflePartitions) {
        SparkSession.Builder b = SparkSession.builder()
                .appName("baga-pipeline")
                .master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions))
                // Adaptive execution re-plans after every shuffle and runs each query stage as a job of its own.
                // In local mode the partition count is already sized to the cores (a few per core), so there is
                // nothing for it to coalesce and its bookkeeping is pure cost (measured on 2 cores: 1 M events
                // 57.2 -> 51.5 s, 10 M 196 -> 181 s). A cluster keeps it: 64 partitions by default, which it
                // shrinks to what the data needs.
                .config("spark.sql.adaptive.enabled", String.valueOf(!master.startsWith("local")))
                .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
                .config("spark.sql.session.timeZone", "UTC")
                // Windows-1251 exports are decoded with the built-in decode(); Spark 4 needs this for non-UTF charsets.
                .config("spark.sql.legacy.javaCharsets", "true")
                .config("spark.sql.autoBroadcastJoinThreshold", String.valueOf(64L << 20))
                .config("spark.sql.parquet.compression.codec", "snappy")
                .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                // Per-page CRCs that no reader here verifies, and Parquet 1.15's size statistics (unencoded byte
                // counts and level histograms per page) that no reader here uses: both cost CPU on every value
                // written (1 M events: about 2 s of the run's 110 s of CPU, with column statistics off for the
                // staged rows too). Min/max statistics and column indexes stay: the service skips row groups by them.
                .config("spark.hadoop.parquet.page.write-checksum.enabled", "false")
                .config("spark.hadoop.parquet.size.statistics.enabled", "false")
                // Partitioned writes (a folder per school) without sorting each task's rows first, as long as a
                // task holds at most this many schools; beyond that Spark falls back to sorting.
                .config("spark.sql.maxConcurrentOutputFileWriters", "32")
                .config("spark.sql.debug.maxToStringFields", "200")
                // A whole-stage method over 8,000 bytes of bytecode is too big for HotSpot's C1 at its profiling tier
                // (it gives up, and with generated classes kept off C2 the method would run interpreted: see
                // EventValidator.endStage). Such a stage runs without whole-stage code generation instead: slower
                // than a compiled stage, far faster than an interpreted one. The pipeline's own stages stay under
                // it (ValidationCodegenTest); this catches the rest, e.g. a source with many more columns.
                .config("spark.sql.codegen.hugeMethodLimit", "8000")
                // Spark keeps 100 generated classes by default; a run generates about 570, so later stages compiled
                // again what earlier ones had (1 M events: 570 classes compiled, 534 with room for all), and a pipeline
                // server compiled every run's classes anew. A class is a few KB of metaspace.
                .config("spark.sql.codegen.cache.maxEntries", "1000");
        if (master.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        } else {
            // Executors are JVMs of their own: they need the same module opens as the driver
            // (the launcher and the tests pass the parent pom's list as baga.jvm.flags).
            String flags = System.getProperty("baga.jvm.flags", "");
            if (!flags.isBlank()) {
                b.config("spark.executor.extraJavaOptions", flags);
            }
        }
        return b;
    }
}
