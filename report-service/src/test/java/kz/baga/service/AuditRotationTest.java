package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
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
 * The checkpoint file rotated at 1 kB by the running service ({@link AuditRotationProfile}): archives owner-only
 * at the size limit, each new file begun by a signed line naming its archive and SHA-256; verify stays ok across
 * rotations, and a deleted archive, an edited archived line and a removed rotation line are each reported (and
 * put back).
 */
@QuarkusTest
@TestProfile(AuditRotationProfile.class)
class AuditRotationTest {

    private static final long LIMIT = 1024;

    @Inject
    AuditSeal seal;

    /** At least three archives, each request adding a checkpoint line. */
    @BeforeEach
    void threeArchives() throws Exception {
        for (int i = 0; i < 60 && archives().size() < 3; i++) {
            as("parent.premium").get("/api/v1/students/" + Fixture.premiumChild() + "/grades").then().statusCode(200);
        }
        assertThat(archives()).hasSizeGreaterThanOrEqualTo(3);
        verify().body("ok", equalTo(true));
    }

    private List<Path> archives() throws Exception {
        Path dir = seal.checkpoints().archiveDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static ValidatableResponse verify() {
        return as("auditor").get("/api/v1/audit/verify").then().statusCode(200);
    }

    @Test
    void theFileIsArchivedAtTheSizeLimitAndTheNewOneNamesIt() throws Exception {
        for (Path a : archives()) {
            String name = a.getFileName().toString();
            assertThat(name).matches("checkpoints-\\d{4}-\\d{2}(-\\d+)?\\.log");
            List<String> lines = Files.readAllLines(a);
            long size = Files.size(a);
            assertThat(size).as(name).isGreaterThanOrEqualTo(LIMIT);
            assertThat(size - lines.get(lines.size() - 1).length() - 1).as(name).isLessThan(LIMIT);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rw-------");
        }
        String first = Files.readAllLines(seal.checkpoints().file()).get(0);
        assertThat(first).startsWith("v1 kind=rotation ");
        String archive = first.replaceAll(".* archive=(\\S+) .*", "$1");
        String sha = first.replaceAll(".* sha256=(\\S+) .*", "$1");
        Path named = seal.checkpoints().archiveDir().resolve(archive);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(named))))
                .isEqualTo(sha);
    }

    @Test
    void verifyIsOkAcrossRotations() {
        verify().body("ok", equalTo(true)).body("archives", greaterThanOrEqualTo(3))
                .body("archivedCheckpoints", greaterThanOrEqualTo(9)).body("checked", greaterThanOrEqualTo(9));
    }

    @Test
    void aDeletedArchiveIsReported() throws Exception {
        Path victim = archives().get(1);
        Path aside = seal.checkpoints().file().resolveSibling(victim.getFileName() + ".aside");
        Files.move(victim, aside);
        try {
            verify().body("ok", equalTo(false)).body("checked", equalTo(0))
                    .body("reason", containsString("archive " + victim.getFileName()))
                    .body("reason", containsString("is missing"));
        } finally {
            Files.move(aside, victim);
        }
        verify().body("ok", equalTo(true));
    }

    @Test
    void anEditedArchivedLineIsReported() throws Exception {
        Path victim = archives().get(0);
        byte[] original = Files.readAllBytes(victim);
        String text = new String(original, java.nio.charset.StandardCharsets.UTF_8);
        try {
            Files.writeString(victim, text.replaceFirst("seq=(\\d+)", "seq=9$1"));
            verify().body("ok", equalTo(false))
                    .body("reason", containsString("archive " + victim.getFileName() + " was altered"));
        } finally {
            Files.write(victim, original);
        }
        verify().body("ok", equalTo(true));
    }

    @Test
    void aDeletedRotationLineIsReported() throws Exception {
        Path file = seal.checkpoints().file();
        byte[] original = Files.readAllBytes(file);
        String text = new String(original, java.nio.charset.StandardCharsets.UTF_8);
        try {
            Files.writeString(file, text.substring(text.indexOf('\n') + 1));
            verify().body("ok", equalTo(false)).body("reason", containsString("rotation line"));
        } finally {
            Files.write(file, original);
        }
        verify().body("ok", equalTo(true));
    }
}
