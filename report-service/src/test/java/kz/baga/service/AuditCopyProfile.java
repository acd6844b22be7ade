package kz.baga.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Its own database; a checkpoint after every committed batch and none on the timer; the checkpoint file rotated at
 * 2 kB; every line copied to a fresh folder under target/, and verify's allowance for the copy's lag cut to 1 s.
 */
public class AuditCopyProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        Path dir;
        try {
            Files.createDirectories(Paths.get("target"));
            dir = Files.createTempDirectory(Paths.get("target").toAbsolutePath(), "audit-copy");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("baga.audit.checkpoint.every-records", "1", "baga.audit.checkpoint.every", "1h",
                "baga.audit.checkpoint.rotate-bytes", "2K", "baga.audit.checkpoint.copy-dir", dir.toString(),
                "baga.audit.checkpoint.copy-lag", "1s");
    }
}
