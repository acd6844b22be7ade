package kz.baga.service.warehouse;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.Snapshots;
import org.junit.jupiter.api.Test;

/**
 * CPU time of the warehouse reads behind the district indicators and a school's model, on a real warehouse, in
 * this test's fresh JVM: the first (cold) call, then the best and the median after warm-up. Runs only with
 * {@code -Dbaga.bench.warehouse=WAREHOUSE_DIR} (a folder with {@code CURRENT}); {@code -Dbaga.bench.reads=...}
 * picks some of {@code indicators,years,school,whole}, {@code -Dbaga.bench.reps=30} the repetitions. Prints a
 * Markdown table and a digest of what was read (rows in the order read), so that two builds can be checked to
 * read the same cells.
 */
class WarehouseReadBench {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** Parquet's logging as the service sets it (application.properties), so debug messages are not formatted. */
    private static final java.util.logging.Logger PARQUET_LOG =
            org.jboss.logmanager.Logger.getLogger("org.apache.parquet");

    static {
        PARQUET_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** The same outside JUnit, in a plain JVM: {@code java -cp TEST_CLASSPATH ...WarehouseReadBench WAREHOUSE_DIR}. */
    public static void main(String[] args) throws Exception {
        System.setProperty("baga.bench.warehouse", args[0]);
        new WarehouseReadBench().districtIndicatorsAndSchoolModel();
    }

    @Test
    void districtIndicatorsAndSchoolModel() throws Exception {
        String wh = System.getProperty("baga.bench.warehouse");
        assumeTrue(wh != null && !wh.isBlank(), "-Dbaga.bench.warehouse=WAREHOUSE_DIR runs it");
        Path root = Paths.get(wh);
        String id = Files.readString(root.resolve(Snapshots.CURRENT)).trim();
        Path dir = root.resolve(Snapshots.snapshotPath(id));
        Snapshot snap = new Snapshot(id, dir,
                new ObjectMapper().readValue(dir.resolve(Snapshots.MANIFEST).toFile(), SnapshotManifest.class));
        String district = System.getProperty("baga.bench.district",
                snap.schools().values().iterator().next().districtId());
        String school = System.getProperty("baga.bench.school", snap.schools().keySet().iterator().next());
        int term = Integer.getInteger("baga.bench.term", 4);
        String subject = System.getProperty("baga.bench.subject", "ALL");
        int reps = Integer.getInteger("baga.bench.reps", 30);
        String reads = System.getProperty("baga.bench.reads", "indicators,years,school,whole");
        String year = snap.currentYear();

        StringBuilder out = new StringBuilder("snapshot " + id + ", district " + district + ", year " + year
                + ", term " + term + ", subject " + subject + ", school " + school + "\n\n"
                + "| read | rows | digest | first call ms CPU | best ms CPU | median ms CPU | reps |\n"
                + "|---|---|---|---|---|---|---|\n");
        DistrictModel.Filter one = new DistrictModel.Filter(year, term, subject, null);
        if (reads.contains("indicators")) {
            measure(out, "district indicators (one term and subject)", reps,
                    () -> new DistrictModel(snap, district, 5, one), WarehouseReadBench::summary);
        }
        if (reads.contains("years")) {
            measure(out, "district years (one column)", reps, () -> DistrictModel.years(snap, district),
                    y -> new long[]{y.size(), digest(y.toString())});
        }
        if (reads.contains("school")) {
            measure(out, "school model (9 tables of one school)", Math.max(3, reps / 3),
                    () -> new SchoolModel(snap, school), WarehouseReadBench::summary);
        }
        if (reads.contains("whole")) {
            measure(out, "whole district (every cell)", Math.max(3, reps / 6),
                    () -> new DistrictModel(snap, district, 5, DistrictModel.Filter.ALL), WarehouseReadBench::summary);
        }
        System.out.println(out);
    }

    /**
     * The first call, then as many warm-up calls as measured ones, then {@code reps} measured calls; the summary
     * (rows and digest) is taken outside the measured time, of the first and the last call.
     */
    private static <T> void measure(StringBuilder out, String what, int reps, Supplier<T> read,
                                    Function<T, long[]> summary) {
        long t0 = CPU.getCurrentThreadCpuTime();
        T first = read.get();
        long cold = CPU.getCurrentThreadCpuTime() - t0;
        for (int i = 0; i < reps; i++) {
            read.get();
        }
        long[] ns = new long[reps];
        T last = null;
        for (int i = 0; i < reps; i++) {
            long t = CPU.getCurrentThreadCpuTime();
            last = read.get();
            ns[i] = CPU.getCurrentThreadCpuTime() - t;
        }
        long[] s = summary.apply(first);
        if (!Arrays.equals(s, summary.apply(last))) {
            throw new AssertionError(what + ": a later call read something else");
        }
        Arrays.sort(ns);
        out.append(String.format("| %s | %,d | %08x | %.1f | %.1f | %.1f | %d |%n", what, s[0], s[1],
                cold / 1e6, ns[0] / 1e6, ns[reps / 2] / 1e6, reps));
    }

    private static long[] summary(DistrictModel m) {
        return new long[]{m.rowCount(), digest(m.years() + "" + m.schoolCells() + m.districtCells())};
    }

    private static long[] summary(SchoolModel m) {
        StringBuilder b = new StringBuilder().append(m.students()).append(m.years()).append(m.classLabels());
        for (String s : m.students().keySet()) {
            b.append(m.termGrades(s)).append(m.annualGrades(s)).append(m.rankings(s)).append(m.dynamics(s));
        }
        b.append(m.medals()).append(m.findings()).append(m.rejected());
        return new long[]{m.rowCount(), digest(b.toString())};
    }

    private static long digest(String s) {
        return s.hashCode() & 0xffffffffL;
    }
}
