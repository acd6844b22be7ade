package kz.baga.service;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Its own database and warehouse copy: for tests that tamper with the audit table, take it offline or move
 * CURRENT. Each puts the table back as it was; a moved CURRENT names a copy of the same data.
 */
public class IsolatedProfile implements QuarkusTestProfile {
}
