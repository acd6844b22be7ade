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
                .config("spark.sql.adaptive.enabled", "true")
                .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
                .config("spark.sql.session.timeZone", "UTC")
                // Windows-1251 exports are decoded with the built-in decode(); Spark 4 needs this for non-UTF charsets.
                .config("spark.sql.legacy.javaCharsets", "true")
                .config("spark.sql.autoBroadcastJoinThreshold", String.valueOf(64L << 20))
                .config("spark.sql.parquet.compression.codec", "snappy")
                .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                // Partitioned writes (a folder per school) without sorting each task's rows first, as long as a
                // task holds at most this many schools; beyond that Spark falls back to sorting.
                .config("spark.sql.maxConcurrentOutputFileWriters", "32")
                .config("spark.sql.debug.maxToStringFields", "200");
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
