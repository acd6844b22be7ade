package kz.baga.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** The test snapshot was made without BAGA_ID_KEY: outside demo mode the service says so and serves nothing. */
@QuarkusTest
@TestProfile(ProductionModeProfile.class)
class DemoKeySnapshotTest {

    @Test
    void aSnapshotWithThePublicDemoKeyIsRefusedOutsideDemoMode() {
        given().get("/q/health/ready").then().statusCode(503)
                .body(containsString("public demo student-id key"), containsString("BAGA_ID_KEY"));
    }
}
