package kz.baga.jobs.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import kz.baga.jobs.ForkedJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse lock between two processes, as two pipeline runs would hold it: in-process tests cannot show this,
 * because a JVM never opens the lock file of a warehouse it already holds.
 */
class WarehouseLockProcessTest {

    @TempDir
    Path tmp;

    private Process holder;

    /** The other process: takes the lock, says so, and holds it until its stdin closes or it is killed. */
    public static void main(String[] args) throws IOException {
        try (WarehouseLock lock = WarehouseLock.acquire(Path.of(args[0]), false, null)) {
            System.out.println("held");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our stdin
            }
        }
    }

    @AfterEach
    void stopHolder() {
        if (holder != null) {
            holder.destroyForcibly();
        }
    }

    @Test
    void aRunInAnotherProcessRefusesUsNamingItsPidAndItsDeathReleasesTheWarehouse() throws Exception {
        Path wh = tmp.resolve("wh");
        startHolder(wh);
        String childPid = "pid " + holder.pid() + " on ";

        assertThat(WarehouseLock.holderIfBusy(wh)).hasValueSatisfying(h -> assertThat(h).startsWith(childPid));
        assertThatThrownBy(() -> WarehouseLock.acquire(wh, false, null))
                .isInstanceOf(WarehouseLock.BusyException.class)
                .hasMessageContaining("is in use by another pipeline run (" + childPid);

        // kill -9: no chance to clean up; the operating system drops the lock, the file stays behind
        holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(wh.resolve(WarehouseLock.FILE)).exists();
        assertThat(WarehouseLock.holderIfBusy(wh)).isEmpty();
        try (WarehouseLock mine = WarehouseLock.acquire(wh, false, null)) {
            assertThat(Files.readString(wh.resolve(WarehouseLock.FILE)))
                    .startsWith("pid " + ProcessHandle.current().pid() + " on ");
        }
    }

    @Test
    void withWaitARunWaitsForTheOtherProcessToFinish() throws Exception {
        Path wh = tmp.resolve("wh");
        startHolder(wh);
        List<String> told = new CopyOnWriteArrayList<>();
        CompletableFuture<WarehouseLock> second = CompletableFuture.supplyAsync(() -> {
            try {
                return WarehouseLock.acquire(wh, true, told::add);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1500);
        assertThat(second).isNotDone();
        assertThat(told).singleElement().asString()
                .startsWith("waiting for the warehouse")
                .contains("pid " + holder.pid() + " on ");

        holder.getOutputStream().close();
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (WarehouseLock lock = second.get(30, TimeUnit.SECONDS)) {
            assertThat(lock.started()).isNotNull();
        }
    }

    private void startHolder(Path wh) throws IOException {
        List<String> cmd = ForkedJvm.command("128m", WarehouseLockProcessTest.class.getName());
        // this class lives in the test classes, which ForkedJvm's classpath does not name
        int cp = cmd.indexOf("-cp") + 1;
        cmd.set(cp, ForkedJvm.ROOT.resolve("analytics-jobs/target/test-classes") + File.pathSeparator + cmd.get(cp));
        cmd.add(wh.toString());
        holder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("the holder process took the lock").isEqualTo("held");
    }
}
