package kz.baga.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** A large district's PDF from its page: a job, a progress page that refreshes itself, then the download. */
@QuarkusTest
@TestProfile(LargeDistrictProfile.class)
class DistrictReportPageTest {

    @Test
    void theReportOfALargeDistrictIsAJobWithAProgressPage() throws Exception {
        Cookie session = Pages.signIn("department");
        Response r = given().redirects().follow(false).cookie(session)
                .get("/districts/" + Fixture.DISTRICT + "/report.pdf?term=4&lang=ru");
        assertThat(r.statusCode()).isEqualTo(303);
        String progress = r.header("Location");
        assertThat(progress).contains("/districts/" + Fixture.DISTRICT + "/report-jobs/");
        String html = null;
        for (int i = 0; i < 300; i++) {
            Response p = given().cookie(session).get(progress);
            p.then().statusCode(200);
            html = p.asString();
            if (html.contains("id=\"job-pdf\"")) {
                assertThat(p.header("Refresh")).isNull();
                break;
            }
            assertThat(p.header("Refresh")).isEqualTo("2");
            assertThat(html).contains("role=\"status\"");
            Thread.sleep(100);
        }
        assertThat(html).contains("Готов", "id=\"job-pdf\"");
        byte[] pdf = given().cookie(session).get(progress + "/report.pdf").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        assertThat(Pdf.text(pdf)).contains("Отчёт по району");
        // someone else's job page is refused like the API's
        given().cookie(Pages.signIn("school")).get(progress).then().statusCode(403)
                .contentType(containsString("text/html"));
    }
}
