package kz.baga.service;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The sample's two-school district counts as large: its report is rendered as a job. */
public class LargeDistrictProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("baga.jobs.async-above-schools", "1");
    }
}
