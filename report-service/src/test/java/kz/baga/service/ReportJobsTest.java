package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static kz.baga.service.ReportJobClient.JOB_URL;
import static kz.baga.service.ReportJobClient.REPORT;
import static kz.baga.service.ReportJobClient.awaitFinished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kz.baga.contract.Table;
import kz.baga.service.jobs.ReportJobs;
import kz.baga.service.security.Account;
import kz.baga.service.security.Accounts;
import kz.baga.service.warehouse.ParquetTables;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * District reports as jobs: 202 + Location, polling, the PDF parsed back, who may fetch it, problems, audit.
 * The sample district has 2 schools, under the default threshold, so jobs here are asked for explicitly
 * ({@code Prefer: respond-async}, {@code ?async=true}); {@link ReportJobsThresholdTest} covers the automatic case.
 */
@QuarkusTest
class ReportJobsTest {

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    ReportJobs jobs;

    @Inject
    Accounts accounts;

    @Inject
    AgroalDataSource ds;

    /** A second department account of the same district, and one of another district (made once, then 409). */
    @BeforeEach
    void accounts() {
        for (String[] u : new String[][]{{"department.twin", Fixture.DISTRICT}, {"department.medeu", "ALM-MEDEU"}}) {
            Fixture.createAccount(u[0], Fixture.PASSWORD, "department", u[1])
                    .statusCode(anyOf(equalTo(201), equalTo(409)));
        }
    }

    static String submit(String user, String header, String query) {
        var req = as(user).queryParam("term", 4).queryParam("lang", "kk");
        if (header != null) {
            req = req.header("Prefer", header);
        }
        if (query != null) {
            req = req.queryParam("async", query);
        }
        Response r = req.get(REPORT);
        r.then().statusCode(202).contentType(ContentType.JSON)
                .header("Location", matchesPattern(JOB_URL))
                .header("Retry-After", notNullValue())
                .body("kind", equalTo("district-report"))
                .body("districtId", equalTo(Fixture.DISTRICT))
                .body("params.term", equalTo(4))
                .body("params.lang", equalTo("kk"))
                .body("requestedBy", equalTo(user));
        assertThat(r.jsonPath().getString("status")).isIn("QUEUED", "RUNNING", "DONE");
        assertThat(r.header("Location")).endsWith(r.jsonPath().getString("jobId"));
        return r.header("Location");
    }

    @Test
    void smallDistrictStaysInline() {
        as("department").queryParam("term", 4).get(REPORT).then().statusCode(200).contentType("application/pdf")
                .header("Location", nullValue());
        // and ?async=false keeps it inline even with the Prefer header
        as("department").header("Prefer", "respond-async").queryParam("async", "false").get(REPORT).then()
                .statusCode(200).contentType("application/pdf").header("Preference-Applied", nullValue());
    }

    @Test
    void preferRespondAsyncGivesAJobAndThePdf() {
        String snapshot = snapshots.currentOrNull().id();
        Response accepted = as("department").header("Prefer", "wait=5, respond-async").queryParam("term", 4)
                .queryParam("lang", "kk").get(REPORT);
        accepted.then().statusCode(202).header("Preference-Applied", "respond-async")
                .header("X-Baga-Snapshot", snapshot).header("Location", matchesPattern(JOB_URL))
                .body("snapshotId", equalTo(snapshot));
        String location = accepted.header("Location");

        JsonPath done = awaitFinished("department", location);
        assertThat(done.getString("status")).isEqualTo("DONE");
        assertThat(done.getString("snapshotId")).isEqualTo(snapshot);
        assertThat(done.getString("rulesVersion")).isEqualTo(snapshots.currentOrNull().rulesVersion());
        assertThat(done.getString("createdAt")).isNotNull();
        assertThat(done.getString("startedAt")).isNotNull();
        assertThat(done.getString("finishedAt")).isNotNull();
        assertThat(done.getString("error")).isNull();
        assertThat(done.getInt("sizeBytes")).isGreaterThan(1000);
        assertThat(done.getString("resultUrl")).isEqualTo(done.getString("statusUrl") + "/report.pdf");

        // the job URL with Accept: application/pdf, and the result URL, give the same PDF
        byte[] pdf = as("department").accept("application/pdf").get(location).then().statusCode(200)
                .contentType("application/pdf").header("X-Baga-Snapshot", snapshot).extract().asByteArray();
        byte[] again = as("department").get(done.getString("resultUrl")).then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        assertThat(again).isEqualTo(pdf);
        assertThat(pdf.length).isEqualTo(done.getInt("sizeBytes"));

        String text = Pdf.text(pdf);
        assertThat(text).contains("Аудандық есеп").contains("Әуезов ауданы").contains("Мектептер бойынша");
        assertThat(text).contains(snapshot);
        for (ParquetTables.Row s : Fixture.rows(Table.STUDENT_DIRECTORY, null, List.of("last_name"))) {
            assertThat(text).doesNotContain(s.str("last_name"));
        }
        assertThat(Pdf.allFontsEmbedded(pdf)).isTrue();
        assertThat(Pdf.rasterImages(pdf)).as("charts as vectors").isZero();

        // the same report rendered inline has the same text
        byte[] inline = as("department").queryParam("term", 4).queryParam("lang", "kk").get(REPORT).then()
                .statusCode(200).extract().asByteArray();
        assertThat(Pdf.text(inline)).isEqualTo(text);
    }

