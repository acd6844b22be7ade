package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import kz.baga.service.audit.AuditSeal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint copy ({@link AuditCopyProfile}: a folder under target/, rotation at 2 kB): it receives every
 * line, across rotations, in order; verify compares it with the local files and reports lines lost from the copy
 * (in the current generation and in an archived one) and lines removed from the local file that the copy still
 * holds. Each tampering is put back and verifies again.
 */
@QuarkusTest
@TestProfile(AuditCopyProfile.class)
class AuditCopyTest {

    @Inject
    AuditSeal seal;

    private Path copy;

    @BeforeEach
    void twoRotationsCopied() throws Exception {
        copy = seal.copy().orElseThrow().file();
        for (int i = 0; i < 60 && archives().size() < 2; i++) {
            as("parent.premium").get("/api/v1/students/" + Fixture.premiumChild() + "/grades").then().statusCode(200);
        }
        assertThat(archives()).hasSizeGreaterThanOrEqualTo(2);
        Poll.until("the copy holds every local line", Duration.ofSeconds(20), () -> localLines().equals(copyLines()));
        Thread.sleep(1100); // every line older than the lag verify allows
    }

    private List<Path> archives() throws Exception {
        Path dir = seal.checkpoints().archiveDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** Every local line ever written, in order: the archives by generation, then the current file. */
    private List<String> localLines() {
        try {
            List<Path> archived = new ArrayList<>(archives());
            archived.sort(Comparator.comparingLong(AuditCopyTest::generation));
            List<String> out = new ArrayList<>();
            for (Path a : archived) {
                out.addAll(Files.readAllLines(a));
            }
            out.addAll(Files.readAllLines(seal.checkpoints().file()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long generation(Path file) {
        try {
            String first = Files.readAllLines(file).get(0);
            return first.contains(" gen=") ? Long.parseLong(first.replaceAll(".* gen=(\\d+).*", "$1")) : 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> copyLines() {
        try {
            return Files.exists(copy) ? Files.readAllLines(copy) : List.of();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ValidatableResponse verify() {
        return as("auditor").get("/api/v1/audit/verify").then().statusCode(200);
    }

    @Test
    void theCopyGetsEveryLine() {
        List<String> lines = copyLines();
        assertThat(lines).isEqualTo(localLines());
        assertThat(lines).filteredOn(l -> l.startsWith("v1 kind=rotation ")).hasSizeGreaterThanOrEqualTo(2);
        verify().body("ok", equalTo(true)).body("copy.state", equalTo("ok")).body("copy.problems", empty())
                .body("copy.lines", equalTo(lines.size()));
    }

    @Test
    void aCopyThatLostALineOfTheCurrentFileIsReported() throws Exception {
        List<String> original = copyLines();
        List<String> lost = new ArrayList<>(original);
        lost.remove(lost.size() - 1);
        try {
            Files.write(copy, lost);
            verify().body("ok", equalTo(false)).body("reason", containsString("are not in the copy"))
                    .body("copy.state", equalTo("ok"));
        } finally {
            Files.write(copy, original);
        }
        verify().body("ok", equalTo(true));
    }

    @Test
    void aCopyThatLostALineOfAnArchivedFileIsReported() throws Exception {
        List<String> original = copyLines();
        List<String> lost = new ArrayList<>(original);
        lost.remove(1); // a line of the first file, archived since
        try {
            Files.write(copy, lost);
            verify().body("ok", equalTo(false)).body("reason", containsString("differ from archive"));
        } finally {
            Files.write(copy, original);
        }
        verify().body("ok", equalTo(true));
    }

    @Test
    void aLineRemovedFromTheLocalFileIsReportedFromTheCopy() throws Exception {
        Path file = seal.checkpoints().file();
        List<String> original = Files.readAllLines(file);
        assertThat(original).hasSizeGreaterThanOrEqualTo(2);
        List<String> cut = new ArrayList<>(original.subList(0, original.size() - 1));
        try {
            // the local file alone cannot tell its last line was removed; the copy can
            Files.write(file, cut);
            verify().body("ok", equalTo(false)).body("reason", containsString("removed from the local file"));
        } finally {
            Files.write(file, original);
        }
        verify().body("ok", equalTo(true));
    }
}
