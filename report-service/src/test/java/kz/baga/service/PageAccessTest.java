package kz.baga.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import kz.baga.contract.Table;
import kz.baga.service.warehouse.ParquetTables;
import org.junit.jupiter.api.Test;

/** Who may open which page: the API's access rules, the same audit records, and what the pages show. */
@QuarkusTest
class PageAccessTest {

    private static final List<String> ACCOUNTS = List.of("parent.premium", "parent.free", "school", "department",
            "auditor", "admin");

    /** Every page path with the accounts allowed to open it; everyone else gets 403. */
    private static Map<String, Set<String>> matrix() {
        String premium = Fixture.premiumChild();
        String free = Fixture.freeChild();
        String cls = Fixture.rows(Table.STUDENT_DIRECTORY, Fixture.SCHOOL, List.of("class_label")).get(0)
                .str("class_label");
        String school = "/schools/" + Fixture.SCHOOL;
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("/children", Set.of("parent.premium", "parent.free"));
        m.put("/children/" + premium, Set.of("parent.premium", "school"));
        m.put("/children/" + free, Set.of("parent.free", "school"));
        m.put("/children/" + premium + "/report.pdf", Set.of("parent.premium", "school"));
        m.put("/children/" + Fixture.otherSchoolPupil(), Set.of());
        m.put("/children/" + Fixture.NO_SUCH_PUPIL, Set.of());
        m.put(school + "/medal-candidates", Set.of("school"));
        m.put(school + "/medal-candidates.csv", Set.of("school"));
        m.put(school + "/medal-candidates.pdf", Set.of("school"));
        m.put(school + "/classes", Set.of("school"));
        m.put(school + "/classes/" + cls, Set.of("school"));
        m.put(school + "/reconciliation", Set.of("school"));
        m.put("/schools/" + Fixture.OTHER_SCHOOL + "/medal-candidates", Set.of());
        m.put("/schools/" + Fixture.OTHER_SCHOOL + "/reconciliation", Set.of());
        m.put("/districts/" + Fixture.DISTRICT, Set.of("department"));
        m.put("/districts/" + Fixture.DISTRICT + "/report.pdf", Set.of("department"));
        m.put("/districts/ALM-OTHER", Set.of());
        m.put("/audit", Set.of("auditor"));
        m.put("/admin", Set.of("admin"));
        return m;
    }

    @Test
    void everyPageAnswersOnlyItsAudience() {
        Map<String, Cookie> sessions = new LinkedHashMap<>();
        ACCOUNTS.forEach(a -> sessions.put(a, Pages.signIn(a)));
        matrix().forEach((path, allowed) -> {
            given().redirects().follow(false).get(path).then().statusCode(302)
                    .header("Location", containsString("/login"));
            for (String a : ACCOUNTS) {
                int status = given().redirects().follow(false).cookie(sessions.get(a)).get(path).statusCode();
                // a parent with one child is sent on to that child's page
                int expected = !allowed.contains(a) ? 403 : path.equals("/children") && a.startsWith("parent") ? 303 : 200;
                assertThat(status).as(a + " GET " + path).isEqualTo(expected);
            }
        });
        // a refusal is a page in the reader's language, not JSON
        given().cookie(sessions.get("parent.free")).get("/children/" + Fixture.premiumChild() + "?lang=kk").then()
                .statusCode(403).contentType(containsString("text/html")).body(containsString("Қол жеткізу жоқ"));
    }

    @Test
    void thePupilPageWritesTheSameAuditRecordAsTheApi() {
        String child = Fixture.premiumChild();
        given().cookie(Pages.signIn("parent.premium")).get("/children/" + child).then().statusCode(200);
        Map<String, Object> last = AuditRecords.listed().stream().filter(r -> "student.page".equals(r.get("action"))
                && child.equals(r.get("studentIds"))).reduce((a, b) -> b).orElseThrow();
        assertThat(last).containsEntry("username", "parent.premium").containsEntry("role", "parent")
                .containsEntry("outcome", "ALLOWED").containsEntry("schoolId", Fixture.SCHOOL);
        assertThat((String) last.get("endpoint")).isEqualTo("GET /children/" + child);
        // a refused page is recorded as denied, as the API's refusals are
        given().cookie(Pages.signIn("parent.free")).get("/children/" + child).then().statusCode(403);
        assertThat(AuditRecords.listed()).anySatisfy(r -> assertThat(r).containsEntry("action", "student.page")
                .containsEntry("username", "parent.free").containsEntry("outcome", "DENIED")
                .containsEntry("studentIds", child));
    }

