package kz.baga.service;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Its own database and warehouse copy, with report jobs tuned for testing: every district with more than one
 * school (the sample's has two) goes async automatically, one worker, a queue of one, results kept for 1 s.
 */
public class JobsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("baga.jobs.async-above-schools", "1",
                "baga.jobs.threads", "1",
                "baga.jobs.queue", "1",
                "baga.jobs.keep", "1s");
    }
}