    @Test
    void asyncQueryParameterAndRussian() {
        Response r = as("department").queryParam("async", "true").queryParam("term", 3).header("Accept-Language", "ru")
                .get(REPORT);
        r.then().statusCode(202).header("Preference-Applied", nullValue()).body("params.lang", equalTo("ru"))
                .body("params.term", equalTo(3)).body("params.academicYear", equalTo("2025-2026"));
        JsonPath done = awaitFinished("department", r.header("Location"));
        assertThat(done.getString("status")).isEqualTo("DONE");
        String text = Pdf.text(as("department").get(done.getString("resultUrl")).then().statusCode(200)
                .extract().asByteArray());
        assertThat(text).contains("Отчёт по району").contains("Качество знаний");
    }

    @Test
    void onlyTheRequesterOrSameDistrictStaff() {
        String location = submit("department", "respond-async", null);
        awaitFinished("department", location);
        String pdfUrl = location + "/report.pdf";

        // same-district department staff may read it
        as("department.twin").get(location).then().statusCode(200).body("requestedBy", equalTo("department"));
        byte[] pdf = as("department.twin").get(pdfUrl).then().statusCode(200).contentType("application/pdf")
                .extract().asByteArray();
        assertThat(Pdf.text(pdf)).contains("Әуезов ауданы");

        // nobody else: problem+json 403
        for (String other : List.of("department.medeu", "parent.premium", "parent.free", "school", "auditor", "admin")) {
            for (String url : List.of(location, pdfUrl)) {
                as(other).get(url).then().spec(Problems.problem(403, "forbidden"));
            }
        }
        RestAssured.get(location).then().statusCode(401);

        // a job of mine is listed for me and my district's staff, not for the other district
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(as("department").get("/api/v1/report-jobs").then().statusCode(200).extract().jsonPath()
                .getList("jobs.jobId", String.class)).contains(id);
        assertThat(as("department.twin").get("/api/v1/report-jobs").then().statusCode(200).extract().jsonPath()
                .getList("jobs.jobId", String.class)).contains(id);
        assertThat(as("department.medeu").get("/api/v1/report-jobs").then().statusCode(200).extract().jsonPath()
                .getList("jobs.jobId", String.class)).doesNotContain(id);
    }

