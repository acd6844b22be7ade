package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;

import javax.imageio.ImageIO;

import io.quarkus.test.junit.QuarkusTest;
import kz.baga.service.i18n.Lang;
import org.junit.jupiter.api.Test;

/** The district and medal-candidate PDFs and the dynamics PNG as a reader sees them, in kk, ru and en. */
@QuarkusTest
class RenderedReportsTest {

    @Test
    void districtReportHeadingsKeepTheirTables() {
        for (String lang : Lang.SUPPORTED) {
            byte[] pdf = as("department").queryParam("term", 4).queryParam("lang", lang)
                    .get("/api/v1/districts/" + Fixture.DISTRICT + "/report.pdf").then().statusCode(200).extract()
                    .asByteArray();
            Preview.save("district-" + lang + ".pdf", pdf);
            List<String> pages = Pdf.pages(pdf);
            String firstHeader = Lang.t(lang, "pupils.n");
            Pdf.assertHeadingsKeepTheirContent(pages, lang, List.of(
                    new String[]{Lang.t(lang, "by.school"), firstHeader},
                    new String[]{Lang.t(lang, "by.grade"), firstHeader},
                    new String[]{Lang.t(lang, "by.subject"), firstHeader}));
        }
    }

    @Test
    void medalCandidatesInEveryLanguage() {
        for (String lang : Lang.SUPPORTED) {
            byte[] pdf = as("school").queryParam("lang", lang)
                    .get("/api/v1/schools/" + Fixture.SCHOOL + "/medal-candidates.pdf").then().statusCode(200)
                    .extract().asByteArray();
            Preview.save("medal-candidates-" + lang + ".pdf", pdf);
            assertThat(Pdf.text(pdf)).contains(Lang.t(lang, "status.ON_TRACK"));
        }
    }

    /**
     * No tick label is cut at the chart's edge: the outermost pixel columns and the bottom rows stay background
     * (a clipped label reaches the edge). Also wide and narrow sizes, where the axis picks other tick units.
     */
    @Test
    void dynamicsPngLeavesItsEdgesClear() throws Exception {
        String id = Fixture.premiumChild();
        for (String lang : Lang.SUPPORTED) {
            for (int[] size : new int[][]{{800, 400}, {400, 250}, {1600, 500}}) {
                byte[] png = as("parent.premium").queryParam("lang", lang).queryParam("width", size[0])
                        .queryParam("height", size[1]).get("/api/v1/students/" + id + "/charts/dynamics.png").then()
                        .statusCode(200).extract().asByteArray();
                if (size[0] == 800) {
                    Preview.save("dynamics-" + lang + ".png", png);
                }
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
                int w = img.getWidth();
                int h = img.getHeight();
                for (int y = 0; y < h; y++) {
                    for (int x : new int[]{0, 1, w - 2, w - 1}) {
                        assertThat(img.getRGB(x, y) & 0xffffff).as("%s %dx%d pixel (%d,%d)", lang, w, h, x, y)
                                .isEqualTo(0xffffff);
                    }
                }
                for (int x = 0; x < w; x++) {
                    assertThat(img.getRGB(x, h - 1) & 0xffffff).as("%s %dx%d bottom row", lang, w, h)
                            .isEqualTo(0xffffff);
                }
            }
            // and the last period's month is labelled, not dropped at the edge
            String last = as("parent.premium").get("/api/v1/students/" + id + "/analytics").jsonPath()
                    .getString("dynamics.collectMany { it.points }.collect { it.periodStart }.max()");
            String svg = as("parent.premium").queryParam("lang", lang)
                    .get("/api/v1/students/" + id + "/charts/dynamics.svg").then().statusCode(200).extract().asString();
            assertThat(svg).contains(">" + Lang.month(lang, java.time.LocalDate.parse(last).getMonthValue(), false)
                    + "</text>");
        }
    }
}
