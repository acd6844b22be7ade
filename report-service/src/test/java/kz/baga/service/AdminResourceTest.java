package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminResourceTest {

    @Test
    void onlyAdmins() {
        RestAssured.get("/api/v1/admin/users").then().statusCode(401);
        for (String u : List.of("parent.premium", "school", "department", "auditor")) {
            as(u).get("/api/v1/admin/users").then().statusCode(403);
            as(u).contentType(ContentType.JSON).body(Map.of("username", "x.y", "password", "secret", "role", "admin"))
                    .post("/api/v1/admin/users").then().statusCode(403);
        }
        as("admin").get("/api/v1/admin/users").then().statusCode(200).body("username", hasItem("parent.premium"));
    }

    @Test
    void createParentLinkAndSubscribe() {
        String child = Fixture.otherSchoolPupil();
        as("admin").contentType(ContentType.JSON)
                .body(Map.of("username", "aigerim.parent", "password", "s3cret", "role", "parent"))
                .post("/api/v1/admin/users").then().statusCode(201).body("role", equalTo("parent"));
        as("admin").contentType(ContentType.JSON)
                .body(Map.of("username", "aigerim.parent", "password", "s3cret", "role", "parent"))
                .post("/api/v1/admin/users").then().statusCode(409);
        var newParent = RestAssured.given().auth().preemptive().basic("aigerim.parent", "s3cret");
        newParent.get("/api/v1/students/" + child + "/grades").then().statusCode(403);

        as("admin").contentType(ContentType.JSON).body(Map.of("studentId", child))
                .post("/api/v1/admin/users/aigerim.parent/children").then().statusCode(201);
        RestAssured.given().auth().preemptive().basic("aigerim.parent", "s3cret")
                .get("/api/v1/students/" + child + "/grades").then().statusCode(200);
        RestAssured.given().auth().preemptive().basic("aigerim.parent", "s3cret")
                .get("/api/v1/students/" + child + "/analytics").then().statusCode(402);

        as("admin").contentType(ContentType.JSON).body(Map.of("premiumUntil", "2099-08-31"))
                .put("/api/v1/admin/users/aigerim.parent/subscription").then().statusCode(200);
        RestAssured.given().auth().preemptive().basic("aigerim.parent", "s3cret")
                .get("/api/v1/students/" + child + "/analytics").then().statusCode(200);
        RestAssured.given().auth().preemptive().basic("aigerim.parent", "s3cret").get("/api/v1/me").then()
                .body("premium", equalTo(true)).body("children[0].schoolId", equalTo(Fixture.OTHER_SCHOOL));
    }

    @Test
    void badInput() {
        StudentResourceTest.checkBad(as("admin").contentType(ContentType.JSON)
                .body(Map.of("username", "ok.name", "password", "secret", "role", "king"))
                .post("/api/v1/admin/users"), "role");
        StudentResourceTest.checkBad(as("admin").contentType(ContentType.JSON)
                .body(Map.of("username", "staff.x", "password", "secret", "role", "school"))
                .post("/api/v1/admin/users"), "schoolId");
        StudentResourceTest.checkBad(as("admin").contentType(ContentType.JSON).body(Map.of("studentId", "NOT-HEX"))
                .post("/api/v1/admin/users/parent.free/children"), "studentId");
        as("admin").contentType(ContentType.JSON).body(Map.of("studentId", "abcdef12"))
                .post("/api/v1/admin/users/nobody.here/children").then().statusCode(404);
    }
}
