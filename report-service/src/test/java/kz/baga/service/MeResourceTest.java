package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MeResourceTest {

    @Test
    void requiresAuthentication() {
        RestAssured.get("/api/v1/me").then().statusCode(401).header("WWW-Authenticate", notNullValue());
        as("parent.premium", "nope").get("/api/v1/me").then().statusCode(401);
        as("nobody", "demo").get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void premiumParent() {
        as("parent.premium").get("/api/v1/me").then().statusCode(200)
                .body("username", equalTo("parent.premium"))
                .body("role", equalTo("parent"))
                .body("premium", equalTo(true))
                .body("children", hasSize(1))
                .body("children[0].schoolId", equalTo(Fixture.SCHOOL))
                .body("children[0].classLabel", equalTo("11А"))
                .body("children[0].name", notNullValue());
    }

    @Test
    void freeParentAndStaff() {
        as("parent.free").get("/api/v1/me").then().statusCode(200).body("premium", equalTo(false))
                .body("children", hasSize(1));
        as("school").get("/api/v1/me").then().statusCode(200).body("role", equalTo("school"))
                .body("schoolId", equalTo(Fixture.SCHOOL)).body("children", hasSize(0));
        as("department").get("/api/v1/me").then().statusCode(200).body("role", equalTo("department"))
                .body("districtId", equalTo(Fixture.DISTRICT)).body("schoolId", nullValue());
        as("auditor").get("/api/v1/me").then().statusCode(200).body("role", equalTo("auditor"));
        as("admin").get("/api/v1/me").then().statusCode(200).body("role", equalTo("admin"));
    }
}
