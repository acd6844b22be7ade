package kz.baga.service;

import io.quarkus.test.junit.QuarkusTestProfile;

/** An empty warehouse: no CURRENT yet. */
public class NoSnapshotProfile implements QuarkusTestProfile {
}
