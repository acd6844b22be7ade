package kz.baga.service;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Not demo mode: no demo accounts, and a snapshot made with the public demo id key is not served. */
public class ProductionModeProfile implements QuarkusTestProfile {
}
