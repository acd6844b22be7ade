package kz.baga.service;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Its own database and warehouse copy: for tests that tamper with the audit table or move CURRENT. */
public class IsolatedProfile implements QuarkusTestProfile {
}
