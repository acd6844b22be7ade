package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminResourceTest {

    @Inject
    MeterRegistry registry;

    @Inject
    AgroalDataSource ds;

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
        as("aigerim.parent", "s3cret").get("/api/v1/students/" + child + "/grades").then().statusCode(403);

        as("admin").contentType(ContentType.JSON).body(Map.of("studentId", child))
                .post("/api/v1/admin/users/aigerim.parent/children").then().statusCode(201);
        as("aigerim.parent", "s3cret").get("/api/v1/students/" + child + "/grades").then().statusCode(200);
        as("aigerim.parent", "s3cret").get("/api/v1/students/" + child + "/analytics").then().statusCode(402);

        as("admin").contentType(ContentType.JSON).body(Map.of("premiumUntil", "2099-08-31"))
                .put("/api/v1/admin/users/aigerim.parent/subscription").then().statusCode(200);
        as("aigerim.parent", "s3cret").get("/api/v1/students/" + child + "/analytics").then().statusCode(200);
        as("aigerim.parent", "s3cret").get("/api/v1/me").then()
                .body("premium", equalTo(true)).body("children[0].schoolId", equalTo(Fixture.OTHER_SCHOOL));
    }

    @Test
    void badInput() {
        as("admin").contentType(ContentType.JSON)
                .body(Map.of("username", "ok.name", "password", "secret", "role", "king"))
                .post("/api/v1/admin/users").then().spec(Problems.badParameter("role"));
        as("admin").contentType(ContentType.JSON)
                .body(Map.of("username", "staff.x", "password", "secret", "role", "school"))
                .post("/api/v1/admin/users").then().spec(Problems.badParameter("schoolId"));
        as("admin").contentType(ContentType.JSON).body(Map.of("studentId", "NOT-HEX"))
                .post("/api/v1/admin/users/parent.free/children").then().spec(Problems.badParameter("studentId"));
        as("admin").contentType(ContentType.JSON).body(Map.of("studentId", "abcdef12"))
                .post("/api/v1/admin/users/nobody.here/children").then().statusCode(404);
    }

    @Test
    void unlinkNeedsAnAdminAndAnExistingLink() {
        String child = Fixture.premiumChild();
        for (String u : List.of("parent.premium", "school", "department", "auditor")) {
            as(u).delete("/api/v1/admin/users/parent.premium/children/" + child).then().statusCode(403);
        }
        as("admin").delete("/api/v1/admin/users/parent.free/children/" + child).then().statusCode(404)
                .contentType("application/problem+json");
        as("admin").delete("/api/v1/admin/users/nobody.here/children/" + child).then().statusCode(404);
        as("admin").delete("/api/v1/admin/users/school/children/" + child).then().statusCode(400);
        as("parent.premium").get("/api/v1/students/" + child + "/grades").then().statusCode(200);
    }

    private double parentCacheHits() {
        FunctionCounter c = registry.find("cache.gets").tag("cache", "baga.parent-access").tag("result", "hit")
                .functionCounter();
        assertThat(c).as("the parent-access cache is on in this profile").isNotNull();
        return c.count();
    }

    /**
     * A parent's links and subscription are cached between requests; an admin's change through the API still
     * applies to the very next request, and every one of those requests is audited.
     */
    @Test
    void aChangeAppliesToTheVeryNextRequest() {
        String child = Fixture.premiumChild();
        String grades = "/api/v1/students/" + child + "/grades";
        String analytics = "/api/v1/students/" + child + "/analytics";
        Fixture.createAccount("dana.parent", "s3cret", "parent", null).statusCode(201);
        as("admin").contentType(ContentType.JSON).body(Map.of("studentId", child))
                .post("/api/v1/admin/users/dana.parent/children").then().statusCode(201);
        as("admin").contentType(ContentType.JSON).body(Map.of("premiumUntil", "2099-08-31"))
                .put("/api/v1/admin/users/dana.parent/subscription").then().statusCode(200);

        // links and subscription now come from the cache
        double hits = parentCacheHits();
        for (int i = 0; i < 3; i++) {
            as("dana.parent", "s3cret").get(analytics).then().statusCode(200);
        }
        assertThat(parentCacheHits()).isGreaterThanOrEqualTo(hits + 2);
        AuditRecords allowedReads = AuditRecords.actionsStartingWith("student.").user("dana.parent")
                .outcome("ALLOWED");
        AuditRecords deniedReads = AuditRecords.actionsStartingWith("student.").user("dana.parent")
                .outcome("DENIED");
        long allowed = allowedReads.count(ds);
        long denied = deniedReads.count(ds);

        // the subscription ends: the very next analytics request is refused, the free tier still answers
        as("admin").contentType(ContentType.JSON).body(Map.of("premiumUntil", LocalDate.now().minusDays(1).toString()))
                .put("/api/v1/admin/users/dana.parent/subscription").then().statusCode(200);
        as("dana.parent", "s3cret").get(analytics).then().statusCode(402);
        as("dana.parent", "s3cret").get(grades).then().statusCode(200);
        as("dana.parent", "s3cret").get("/api/v1/me").then().body("premium", equalTo(false));
        // renewed: the next request is served again
        as("admin").contentType(ContentType.JSON).body(Map.of("premiumUntil", "2099-08-31"))
                .put("/api/v1/admin/users/dana.parent/subscription").then().statusCode(200);
        as("dana.parent", "s3cret").get(analytics).then().statusCode(200);

        // the link is removed: the very next request for that pupil is refused, whichever endpoint
        as("admin").delete("/api/v1/admin/users/dana.parent/children/" + child).then().statusCode(204);
        as("dana.parent", "s3cret").get(grades).then().statusCode(403);
        as("dana.parent", "s3cret").get(analytics).then().statusCode(403);
        as("dana.parent", "s3cret").get("/api/v1/me").then().body("children", hasSize(0));
        // linked again: served again
        as("admin").contentType(ContentType.JSON).body(Map.of("studentId", child))
                .post("/api/v1/admin/users/dana.parent/children").then().statusCode(201);
        as("dana.parent", "s3cret").get(grades).then().statusCode(200);

        assertThat(allowedReads.count(ds)).isEqualTo(allowed + 3);
        assertThat(deniedReads.count(ds)).isEqualTo(denied + 3);
    }
}
