package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.Cookie;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Runs on its own database: it tampers with the audit table on purpose. */
@QuarkusTest
@TestProfile(IsolatedProfile.class)
class AuditResourceTest {

    @Inject
    AgroalDataSource ds;

    @Test
    void onlyAuditorsReadTheLog() {
        RestAssured.get("/api/v1/audit").then().statusCode(401);
        for (String u : List.of("parent.premium", "parent.free", "school", "department", "admin")) {
            as(u).get("/api/v1/audit").then().statusCode(403);
            as(u).get("/api/v1/audit/verify").then().statusCode(403);
        }
        as("parent.premium").get("/api/v1/students/" + Fixture.premiumChild() + "/grades").then().statusCode(200);
        as("auditor").get("/api/v1/audit").then().statusCode(200)
                .body("records.find { it.action == 'student.grades' }.studentIds", equalTo(Fixture.premiumChild()))
                .body("records.find { it.action == 'student.grades' }.outcome", equalTo("ALLOWED"));
        String csv = as("auditor").header("Accept", "text/csv").queryParam("from", "2000-01-01")
                .get("/api/v1/audit").then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertThat(csv).startsWith("id,at,username,role,action").contains("student.grades");
        as("auditor").queryParam("from", "yesterday").get("/api/v1/audit").then().spec(Problems.badParameter("from"));
    }

    @Test
    void verifyDetectsDeletedAndEditedRecords() throws Exception {
        String child = Fixture.premiumChild();
        for (int i = 0; i < 4; i++) {
            as("parent.premium").get("/api/v1/students/" + child + "/grades").then().statusCode(200);
        }
        as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));

        try (Connection svc = ds.getConnection(); Statement q = svc.createStatement()) {
            // the service's own role may only read and append
            for (String sql : List.of("UPDATE audit_log SET username = 'x' WHERE id = 2",
                    "DELETE FROM audit_log WHERE id = 2", "TRUNCATE audit_log",
                    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")) {
                assertThatThrownBy(() -> q.execute(sql)).as(sql).hasMessageMatching("(?s).*(permission denied|must be owner).*");
            }
        }
        try (Connection c = TestDatabase.owner(); Statement s = c.createStatement()) {
            // the table is append-only for everyone who goes through the triggers, its owner included
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_log SET username = 'x' WHERE id = 2"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_log WHERE id = 2"))
                    .hasMessageContaining("retention");
            assertThatThrownBy(() -> s.execute("TRUNCATE audit_log")).hasMessageContaining("TRUNCATE is refused");

            long victim;
            try (ResultSet rs = s.executeQuery("SELECT max(id) - 1 FROM audit_log")) {
                rs.next();
                victim = rs.getLong(1);
            }
            s.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
            s.execute("CREATE TABLE audit_saved AS SELECT * FROM audit_log WHERE id = " + victim);

            // a deleted record breaks the link of the one after it
            s.executeUpdate("DELETE FROM audit_log WHERE id = " + victim);
            as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(false))
                    .body("firstBrokenId", equalTo((int) victim + 1));
            s.executeUpdate("INSERT INTO audit_log SELECT * FROM audit_saved");
            as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));

            // an edited record no longer matches its own hash
            s.executeUpdate("UPDATE audit_log SET student_ids = 'someone-else' WHERE id = " + victim);
            as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(false))
                    .body("firstBrokenId", equalTo((int) victim));
            s.executeUpdate("UPDATE audit_log a SET student_ids = v.student_ids FROM audit_saved v WHERE a.id = v.id");
            as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));
            s.execute("DROP TABLE audit_saved");
            s.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
        }
    }

    @Test
    void concurrentReadsAreEachRecordedInOneIntactChain() throws Exception {
        String url = "/api/v1/students/" + Fixture.premiumChild() + "/grades";
        AuditRecords reads = AuditRecords.action("student.grades");
        long before = reads.count(ds);
        int n = 48;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<Integer>> codes = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                codes.add(pool.submit(() -> as("parent.premium").get(url).statusCode()));
            }
            for (var f : codes) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        // every answer had its own committed record (group commit shares transactions, not records)
        assertThat(reads.count(ds)).isEqualTo(before + n);
        as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT id, prev_hash, "
                     + "lag(hash) OVER (ORDER BY id) AS p FROM audit_log) x WHERE p IS NOT NULL AND p <> prev_hash")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void noAuditNoData() throws Exception {
        String url = "/api/v1/students/" + Fixture.premiumChild() + "/grades";
        as("parent.premium").get(url).then().statusCode(200);
        try (Connection c = TestDatabase.owner(); Statement s = c.createStatement()) {
            s.execute("REVOKE INSERT ON audit_log FROM PUBLIC");
        }
        TestDatabase.withAuditLogOffline(() -> {
            String body = as("parent.premium").get(url).then().spec(Problems.problem(503, "audit-unavailable"))
                    .extract().asString();
            assertThat(body).doesNotContain("subjects").doesNotContain("Алгебра");
            as("school").get("/api/v1/schools/" + Fixture.SCHOOL + "/medal-candidates").then().statusCode(503);
            // a denied read cannot be recorded either: still no data
            as("parent.free").get(url).then().statusCode(503);
        });
        as("parent.premium").get(url).then().statusCode(200);
    }

    @Test
    void noAuditNoPage() throws Exception {
        Cookie session = Pages.signIn("parent.premium");
        String url = "/children/" + Fixture.premiumChild() + "?lang=ru";
        RestAssured.given().cookie(session).get(url).then().statusCode(200);
        TestDatabase.withAuditLogOffline(() -> {
            String body = RestAssured.given().cookie(session).get(url).then().statusCode(503)
                    .contentType(containsString("text/html")).extract().asString();
            assertThat(body).contains("Сервис временно недоступен").doesNotContain("Алгебра").doesNotContain("<svg");
        });
        RestAssured.given().cookie(session).get(url).then().statusCode(200);
    }
}
