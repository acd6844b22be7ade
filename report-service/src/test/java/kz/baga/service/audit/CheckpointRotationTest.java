package kz.baga.service.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation of the checkpoint file on real files, without the service: at the size limit and at a new month, the
 * archive names, what the rotation line carries forward, a rename whose new file was never written, and what the
 * archive chain check finds when an archive or the rotation line is tampered with.
 */
class CheckpointRotationTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class SetClock extends Clock {
        Instant now;

        SetClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static Checkpoints.Checkpoint head(long seq, Instant at) {
        return new Checkpoints.Checkpoint(Checkpoints.Kind.head, seq, String.format("%064x", seq), at, 1, 0, 0);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static List<Path> archives(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("archive"))) {
            return s.sorted().toList();
        }
    }

    @Test
    void rotatesAtTheSizeLimitAndCarriesTheLastHeadForward() throws Exception {
        SetClock clock = new SetClock(Instant.parse("2026-03-10T08:00:00Z"));
        Checkpoints cps = new Checkpoints(dir.resolve("checkpoints.log"), KEY, 600, clock);
        cps.open();
        long seq = 0;
        while (!Files.isDirectory(cps.archiveDir()) || archives(dir).size() < 3) {
            clock.now = clock.now.plusSeconds(30);
            cps.append(head(++seq, clock.now));
        }
        List<Path> archived = archives(dir);
        assertThat(archived).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoints-2026-03-2.log", "checkpoints-2026-03-3.log", "checkpoints-2026-03.log");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cps.archiveDir()))).isEqualTo("rwx------");
        for (Path a : archived) {
            List<String> lines = Files.readAllLines(a);
            long size = Files.size(a);
            String last = lines.get(lines.size() - 1) + "\n";
            // the line that reached the limit is the file's last: the next one began a new file
            assertThat(size).as(a.toString()).isGreaterThanOrEqualTo(600);
            assertThat(size - last.length()).as(a.toString()).isLessThan(600);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rw-------");
        }
        Checkpoints.Contents current = cps.read();
        Checkpoints.Checkpoint rotation = current.rotation();
        assertThat(rotation).isNotNull();
        assertThat(rotation.gen()).isEqualTo(3);
        assertThat(rotation.rotation().archive()).isEqualTo("checkpoints-2026-03-3.log");
        assertThat(rotation.rotation().sha256()).isEqualTo(sha256(cps.archiveDir().resolve("checkpoints-2026-03-3.log")));
        assertThat(current.problems()).isEmpty();
        // the first line of generation 0 keeps the format of files written before rotation existed
        assertThat(Files.readAllLines(cps.archiveDir().resolve("checkpoints-2026-03.log")).get(0))
                .doesNotContain(" gen=").startsWith("v1 kind=head seq=1 ");
        // the current file alone knows the last head, even before a head of its own
        assertThat(current.latestHead().seq()).isEqualTo(seq);
        assertThat(current.keyedFrom()).isEqualTo(1);

        Checkpoints.ArchiveCheck check = cps.checkArchives(current);
        assertThat(check.problems()).isEmpty();
        assertThat(check.files()).isEqualTo(3);
        long archivedLines = 0;
        for (Path a : archived) {
            archivedLines += Files.readAllLines(a).size();
        }
        assertThat(check.checkpoints()).isEqualTo(archivedLines);
    }

    @Test
    void rotatesWhenANewMonthBegins() throws Exception {
        SetClock clock = new SetClock(Instant.parse("2026-01-31T23:59:00Z"));
        Checkpoints cps = new Checkpoints(dir.resolve("checkpoints.log"), KEY, 16L << 20, clock);
        cps.open();
        cps.append(head(1, clock.now));
        clock.now = Instant.parse("2026-01-31T23:59:59Z");
        cps.append(head(2, clock.now));
        assertThat(cps.archiveDir()).doesNotExist();
        clock.now = Instant.parse("2026-02-01T00:00:01Z");
        cps.append(head(3, clock.now));
        assertThat(archives(dir)).extracting(p -> p.getFileName().toString()).containsExactly("checkpoints-2026-01.log");
        assertThat(Files.readAllLines(cps.archiveDir().resolve("checkpoints-2026-01.log"))).hasSize(2);
        List<String> current = Files.readAllLines(cps.file());
        assertThat(current).hasSize(2);
        assertThat(current.get(0)).startsWith("v1 kind=rotation seq=2 ").contains("archive=checkpoints-2026-01.log");
        assertThat(current.get(1)).startsWith("v1 kind=head seq=3 ").contains(" gen=1 ");
        // a month later with little traffic: the February file is archived as such
        clock.now = Instant.parse("2026-03-01T00:00:00Z");
        cps.append(head(4, clock.now));
        assertThat(archives(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoints-2026-01.log", "checkpoints-2026-02.log");
        assertThat(cps.checkArchives(cps.read()).problems()).isEmpty();
    }

    @Test
    void theLatestRetentionIsCarriedForward() throws Exception {
        SetClock clock = new SetClock(Instant.parse("2026-05-01T10:00:00Z"));
        Checkpoints cps = new Checkpoints(dir.resolve("checkpoints.log"), KEY, 300, clock);
        cps.append(head(10, clock.now));
        cps.append(new Checkpoints.Checkpoint(Checkpoints.Kind.retention, 4, "ab".repeat(32), clock.now, 1, 1, 4));
        cps.append(head(11, clock.now));
        cps.append(head(12, clock.now));
        Checkpoints.Contents current = cps.read();
        assertThat(current.rotation()).isNotNull();
        Checkpoints.Checkpoint ret = current.latestRetention();
        assertThat(ret.from()).isEqualTo(1);
        assertThat(ret.to()).isEqualTo(4);
        assertThat(ret.head()).isEqualTo("ab".repeat(32));
    }

    @Test
    void aRenameWithoutItsNewFileIsCompletedAtTheNextOpen() throws Exception {
        SetClock clock = new SetClock(Instant.parse("2026-04-02T10:00:00Z"));
        Path file = dir.resolve("checkpoints.log");
        Checkpoints cps = new Checkpoints(file, KEY, 300, clock);
        for (int i = 1; i <= 4; i++) {
            cps.append(head(i, clock.now));
        }
        long gen = cps.read().generation();
        assertThat(gen).isPositive();
        // as if the process stopped between the rename and the new file's first line
        Files.move(file, cps.archiveDir().resolve("checkpoints-2026-04-9.log"));
        Checkpoints again = new Checkpoints(file, KEY, 300, clock);
        again.open();
        Checkpoints.Contents current = again.read();
        assertThat(current.rotation().rotation().archive()).isEqualTo("checkpoints-2026-04-9.log");
        assertThat(current.rotation().gen()).isEqualTo(gen + 1);
        assertThat(again.checkArchives(current).problems()).isEmpty();
    }

    @Test
    void tamperedArchivesAndARemovedRotationLineAreFound() throws Exception {
        SetClock clock = new SetClock(Instant.parse("2026-06-01T10:00:00Z"));
        Path file = dir.resolve("checkpoints.log");
        Checkpoints cps = new Checkpoints(file, KEY, 400, clock);
        for (int i = 1; i <= 8; i++) {
            cps.append(head(i, clock.now));
        }
        assertThat(archives(dir)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(cps.checkArchives(cps.read()).problems()).isEmpty();
        Path oldest = cps.archiveDir().resolve("checkpoints-2026-06.log");
        String original = Files.readString(oldest);

        Files.writeString(oldest, original.replaceFirst("seq=2 ", "seq=9 "));
        assertThat(cps.checkArchives(cps.read()).problems()).singleElement().asString()
                .contains("checkpoints-2026-06.log was altered");

        Files.delete(oldest);
        assertThat(cps.checkArchives(cps.read()).problems()).singleElement().asString()
                .contains("checkpoints-2026-06.log").contains("is missing");
        Files.writeString(oldest, original);

        String current = Files.readString(file);
        Files.writeString(file, current.substring(current.indexOf('\n') + 1));
        Checkpoints.Contents without = cps.read();
        List<String> problems = new java.util.ArrayList<>(without.problems());
        problems.addAll(cps.checkArchives(without).problems());
        assertThat(problems).isNotEmpty().allMatch(p -> p.contains("rotation line"));

        Files.writeString(file, "");
        assertThat(cps.checkArchives(cps.read()).problems()).singleElement().asString()
                .contains("names none: the rotation line that began it was removed");
        Files.writeString(file, current);
        assertThat(cps.checkArchives(cps.read()).problems()).isEmpty();
    }

    @Test
    void aLineAlteredBeforeItsFileWasArchivedStaysReported() throws Exception {
        SetClock clock = new SetClock(Instant.parse("2026-07-01T10:00:00Z"));
        Path file = dir.resolve("checkpoints.log");
        Checkpoints cps = new Checkpoints(file, KEY, 500, clock);
        cps.append(head(1, clock.now));
        Files.writeString(file, Files.readString(file).replace("seq=1 ", "seq=7 "));
        for (int i = 2; i <= 4; i++) {
            cps.append(head(i, clock.now));
        }
        assertThat(archives(dir)).isNotEmpty();
        assertThat(cps.checkArchives(cps.read()).problems()).anyMatch(p -> p.contains("1 invalid or misplaced line"));
    }

    @Test
    void aRotationThatFailsKeepsTheCheckpoint() throws Exception {
        SetClock clock = new SetClock(Instant.parse("2026-08-01T10:00:00Z"));
        Path file = dir.resolve("checkpoints.log");
        Checkpoints cps = new Checkpoints(file, KEY, 300, clock);
        Files.writeString(cps.archiveDir(), "not a folder");
        for (int i = 1; i <= 4; i++) {
            cps.append(head(i, clock.now));
        }
        assertThat(Files.readAllLines(file)).hasSize(4);
        Files.delete(cps.archiveDir());
        cps.append(head(5, clock.now));
        Checkpoints.Contents current = cps.read();
        assertThat(current.rotation()).isNotNull();
        assertThat(current.latestHead().seq()).isEqualTo(5);
        assertThat(cps.checkArchives(current).problems()).isEmpty();
    }
}
