package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** Before the first pipeline run: 503 with a problem that says so, and readiness is down. */
@QuarkusTest
@TestProfile(NoSnapshotProfile.class)
class NoSnapshotTest {

    @Test
    void answers503AndIsNotReady() {
        as("admin").get("/api/v1/snapshot").then().spec(Problems.problem(503, "no-snapshot"));
        as("auditor").get("/api/v1/students/abcdef0123/grades").then().statusCode(503);
        RestAssured.get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        RestAssured.get("/q/health/live").then().statusCode(200);
    }
}
