package kz.baga.service.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy's catch-up on real files, without the service: a copy that could not be written while the local file
 * rotated gets the rest of the archived file and then the new one, in order; a line cut short by a failed write is
 * ended and counted, not compared.
 */
class CheckpointCopyTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static Checkpoints.Checkpoint head(long seq) {
        return new Checkpoints.Checkpoint(Checkpoints.Kind.head, seq, String.format("%064x", seq), Instant.now(), 1,
                0, 0);
    }

    /** Every local line in order: the archives by generation, then the current file. */
    private static List<String> allLines(Checkpoints cps) throws Exception {
        List<Path> archives = new ArrayList<>();
        if (Files.isDirectory(cps.archiveDir())) {
            try (Stream<Path> s = Files.list(cps.archiveDir())) {
                archives.addAll(s.toList());
            }
        }
        archives.sort(Comparator.comparingLong(p -> {
            try {
                String first = Files.readAllLines(p).get(0);
                return first.contains(" gen=") ? Long.parseLong(first.replaceAll(".* gen=(\\d+).*", "$1")) : 0L;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        List<String> out = new ArrayList<>();
        for (Path a : archives) {
            out.addAll(Files.readAllLines(a));
        }
        out.addAll(Files.readAllLines(cps.file()));
        return out;
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCopyThatMissedARotationCatchesUpInOrder() throws Exception {
        Checkpoints cps = new Checkpoints(dir.resolve("local/checkpoints.log"), KEY, 900, Clock.systemUTC());
        cps.open();
        Path copyDir = dir.resolve("copy");
        Files.createDirectories(copyDir);
        CheckpointCopy copy = new CheckpointCopy(copyDir, cps, Duration.ZERO);
        cps.copyTo(copy);
        copy.start();
        try {
            cps.append(head(1));
            cps.append(head(2));
            waitFor("two lines copied", () -> lines(copy.file()).size() == 2);

            // the copy folder goes away (an unmounted share) while the local file rotates
            Files.move(copyDir, dir.resolve("copy-away"));
            for (long seq = 3; seq <= 6; seq++) {
                cps.append(head(seq));
            }
            assertThat(cps.read().rotation()).as("rotated meanwhile").isNotNull();
            waitFor("the failure seen", () -> copy.status().degraded());
            assertThat(copy.status().episodes()).isEqualTo(1);

            Files.move(dir.resolve("copy-away"), copyDir);
            cps.append(head(7));
            waitFor("the copy caught up", () -> {
                try {
                    return lines(copy.file()).equals(allLines(cps));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // the writer clears its failure just after the lines are written
            waitFor("the failure over", () -> !copy.status().degraded());
            assertThat(copy.status().episodes()).isEqualTo(1);
            Map<String, Object> cmp = copy.compare(cps.read());
            assertThat(cmp.get("problems")).asList().isEmpty();
            assertThat(cmp.get("lines")).isEqualTo((long) allLines(cps).size());
        } finally {
            copy.close();
        }
    }

    @Test
    void aTornLineIsEndedAndNotCompared() throws Exception {
        Checkpoints cps = new Checkpoints(dir.resolve("local/checkpoints.log"), KEY, 16L << 20, Clock.systemUTC());
        cps.open();
        cps.append(head(1));
        cps.append(head(2));
        Path copyDir = Files.createDirectories(dir.resolve("copy"));
        List<String> local = Files.readAllLines(cps.file());
        // the first line whole, then half of the second: a write cut short
        Files.writeString(copyDir.resolve("checkpoints.log"), local.get(0) + "\n" + local.get(1).substring(0, 40));
        CheckpointCopy copy = new CheckpointCopy(copyDir, cps, Duration.ZERO);
        cps.copyTo(copy);
        copy.start();
        try {
            waitFor("the copy caught up", () -> lines(copy.file()).size() == 3);
            assertThat(lines(copy.file())).containsExactly(local.get(0), local.get(1).substring(0, 40), local.get(1));
            Map<String, Object> cmp = copy.compare(cps.read());
            assertThat(cmp.get("problems")).asList().isEmpty();
            assertThat(cmp.get("tornLines")).isEqualTo(1L);
        } finally {
            copy.close();
        }
    }
}
