package kz.baga.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Its own database; a checkpoint after every committed batch and none on the timer; the copy folder is a plain
 * file, which no one can write into (root included), until the test puts a folder in its place.
 */
public class AuditCopyUnwritableProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        Path notAFolder;
        try {
            Files.createDirectories(Paths.get("target"));
            notAFolder = Files.createTempFile(Paths.get("target").toAbsolutePath(), "audit-copy", ".not-a-folder");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("baga.audit.checkpoint.every-records", "1", "baga.audit.checkpoint.every", "1h",
                "baga.audit.checkpoint.copy-dir", notAFolder.toString(), "baga.audit.checkpoint.copy-lag", "1s");
    }
}
