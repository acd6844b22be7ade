package kz.baga.service;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Few free sign-in failures and a long first wait, so the tests can watch the throttle act. */
public class ThrottleProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("baga.auth.throttle.account-free-failures", "3",
                "baga.auth.throttle.address-free-failures", "8",
                "baga.auth.throttle.first-delay", "60s");
    }
}
