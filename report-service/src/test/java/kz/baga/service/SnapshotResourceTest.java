package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** Which snapshot is served, and readiness while one is; {@link NoSnapshotTest} covers the empty warehouse. */
@QuarkusTest
class SnapshotResourceTest {

    @Test
    void snapshotInfo() {
        RestAssured.get("/api/v1/snapshot").then().statusCode(401);
        as("auditor").get("/api/v1/snapshot").then().statusCode(200)
                .body("snapshotId", equalTo(Fixture.snapshotDir().getFileName().toString()))
                .body("rulesVersion", notNullValue())
                .body("currentYear", equalTo("2025-2026"));
    }

    @Test
    void readyWhileASnapshotIsServed() {
        RestAssured.get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
