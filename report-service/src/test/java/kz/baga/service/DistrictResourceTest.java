package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.List;

import javax.imageio.ImageIO;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import kz.baga.contract.Table;
import kz.baga.service.render.Pdfs;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.ParquetTables;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DistrictResourceTest {

    private static final String BASE = "/api/v1/districts/" + Fixture.DISTRICT;

    @Inject
    Pdfs pdfs;

    @Inject
    SnapshotRegistry snapshots;

    @Test
    void roleMatrix() {
        for (String p : List.of("/indicators", "/charts/quality.png", "/report.pdf")) {
            RestAssured.get(BASE + p).then().statusCode(401);
            as("department").get(BASE + p).then().statusCode(200);
            for (String other : List.of("parent.premium", "parent.free", "school", "auditor", "admin")) {
                as(other).get(BASE + p).then().statusCode(403);
            }
            as("department").get("/api/v1/districts/ALM-MEDEU" + p).then().statusCode(403);
        }
    }

    @Test
    void indicatorsMatchTheWarehouse() {
        Response r = as("department").queryParam("term", 4).queryParam("grade", 0).queryParam("subject", "ALL")
                .get(BASE + "/indicators");
        r.then().statusCode(200);
        ParquetTables.Row d = ParquetTables.filter(Fixture.rows(Table.DISTRICT_INDICATORS, null,
                        List.of("district_id", "academic_year", "term", "grade_level", "subject_code", "n",
                                "quality_rate")),
                x -> x.str("district_id").equals(Fixture.DISTRICT) && x.str("academic_year").equals("2025-2026")
                        && x.integer("term") == 4 && x.integer("grade_level") == 0 && x.str("subject_code").equals("ALL"))
                .get(0);
        assertThat(r.jsonPath().getList("district")).hasSize(1);
        assertThat(r.jsonPath().getLong("district[0].n")).isEqualTo(d.lng("n"));
        assertThat(new BigDecimal(r.jsonPath().getString("district[0].qualityRate")))
                .isEqualByComparingTo(d.dec("quality_rate"));
        assertThat(r.jsonPath().getList("schools")).hasSize(2);
        assertThat(r.asString()).doesNotContain("studentId");

        as("department").queryParam("term", 9).get(BASE + "/indicators")
                .then().spec(Problems.badParameter("term"));
        as("department").queryParam("grade", 12).get(BASE + "/indicators")
                .then().spec(Problems.badParameter("grade"));
        as("department").queryParam("subject", "XX").get(BASE + "/indicators")
                .then().spec(Problems.badParameter("subject"));
        as("department").queryParam("year", "2030-2031").get(BASE + "/indicators")
                .then().spec(Problems.badParameter("year"));
        as("department").queryParam("lang", "fr").get(BASE + "/charts/quality.png")
                .then().spec(Problems.badParameter("lang"));
    }

    @Test
    void qualityChartPng() throws Exception {
        byte[] png = as("department").queryParam("lang", "kk").get(BASE + "/charts/quality.png").then()
                .statusCode(200).contentType("image/png").extract().asByteArray();
        var img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(450);
    }

    @Test
    void districtReportHasNoNames() {
        byte[] pdf = as("department").queryParam("term", 4).queryParam("lang", "kk").get(BASE + "/report.pdf").then()
                .statusCode(200).contentType("application/pdf").extract().asByteArray();
        String text = Pdf.text(pdf);
        assertThat(text).contains("Аудандық есеп").contains("Әуезов ауданы").contains("Мектептер бойынша");
        assertThat(text).contains(snapshots.currentOrNull().id());
        for (ParquetTables.Row s : Fixture.rows(Table.STUDENT_DIRECTORY, null, List.of("last_name", "first_name"))) {
            assertThat(text).doesNotContain(s.str("last_name") + " " + s.str("first_name"));
            assertThat(text).doesNotContain(s.str("last_name"));
        }
        assertThat(Pdf.allFontsEmbedded(pdf)).isTrue();
        assertThat(Pdf.rasterImages(pdf)).as("charts as vectors").isZero();

        String ru = Pdf.text(as("department").queryParam("term", 4).header("Accept-Language", "ru")
                .get(BASE + "/report.pdf").then().statusCode(200).extract().asByteArray());
        assertThat(ru).contains("Отчёт по району").contains("Качество знаний");
    }

    @Test
    void suppressedCellsPrintAsLessThanFive() {
        // the sample has no cell under 5 pupils, so render a report with one suppressed row directly
        var snap = snapshots.currentOrNull();
        var hidden = new ViewBuilder.IndicatorRow(null, null, 4, 1, "ALL", null, null, null, null, null,
                null, null, null, null, true);
        var shown = new ViewBuilder.IndicatorRow(null, null, 4, 0, "ALL", 58L, 10L, 13L, 34L, 1L,
                new BigDecimal("98.28"), new BigDecimal("39.66"), new BigDecimal("52.97"), new BigDecimal("3.55"), false);
        var ind = new ViewBuilder.Indicators(Fixture.DISTRICT, "2025-2026", 4, null, null, snap.id(),
                snap.rulesVersion(), List.of(shown, hidden), List.of());
        String text = Pdf.text(pdfs.districtReport(new Pdfs.DistrictReport(snap, "ru", "Район", "2025-2026", 4, ind,
                null)));
        assertThat(text).contains("<5").contains("39,66"); // decimal comma in ru
    }
}
