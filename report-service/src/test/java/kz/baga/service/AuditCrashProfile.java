package kz.baga.service;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Its own database, which {@link AuditCrashServiceTest} kills. */
public class AuditCrashProfile implements QuarkusTestProfile {
}
