package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kz.baga.contract.Table;
import kz.baga.service.warehouse.ParquetTables;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StudentResourceTest {

    @Inject
    AgroalDataSource ds;

    private static final List<String> PUPIL_PATHS = List.of("grades", "analytics", "charts/dynamics.png",
            "charts/dynamics.svg", "report.pdf");

    private static String url(String id, String path) {
        return "/api/v1/students/" + id + "/" + path;
    }

    @Test
    void roleMatrix() {
        String premium = Fixture.premiumChild();
        String free = Fixture.freeChild();
        for (String p : PUPIL_PATHS) {
            boolean premiumOnly = !p.equals("grades");
            RestAssured.get(url(premium, p)).then().statusCode(401);
            as("parent.premium", "wrong").get(url(premium, p)).then().statusCode(401);
            as("parent.premium").get(url(premium, p)).then().statusCode(200);
            as("school").get(url(premium, p)).then().statusCode(200);
            as("parent.free").get(url(free, p)).then().statusCode(premiumOnly ? 402 : 200);
            if (premiumOnly) {
                as("parent.free").get(url(free, p)).then().spec(Problems.problem(402, "subscription-required"));
            }
            // not your child / not your school / not your role / no such pupil: all 403, same problem type
            as("parent.free").get(url(premium, p)).then().statusCode(403);
            as("parent.premium").get(url(free, p)).then().statusCode(403);
            as("parent.premium").get(url(Fixture.NO_SUCH_PUPIL, p)).then().statusCode(403);
            as("school").get(url(Fixture.otherSchoolPupil(), p)).then().statusCode(403);
            as("school").get(url(Fixture.NO_SUCH_PUPIL, p)).then().spec(Problems.problem(403, "forbidden"));
            as("department").get(url(premium, p)).then().statusCode(403);
            as("auditor").get(url(premium, p)).then().statusCode(403);
            as("admin").get(url(premium, p)).then().statusCode(403);
        }
    }

    @Test
    void notYoursAndNonexistentAnswerAlike() {
        Response a = as("parent.premium").get(url(Fixture.freeChild(), "grades"));
        Response b = as("parent.premium").get(url(Fixture.NO_SUCH_PUPIL, "grades"));
        assertThat(a.statusCode()).isEqualTo(b.statusCode()).isEqualTo(403);
        assertThat(a.jsonPath().getString("type")).isEqualTo(b.jsonPath().getString("type"));
        assertThat(a.jsonPath().getString("title")).isEqualTo(b.jsonPath().getString("title"));
    }

    @Test
    void gradesMatchTheWarehouse() {
        String id = Fixture.premiumChild();
        Response r = as("parent.premium").get(url(id, "grades"));
        r.then().statusCode(200).header("X-Baga-Snapshot", Fixture.snapshotDir().getFileName().toString());
        String year = r.jsonPath().getString("academicYear");
        List<ParquetTables.Row> terms = ParquetTables.filter(Fixture.rows(Table.TERM_GRADES, Fixture.SCHOOL,
                        List.of("student_id", "subject_code", "academic_year", "term", "mark")),
                x -> x.str("student_id").equals(id) && x.str("academic_year").equals(year));
        assertThat(terms).isNotEmpty();
        for (ParquetTables.Row t : terms) {
            Integer mark = r.jsonPath().getInt("subjects.find { it.subjectCode == '" + t.str("subject_code")
                    + "' }.terms.find { it.term == " + t.integer("term") + " }.mark");
            assertThat(mark).as(t.str("subject_code") + " term " + t.integer("term")).isEqualTo(t.integer("mark"));
        }
        List<ParquetTables.Row> annual = ParquetTables.filter(Fixture.rows(Table.ANNUAL_GRADES, Fixture.SCHOOL,
                        List.of("student_id", "subject_code", "academic_year", "mark")),
                x -> x.str("student_id").equals(id) && x.str("academic_year").equals(year));
        for (ParquetTables.Row t : annual) {
            assertThat(r.jsonPath().getInt("subjects.find { it.subjectCode == '" + t.str("subject_code")
                    + "' }.annual.mark")).isEqualTo(t.integer("mark"));
        }
        // an older year (history imported as annual marks) answers too
        as("parent.premium").queryParam("year", "2023-2024").get(url(id, "grades")).then().statusCode(200)
                .body("academicYear", equalTo("2023-2024"));
    }

    @Test
    void analyticsMatchTheWarehouse() {
        String id = Fixture.premiumChild();
        Response r = as("parent.premium").get(url(id, "analytics"));
        r.then().statusCode(200);
        List<ParquetTables.Row> ranks = ParquetTables.filter(Fixture.rows(Table.CLASS_RANKINGS, Fixture.SCHOOL,
                        List.of("student_id", "term", "subject_code", "rank", "class_size", "class_avg_mark")),
                x -> x.str("student_id").equals(id) && x.str("subject_code").equals("ALL"));
        assertThat(ranks).isNotEmpty();
        for (ParquetTables.Row k : ranks) {
            Map<String, Object> place = r.jsonPath().getMap("places.find { it.subjectCode == 'ALL' && it.term == "
                    + k.integer("term") + " }");
            assertThat(place.get("rank")).isEqualTo(k.integer("rank"));
            assertThat(place.get("classSize")).isEqualTo(k.integer("class_size"));
            assertThat(new BigDecimal(place.get("classAvgMark").toString())).isEqualByComparingTo(k.dec("class_avg_mark"));
        }
        List<ParquetTables.Row> medals = ParquetTables.filter(Fixture.rows(Table.MEDAL_ELIGIBILITY, Fixture.SCHOOL,
                List.of("student_id", "award", "status")), x -> x.str("student_id").equals(id));
        assertThat(medals).isNotEmpty();
        for (ParquetTables.Row m : medals) {
            assertThat(r.jsonPath().getString("medals.find { it.award == '" + m.str("award") + "' }.status"))
                    .isEqualTo(m.str("status"));
        }
        assertThat(r.jsonPath().getList("dynamics")).isNotEmpty();
        // a parent sees the class size and average, never another pupil's name
        assertThat(r.asString()).doesNotContain("\"name\"");
    }

    @Test
    void pngAndSvgCharts() throws Exception {
        String id = Fixture.premiumChild();
        byte[] png = as("parent.premium").queryParam("subject", "ALG").queryParam("lang", "kk")
                .get(url(id, "charts/dynamics.png")).then().statusCode(200).contentType("image/png").extract()
                .asByteArray();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(400);
        byte[] small = as("school").queryParam("width", 400).queryParam("height", 200)
                .get(url(id, "charts/dynamics.png")).then().statusCode(200).extract().asByteArray();
        assertThat(ImageIO.read(new ByteArrayInputStream(small)).getWidth()).isEqualTo(400);

        String svg = as("parent.premium").queryParam("lang", "kk").get(url(id, "charts/dynamics.svg")).then()
                .statusCode(200).contentType(startsWith("image/svg+xml")).extract().asString();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        var doc = f.newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg).contains("Үлгерім динамикасы");
    }

    @Test
    void termReportPdf() {
        String id = Fixture.premiumChild();
        byte[] kk = as("parent.premium").queryParam("term", 3).queryParam("lang", "kk").get(url(id, "report.pdf"))
                .then().statusCode(200).contentType("application/pdf").extract().asByteArray();
        String text = Pdf.text(kk);
        String name = as("parent.premium").get("/api/v1/me").jsonPath().getString("children[0].name");
        assertThat(text).contains("Оқушының тоқсандық есебі").contains(name.split(" ")[0]);
        assertThat(text).contains("Алгебра");
        assertThat(text).contains(Fixture.snapshotDir().getFileName().toString()).contains("KZ-2025-2026");
        // the pupil's term-3 marks appear in the table
        List<ParquetTables.Row> t3 = ParquetTables.filter(Fixture.rows(Table.TERM_GRADES, Fixture.SCHOOL,
                List.of("student_id", "term", "mark")), x -> x.str("student_id").equals(id) && x.integer("term") == 3);
        assertThat(t3).isNotEmpty();
        assertThat(Pdf.allFontsEmbedded(kk)).isTrue();
        assertThat(Pdf.rasterImages(kk)).as("chart drawn as vectors").isZero();

        byte[] ru = as("school").queryParam("term", 3).header("Accept-Language", "ru-RU")
                .get(url(id, "report.pdf")).then().statusCode(200).extract().asByteArray();
        assertThat(Pdf.text(ru)).contains("Отчёт ученика за четверть").contains("Место в классе");
    }

    @Test
    void badParametersAreNamed() {
        String id = Fixture.premiumChild();
        as("parent.premium").queryParam("year", "1999-2000").get(url(id, "grades"))
                .then().spec(Problems.badParameter("year"));
        as("parent.premium").queryParam("year", "last").get(url(id, "analytics"))
                .then().spec(Problems.badParameter("year"));
        as("parent.premium").queryParam("term", "5").get(url(id, "report.pdf"))
                .then().spec(Problems.badParameter("term"));
        as("parent.premium").queryParam("term", "x").get(url(id, "report.pdf"))
                .then().spec(Problems.badParameter("term"));
        as("parent.premium").queryParam("subject", "ASTROLOGY").get(url(id, "charts/dynamics.png"))
                .then().spec(Problems.badParameter("subject"));
        as("parent.premium").queryParam("lang", "de").get(url(id, "charts/dynamics.svg"))
                .then().spec(Problems.badParameter("lang"));
        as("parent.premium").queryParam("width", "5").get(url(id, "charts/dynamics.png"))
                .then().spec(Problems.badParameter("width"));
    }

    @Test
    void allowedAndDeniedReadsAreAudited() {
        String id = Fixture.premiumChild();
        assertRecorded("student.grades", id, "ALLOWED", "parent.premium",
                () -> as("parent.premium").get(url(id, "grades")).then().statusCode(200));
        assertRecorded("student.grades", id, "DENIED", "parent.free",
                () -> as("parent.free").get(url(id, "grades")).then().statusCode(403));
        assertRecorded("student.analytics", Fixture.NO_SUCH_PUPIL, "DENIED", "school",
                () -> as("school").get(url(Fixture.NO_SUCH_PUPIL, "analytics")).then().statusCode(403));
        assertRecorded("student.analytics", Fixture.freeChild(), "DENIED", "parent.free",
                () -> as("parent.free").get(url(Fixture.freeChild(), "analytics")).then().statusCode(402));
    }

    /** {@code request} writes exactly one record of {@code action} about {@code student}, naming the client. */
    private void assertRecorded(String action, String student, String outcome, String user, Runnable request) {
        AuditRecords records = AuditRecords.action(action).students(student).outcome(outcome).user(user)
                .withClientAddress();
        long before = records.count(ds);
        request.run();
        assertThat(records.count(ds)).isEqualTo(before + 1);
    }
}
