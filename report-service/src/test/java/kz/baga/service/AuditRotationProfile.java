package kz.baga.service;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Its own database; a checkpoint after every committed batch and none on the timer, so only a test's requests add
 * lines; the checkpoint file rotated at 1 kB (every four or five lines).
 */
public class AuditRotationProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("baga.audit.checkpoint.every-records", "1", "baga.audit.checkpoint.every", "1h",
                "baga.audit.checkpoint.rotate-bytes", "1K");
    }
}
