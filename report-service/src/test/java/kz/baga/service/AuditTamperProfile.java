package kz.baga.service;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Its own database; a signed checkpoint after every committed batch, so each test knows the signed head. */
public class AuditTamperProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("baga.audit.checkpoint.every-records", "1");
    }
}
