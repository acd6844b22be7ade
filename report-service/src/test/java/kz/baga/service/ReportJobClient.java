package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The district report as a job, from a client's side: where to ask for it, what its URL looks like, polling. */
final class ReportJobClient {

    static final String REPORT = "/api/v1/districts/" + Fixture.DISTRICT + "/report.pdf";
    static final String JOB_URL = "(http://[^/]+)?/api/v1/report-jobs/"
            + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private ReportJobClient() {
    }

    /** Polls the job URL (JSON) until the job leaves QUEUED/RUNNING; returns its last status. */
    static JsonPath awaitFinished(String user, String location) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        Poll.until("job " + location + " finished", Duration.ofSeconds(90), () -> {
            JsonPath j = as(user).accept(ContentType.JSON).get(location).then().statusCode(200)
                    .contentType(ContentType.JSON).extract().jsonPath();
            assertThat(j.getString("status")).isIn("QUEUED", "RUNNING", "DONE", "FAILED");
            last.set(j);
            return !j.getString("status").equals("QUEUED") && !j.getString("status").equals("RUNNING");
        });
        return last.get();
    }
}
