package kz.baga.jobs.snapshot;

import static kz.baga.jobs.SparkTestBase.SAMPLE;
import static kz.baga.jobs.SparkTestBase.TEST_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import kz.baga.jobs.cli.PipelineCommand;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pipeline run at a time per warehouse: while a run holds {@code WAREHOUSE/.lock}, a second one is refused at
 * once, in one line that names the holder, with exit status 4; once the lock is released the next run gets it.
 * Killed runs' work folders are removed by the next run that holds the lock.
 */
class WarehouseLockTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondHolderIsRefusedWithTheFirstOnesPidUntilItReleases() throws IOException {
        Path wh = tmp.resolve("wh");
        String pid = "pid " + ProcessHandle.current().pid() + " on ";
        try (WarehouseLock first = WarehouseLock.acquire(wh, false, null)) {
            assertThat(Files.readString(wh.resolve(WarehouseLock.FILE))).startsWith(pid);
            assertThat(WarehouseLock.holderIfBusy(wh)).hasValueSatisfying(h -> assertThat(h).startsWith(pid));
            assertThatThrownBy(() -> WarehouseLock.acquire(wh, false, null))
                    .isInstanceOf(WarehouseLock.BusyException.class)
                    .hasMessageContaining("is in use by another pipeline run (" + pid);
        }
        assertThat(WarehouseLock.holderIfBusy(wh)).isEmpty();
        try (WarehouseLock again = WarehouseLock.acquire(wh, false, null)) {
            assertThat(again.started()).isBeforeOrEqualTo(Instant.now());
        }
    }

    @Test
    void withWaitTheSecondRunWaitsForTheFirst() throws Exception {
        Path wh = tmp.resolve("wh");
        List<String> told = new ArrayList<>();
        WarehouseLock first = WarehouseLock.acquire(wh, false, null);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(1500);
                first.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        releaser.start();
        try (WarehouseLock second = WarehouseLock.acquire(wh, true, told::add)) {
            assertThat(told).singleElement().asString().startsWith("waiting for the warehouse");
        }
        releaser.join();
    }

    @Test
    void thePipelineCommandIsRefusedWhileAnotherRunHoldsTheWarehouse() throws IOException {
        Path wh = tmp.resolve("wh");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (WarehouseLock held = WarehouseLock.acquire(wh, false, null)) {
            int code = PipelineCommand.run(new String[] {"--input", SAMPLE.toString(), "--warehouse", wh.toString(),
                    "--quiet"}, java.util.Map.of("BAGA_ID_KEY", TEST_KEY), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).isEqualTo(4);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).hasLineCount(1)
                .startsWith("baga pipeline: warehouse " + wh + " is in use by another pipeline run (pid "
                        + ProcessHandle.current().pid() + " on ")
                .contains("run again when it has finished, or add --wait");
        assertThat(wh.resolve("CURRENT")).doesNotExist();
    }

    @Test
    void workFoldersOfKilledRunsAreRemovedButNotTheCurrentRuns() throws IOException {
        Path wh = tmp.resolve("wh");
        SnapshotStore store = SnapshotStore.open(wh.toString(), new Configuration());
        Path killed = Files.createDirectories(wh.resolve("_work/20261201T000000Z-aaaaaa/validated"));
        Files.setLastModifiedTime(killed.getParent(), FileTime.from(Instant.parse("2026-12-01T00:00:00Z")));
        Path mine = Files.createDirectories(wh.resolve("_work/20261206T000000Z-bbbbbb"));
        Files.setLastModifiedTime(mine, FileTime.from(Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(store.cleanStaleWork("20261206T000000Z-bbbbbb", Instant.now().toEpochMilli()))
                .containsExactly("20261201T000000Z-aaaaaa");
        assertThat(killed.getParent()).doesNotExist();
        assertThat(mine).isDirectory();
    }
}
