package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static kz.baga.service.ReportJobClient.REPORT;
import static kz.baga.service.ReportJobClient.awaitFinished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kz.baga.service.jobs.ReportJobs;
import kz.baga.service.security.Account;
import kz.baga.service.security.Accounts;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.junit.jupiter.api.Test;

/**
 * Report jobs with {@link JobsProfile}: automatic async above the school threshold, the bounded queue, a job
 * queued before a snapshot switch and fetched after the old snapshot is gone, restart recovery, result expiry.
 */
@QuarkusTest
@TestProfile(JobsProfile.class)
class ReportJobsThresholdTest {

    @Inject
    SnapshotRegistry registry;

    @Inject
    ReportJobs jobs;

    @Inject
    Accounts accounts;

    @Inject
    AgroalDataSource ds;

    @Test
    void aboveTheThresholdTheReportIsAJob() {
        Response r = as("department").queryParam("term", 4).get(REPORT);
        r.then().statusCode(202).header("Location", matchesPattern(ReportJobClient.JOB_URL))
                .header("Preference-Applied", nullValue()).body("params.schools", equalTo(2));
        assertThat(awaitFinished("department", r.header("Location")).getString("status")).isEqualTo("DONE");
        // ?async=false still renders inline
        as("department").queryParam("term", 4).queryParam("async", "false").get(REPORT).then().statusCode(200)
                .contentType("application/pdf");
    }

    @Test
    void queuedBeforeASwitchRenderedFromTheOldSnapshotAndServedAfterItIsGone() throws Exception {
        Snapshot old = registry.require();
        Account dept = accounts.find("department").orElseThrow().account();
        CountDownLatch gate = new CountDownLatch(1);
        // occupy the only worker, so the next job waits in the queue (capacity 1)
        UUID blocker = ReportJobs.newId();
        jobs.submit(blocker, dept, ReportJobs.DISTRICT_REPORT, Fixture.DISTRICT, Map.of(), old, () -> {
            gate.await();
            return "%PDF-1.4 blocker".getBytes();
        });
        String location;
        String newId;
        try {
            Poll.until("the blocker running", Duration.ofSeconds(30),
                    () -> "RUNNING".equals(jobs.find(blocker).orElseThrow().status()));
            Response queued = as("department").queryParam("term", 4).queryParam("lang", "kk").get(REPORT);
            queued.then().statusCode(202).body("status", equalTo("QUEUED")).body("snapshotId", equalTo(old.id()));
            location = queued.header("Location");

            // the queue is full: refused with a problem and Retry-After, nothing waits unbounded
            as("department").queryParam("term", 3).get(REPORT).then().spec(Problems.problem(503, "jobs-busy"))
                    .header("Retry-After", notNullValue());

            // the pipeline commits a new snapshot while the job waits
            newId = TestDatabase.switchSnapshot(registry, "-next");
        } finally {
            gate.countDown();
        }
        var done = awaitFinished("department", location);
        assertThat(done.getString("status")).isEqualTo("DONE");
        assertThat(done.getString("snapshotId")).isEqualTo(old.id());

        // the old snapshot disappears (the pipeline keeps only the last few): the stored result is still served
        TestDatabase.delete(old.dir());
        byte[] pdf = as("department").get(location + "/report.pdf").then().statusCode(200)
                .header("X-Baga-Snapshot", old.id()).extract().asByteArray();
        String text = Pdf.text(pdf);
        assertThat(text).contains("Аудандық есеп").contains(old.id()).doesNotContain(newId);

        // a new request renders from the new snapshot
        Response fresh = as("department").queryParam("term", 4).get(REPORT);
        fresh.then().statusCode(202).body("snapshotId", equalTo(newId)).header("X-Baga-Snapshot", newId);
        assertThat(awaitFinished("department", fresh.header("Location")).getString("snapshotId")).isEqualTo(newId);
    }

    @Test
    void jobsOfAStoppedServiceAreMarkedFailed() throws Exception {
        Account dept = accounts.find("department").orElseThrow().account();
        UUID id = UUID.randomUUID();
        try (var c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO report_jobs (id, "
                + "user_id, kind, params, status, district_id, snapshot_id, started_at) VALUES (?, ?, "
                + "'district-report', '{}', 'RUNNING', ?, 'gone', now())")) {
            ps.setObject(1, id);
            ps.setLong(2, dept.id());
            ps.setString(3, Fixture.DISTRICT);
            ps.executeUpdate();
        }
        assertThat(jobs.failInterrupted()).isGreaterThanOrEqualTo(1);
        as("department").get("/api/v1/report-jobs/" + id).then().statusCode(200).body("status", equalTo("FAILED"))
                .body("error", org.hamcrest.Matchers.startsWith("interrupted"));
    }

    @Test
    void expiredResultsAreGoneButTheRowStays() throws Exception {
        String location = as("department").queryParam("term", 4).get(REPORT).then().statusCode(202).extract()
                .header("Location");
        int size = awaitFinished("department", location).getInt("sizeBytes");
        Thread.sleep(1100); // baga.jobs.keep=1s in this profile
        assertThat(jobs.expireResults()).isGreaterThanOrEqualTo(1);
        as("department").get(location).then().statusCode(200).body("status", equalTo("DONE"))
                .body("expired", equalTo(true)).body("resultUrl", nullValue()).body("sizeBytes", equalTo(size));
        as("department").get(location + "/report.pdf").then().spec(Problems.problem(410, "job-expired"));
    }
}
