package kz.baga.service;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Verified logins are re-checked after one second instead of a minute, so the tests can watch it happen. */
public class AuthProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("baga.auth.recheck-after", "1s");
    }
}
