package kz.baga.service;

import static io.restassured.RestAssured.given;
import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import kz.baga.service.render.CsvWriter;
import org.junit.jupiter.api.Test;

/** Headers on every answer, malformed parameters, spreadsheet-safe CSV, and sign-in timing that names no one. */
@QuarkusTest
class HardeningTest {

    @Test
    void everyEndpointOfTheOpenApiDocumentCarriesTheSecurityHeaders() {
        Map<String, Object> paths = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath()
                .getMap("paths");
        assertThat(paths).hasSizeGreaterThan(15);
        List<String> checked = new ArrayList<>();
        for (String template : paths.keySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> ops = (Map<String, Object>) paths.get(template);
            if (!ops.containsKey("get")) {
                continue;
            }
            String path = template.replace("{id}", template.startsWith("/api/v1/students") ? Fixture.premiumChild()
                            : template.startsWith("/api/v1/schools") ? Fixture.SCHOOL : Fixture.DISTRICT)
                    .replace("{label}", "11А").replace("{jobId}", "00000000-0000-0000-0000-000000000000")
                    .replace("{username}", "parent.premium").replace("{studentId}", Fixture.premiumChild())
                    .replace("{name}", "DejaVuSans.ttf");
            for (Response r : List.of(given().redirects().follow(false).get(path),
                    as("school").redirects().follow(false).get(path),
                    given().redirects().follow(false).cookie(Pages.signIn("parent.premium")).get(path))) {
                assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
                assertThat(r.header("X-Frame-Options")).as(path).isEqualTo("DENY");
                assertThat(r.header("Referrer-Policy")).as(path).isEqualTo("same-origin");
                assertThat(r.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
                if (path.startsWith("/api/")) {
                    assertThat(r.header("Cache-Control")).as(path + " " + r.statusCode()).isEqualTo("private, no-store");
                }
            }
            checked.add(path);
        }
        assertThat(checked).anyMatch(p -> p.startsWith("/children/")).anyMatch(p -> p.startsWith("/api/v1/students/"));
    }

    @Test
    void metricsAreForOperatorsOnly() {
        // metrics say how the service is used: administrators and auditors
        given().get("/q/metrics").then().statusCode(401);
        as("parent.premium").get("/q/metrics").then().statusCode(403);
        as("admin").get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void malformedParametersAndIdsAreBadRequests() {
        String child = Fixture.premiumChild();
        as("parent.premium").get("/api/v1/students/" + child + "/charts/dynamics.png?height=abc").then()
                .statusCode(400).contentType("application/problem+json");
        as("auditor").get("/api/v1/audit?limit=abc").then().statusCode(400);
        as("parent.premium").get("/api/v1/students/" + child.substring(0, 10) + "%00" + "/grades").then()
                .statusCode(400).contentType("application/problem+json");
        as("parent.premium").urlEncodingEnabled(false).get("/api/v1/students/abc%00def/grades").then().statusCode(400);
        given().cookie(Pages.signIn("parent.premium")).get("/children/NOT-AN-ID").then().statusCode(400);
    }

    @Test
    void csvCellsThatASpreadsheetWouldRunAreKeptAsText() {
        String csv = CsvWriter.write(List.of("a", "b", "c", "d"), List.of(
                Arrays.asList("=HYPERLINK(\"x\")", "+1", -3, "@SUM(A1)"), Arrays.asList("plain", "-2", 4, "\tx")));
        assertThat(csv.lines()).containsExactly("a,b,c,d", "\"'=HYPERLINK(\"\"x\"\")\",'+1,-3,'@SUM(A1)",
                "plain,'-2,4,'\tx");
    }

    @Test
    void anUnknownNameTakesAsLongAsAWrongPassword() {
        long known = medianMillis("parent.free");
        long unknown = medianMillis("no.such.account");
        // both pay one bcrypt check, so the answer time does not tell whether the name exists
        assertThat((double) unknown).isGreaterThan(known * 0.4);
    }

    private static long medianMillis(String user) {
        long[] t = new long[7];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            as(user, "wrong-" + i).get("/api/v1/me").then().statusCode(401);
            t[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