    @Test
    void unknownJobsAreProblems() {
        for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
            for (String url : List.of("/api/v1/report-jobs/" + id, "/api/v1/report-jobs/" + id + "/report.pdf")) {
                as("department").get(url).then().spec(Problems.problem(404, "job-not-found"))
                        .body("detail", containsString(id));
            }
        }
        // bad parameters are refused before any job exists
        as("department").queryParam("async", "maybe").get(REPORT).then().spec(Problems.badParameter("async"));
        as("department").header("Prefer", "respond-async").queryParam("term", 9)
                .get(REPORT).then().spec(Problems.badParameter("term"));
        as("department").queryParam("async", "true").queryParam("lang", "fr")
                .get(REPORT).then().spec(Problems.badParameter("lang"));
        // roles that cannot read the district get no job either
        as("school").queryParam("async", "true").get(REPORT).then().statusCode(403);
        as("department.medeu").queryParam("async", "true").get(REPORT).then().statusCode(403);
    }

    @Test
    void failedJobsSayWhy() {
        Account dept = accounts.find("department").orElseThrow().account();
        UUID id = ReportJobs.newId();
        jobs.submit(id, dept, ReportJobs.DISTRICT_REPORT, Fixture.DISTRICT, Map.of("districtId", Fixture.DISTRICT),
                snapshots.currentOrNull(), () -> {
                    throw new IllegalStateException("chart renderer exploded");
                });
        String location = "/api/v1/report-jobs/" + id;
        JsonPath j = awaitFinished("department", location);
        assertThat(j.getString("status")).isEqualTo("FAILED");
        assertThat(j.getString("error")).contains("chart renderer exploded");
        assertThat(j.getString("resultUrl")).isNull();
        as("department").accept("application/pdf").get(location).then().spec(Problems.problem(409, "job-failed"));
        as("department").get(location + "/report.pdf").then().spec(Problems.problem(409, "job-failed"))
                .body("detail", containsString("chart renderer exploded"));
    }

    @Test
    void pendingJobsAnswer202ForThePdfAnd409ForTheResult() throws Exception {
        Account dept = accounts.find("department").orElseThrow().account();
        var gate = new java.util.concurrent.CountDownLatch(1);
        UUID id = ReportJobs.newId();
        jobs.submit(id, dept, ReportJobs.DISTRICT_REPORT, Fixture.DISTRICT, Map.of("districtId", Fixture.DISTRICT),
                snapshots.currentOrNull(), () -> {
                    gate.await();
                    return "%PDF-1.4 not really".getBytes();
                });
        String location = "/api/v1/report-jobs/" + id;
        try {
            as("department").accept("application/pdf").get(location).then().statusCode(202)
                    .contentType(ContentType.JSON).header("Retry-After", notNullValue())
                    .body("status", org.hamcrest.Matchers.oneOf("QUEUED", "RUNNING"));
            as("department").get(location + "/report.pdf").then().spec(Problems.problem(409, "job-not-ready"))
                    .header("Retry-After", notNullValue());
            as("department").get(location).then().statusCode(200).header("Retry-After", notNullValue())
                    .body("resultUrl", nullValue());
        } finally {
            gate.countDown();
        }
        assertThat(awaitFinished("department", location).getString("status")).isEqualTo("DONE");
    }

    @Test
    void submissionsAndFetchesAreAudited() {
        long submitted = audited("district.report.job", "department", "ALLOWED");
        long fetched = audited("district.report.job.result", "department.twin", "ALLOWED");
        long refused = audited("district.report.job.result", "department.medeu", "DENIED");
        String location = submit("department", null, "true");
        assertThat(audited("district.report.job", "department", "ALLOWED")).isEqualTo(submitted + 1);
        awaitFinished("department", location);
        as("department.twin").get(location + "/report.pdf").then().statusCode(200);
        assertThat(audited("district.report.job.result", "department.twin", "ALLOWED")).isEqualTo(fetched + 1);
        as("department.medeu").get(location + "/report.pdf").then().statusCode(403);
        assertThat(audited("district.report.job.result", "department.medeu", "DENIED")).isEqualTo(refused + 1);

        String id = location.substring(location.lastIndexOf('/') + 1);
        as("auditor").queryParam("limit", 10000).get("/api/v1/audit").then().statusCode(200)
                .body("records.find { it.action == 'district.report.job' && it.detail.startsWith('job " + id + "') }"
                        + ".districtId", equalTo(Fixture.DISTRICT))
                .body("records.find { it.action == 'district.report.job.result' && it.username == 'department.twin' }"
                        + ".endpoint", startsWith("GET /api/v1/report-jobs/"));
        as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void theJobRowIsInPostgres() throws Exception {
        String location = submit("department", "respond-async", null);
        awaitFinished("department", location);
        UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        try (var c = ds.getConnection(); var ps = c.prepareStatement("SELECT u.username, j.kind, j.params::jsonb "
                + "->> 'districtId', j.status, j.snapshot_id, j.started_at >= j.created_at, j.finished_at >= j.started_at, "
                + "length(j.result), j.result_size, j.error FROM report_jobs j JOIN users u ON u.id = j.user_id "
                + "WHERE j.id = ?")) {
            ps.setObject(1, id);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("department");
                assertThat(rs.getString(2)).isEqualTo("district-report");
                assertThat(rs.getString(3)).isEqualTo(Fixture.DISTRICT);
                assertThat(rs.getString(4)).isEqualTo("DONE");
                assertThat(rs.getString(5)).isEqualTo(snapshots.currentOrNull().id());
                assertThat(rs.getBoolean(6)).isTrue();
                assertThat(rs.getBoolean(7)).isTrue();
                assertThat(rs.getInt(8)).isEqualTo(rs.getInt(9)).isGreaterThan(1000);
                assertThat(rs.getString(10)).isNull();
            }
        }
    }

    @Test
    void documentedInOpenApi() {
        String doc = RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        assertThat(doc).contains("/api/v1/report-jobs/{jobId}").contains("/api/v1/report-jobs/{jobId}/report.pdf")
                .contains("respond-async").contains("\"202\"").contains("JobView");
    }

    /** Job records of the sample district by {@code user}, each naming the client's address. */
    private long audited(String action, String user, String outcome) {
        return AuditRecords.action(action).user(user).outcome(outcome).district(Fixture.DISTRICT).withClientAddress()
                .count(ds);
    }
}