    @Test
    void thePremiumPupilPageShowsMarksChartPlaceAndMedals() {
        String child = Fixture.premiumChild();
        ParquetTables.Row dir = Fixture.rows(Table.STUDENT_DIRECTORY, Fixture.SCHOOL,
                List.of("student_id", "last_name", "first_name", "class_label")).stream()
                .filter(r -> r.str("student_id").equals(child)).findFirst().orElseThrow();
        String html = given().cookie(Pages.signIn("parent.premium")).get("/children/" + child + "?lang=ru").then()
                .statusCode(200).extract().asString();
        assertThat(html).contains(dir.str("last_name"), dir.str("first_name"), "Класс " + dir.str("class_label"));
        assertThat(html).contains("<svg", "class=\"chart\"", "Динамика успеваемости", "Место в классе",
                "Статус наград", "«Алтын белгі»", "Раннее предупреждение", "Скачать PDF");
        assertThat(html).doesNotContain("Расширенная аналитика</h2>");
        // the year's term marks of one subject, as the warehouse has them, are in that subject's row
        String year = Fixture.rows(Table.STUDENT_DIRECTORY, Fixture.SCHOOL, List.of("academic_year")).get(0)
                .str("academic_year");
        List<ParquetTables.Row> marks = Fixture.rows(Table.TERM_GRADES, Fixture.SCHOOL,
                List.of("student_id", "subject_code", "academic_year", "term", "mark")).stream()
                .filter(r -> r.str("student_id").equals(child) && r.str("academic_year").equals(year)).toList();
        assertThat(marks).isNotEmpty();
        String subject = marks.get(0).str("subject_code");
        String row = rowOf(html, subjectName(subject));
        for (ParquetTables.Row m : marks) {
            if (m.str("subject_code").equals(subject)) {
                assertThat(Pages.plain(row)).contains(String.valueOf(m.integer("mark")));
            }
        }
    }

    @Test
    void aFreeParentSeesWhatPremiumAddsInsteadOfAnError() {
        String html = given().cookie(Pages.signIn("parent.free")).get("/children/" + Fixture.freeChild() + "?lang=en")
                .then().statusCode(200).extract().asString();
        assertThat(html).contains("Extended analytics", "grade dynamics per subject against the class average",
                "Term, annual and final marks");
        assertThat(html).doesNotContain("<svg", "Place in class</h2>", "Download PDF");
    }

    @Test
    void theSchoolFiltersCandidatesAndGetsTheSameRowsAsCsv() {
        Cookie s = Pages.signIn("school");
        String all = given().cookie(s).get("/schools/" + Fixture.SCHOOL + "/medal-candidates?lang=en").then()
                .statusCode(200).extract().asString();
        assertThat(all).contains("Medal candidates", "<table id=\"candidates\">");
        String onTrack = given().cookie(s).get("/schools/" + Fixture.SCHOOL
                + "/medal-candidates?status=ON_TRACK&lang=en").then().statusCode(200).extract().asString();
        String table = Pages.text(onTrack, "candidates");
        if (table != null) {
            assertThat(table).doesNotContain("At risk", "Incomplete");
        }
        String csv = given().cookie(s).get("/schools/" + Fixture.SCHOOL + "/medal-candidates.csv?status=ON_TRACK")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("student_id,name,class_label,grade_level,award,status,reasons");
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l).contains(",ON_TRACK,"));
        long rows = onTrack.split("<tr><th scope=\"row\">", -1).length - 1;
        assertThat(lines.size() - 1).isEqualTo(rows);
        given().cookie(s).get("/schools/" + Fixture.SCHOOL + "/medal-candidates?status=WON").then().statusCode(400)
                .body(containsString("status must be one of"));
    }

    @Test
    void theReconciliationPageListsRejectedRowsWithoutTheirRawText() {
        String html = given().cookie(Pages.signIn("school")).get("/schools/" + Fixture.SCHOOL
                + "/reconciliation?lang=en").then().statusCode(200).extract().asString();
        // rejected_events is not partitioned: the school's rows are those naming it
        List<ParquetTables.Row> rejected = Fixture.rows(Table.REJECTED_EVENTS, null,
                List.of("file", "line", "reason", "raw", "school_id")).stream()
                .filter(r -> Fixture.SCHOOL.equals(r.str("school_id"))).toList();
        assertThat(html).contains("Conflicts", "Gaps");
        assertThat(Pages.text(html, "h-rejected")).isEqualTo("Rejected rows (" + rejected.size() + ")");
        for (ParquetTables.Row r : rejected) {
            assertThat(html).contains(r.str("reason"));
            if (r.str("raw") != null && r.str("raw").length() > 12) {
                assertThat(html).doesNotContain(r.str("raw"));
            }
        }
    }

    @Test
    void theDistrictPageSortsSchoolsAndTheAdminPageListsAccounts() {
        Cookie d = Pages.signIn("department");
        String byQuality = given().cookie(d).get("/districts/" + Fixture.DISTRICT + "?sort=quality&dir=desc&lang=en")
                .then().statusCode(200).extract().asString();
        assertThat(byQuality).contains("School indicators", "aria-sort=\"descending\"", "<svg");
        given().cookie(d).get("/districts/" + Fixture.DISTRICT + "?sort=colour").then().statusCode(400);
        given().cookie(Pages.signIn("admin")).get("/admin?lang=en").then().statusCode(200)
                .body(containsString("parent.premium"), containsString("New account"));
    }

    private static String subjectName(String code) {
        return Fixture.rows(Table.SUBJECTS, null, List.of("subject_code", "name_ru")).stream()
                .filter(r -> r.str("subject_code").equals(code)).findFirst().orElseThrow().str("name_ru");
    }

    private static String rowOf(String html, String header) {
        int i = html.indexOf("<th scope=\"row\">" + header + "</th>");
        assertThat(i).as("a row for " + header).isPositive();
        return html.substring(i, html.indexOf("</tr>", i));
    }
}
