package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import kz.baga.service.render.RenderCache;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rendered charts, PDFs and JSON answers (pupils' grades and analytics, medal candidates, indicators) are cached
 * per snapshot, but a cache hit still goes through the access check and writes its audit record first; a new
 * snapshot renders anew.
 */
@QuarkusTest
@TestProfile(IsolatedProfile.class)
class RenderCacheTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    MeterRegistry registry;

    @Inject
    RenderCache cache;

    @Inject
    SnapshotRegistry snapshots;

    /** Every test starts from an empty cache: what it renders and hits is its own. */
    @BeforeEach
    void emptyCache() {
        cache.clear();
    }

    private double renders(String kind) {
        return registry.counter("baga.rendered.renders", "kind", kind).count();
    }

    private long audited(String action, String outcome) {
        return AuditRecords.action(action).outcome(outcome).count(ds);
    }

    private static String pupil(String path) {
        return "/api/v1/students/" + Fixture.premiumChild() + "/" + path;
    }

    @Test
    void aHitIsStillCheckedAndAudited() {
        double pngRenders = renders("student.dynamics.png");
        long chartAudits = audited("student.chart", "ALLOWED");
        byte[] first = as("parent.premium").get(pupil("charts/dynamics.png")).then().statusCode(200)
                .contentType("image/png").header("Cache-Control", "private, no-store").extract().asByteArray();
        byte[] second = as("school").get(pupil("charts/dynamics.png")).then().statusCode(200).extract().asByteArray();
        assertThat(second).isEqualTo(first);
        assertThat(renders("student.dynamics.png")).isEqualTo(pngRenders + 1);
        assertThat(audited("student.chart", "ALLOWED")).isEqualTo(chartAudits + 2);
        // other parameters are other entries
        as("parent.premium").queryParam("width", 400).get(pupil("charts/dynamics.png")).then().statusCode(200);
        as("parent.premium").queryParam("lang", "kk").get(pupil("charts/dynamics.png")).then().statusCode(200);
        assertThat(renders("student.dynamics.png")).isEqualTo(pngRenders + 3);

        // the same with the term report and the SVG
        double pdfRenders = renders("student.report.pdf");
        long reportAudits = audited("student.report", "ALLOWED");
        byte[] a = as("parent.premium").queryParam("term", 3).get(pupil("report.pdf")).then().statusCode(200)
                .extract().asByteArray();
        byte[] b = as("parent.premium").queryParam("term", 3).get(pupil("report.pdf")).then().statusCode(200)
                .extract().asByteArray();
        assertThat(b).isEqualTo(a);
        assertThat(renders("student.report.pdf")).isEqualTo(pdfRenders + 1);
        assertThat(audited("student.report", "ALLOWED")).isEqualTo(reportAudits + 2);
        String svg1 = as("parent.premium").get(pupil("charts/dynamics.svg")).then().statusCode(200)
                .contentType("image/svg+xml").extract().asString();
        String svg2 = as("parent.premium").get(pupil("charts/dynamics.svg")).then().statusCode(200).extract().asString();
        assertThat(svg2).isEqualTo(svg1).contains("<svg");

        // cached bytes are no way around the access rules, and refusals are audited all the same
        long denied = audited("student.chart", "DENIED");
        as("parent.free").get(pupil("charts/dynamics.png")).then().statusCode(403);
        as("department").get(pupil("charts/dynamics.png")).then().statusCode(403);
        as("parent.free").get("/api/v1/students/" + Fixture.freeChild() + "/charts/dynamics.png").then()
                .statusCode(402);
        assertThat(audited("student.chart", "DENIED")).isEqualTo(denied + 3);
        as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void jsonAnswersAreCachedYetCheckedAndAuditedEveryTime() throws Exception {
        String analytics = pupil("analytics");
        double renders = renders("student.analytics.json");
        long allowed = audited("student.analytics", "ALLOWED");
        long denied = audited("student.analytics", "DENIED");
        byte[] miss = as("parent.premium").get(analytics).then().statusCode(200).contentType("application/json")
                .header("Cache-Control", "private, no-store").extract().asByteArray();
        byte[] hit = as("parent.premium").get(analytics).then().statusCode(200).contentType("application/json")
                .header("Cache-Control", "private, no-store").extract().asByteArray();
        byte[] staff = as("school").get(analytics).then().statusCode(200).extract().asByteArray();
        assertThat(hit).isEqualTo(miss);
        assertThat(staff).isEqualTo(miss);
        assertThat(renders("student.analytics.json")).isEqualTo(renders + 1);
        // a hit is no way around the access rules, and refusals are audited all the same
        as("parent.free").get(analytics).then().statusCode(403);
        as("department").get(analytics).then().statusCode(403);
        as("parent.free").get("/api/v1/students/" + Fixture.freeChild() + "/analytics").then().statusCode(402);
        assertThat(audited("student.analytics", "ALLOWED")).isEqualTo(allowed + 3);
        assertThat(audited("student.analytics", "DENIED")).isEqualTo(denied + 3);
        // an uncached answer (what a service without the cache sends) is byte for byte the cached one
        cache.clear();
        byte[] uncached = as("parent.premium").get(analytics).then().statusCode(200).extract().asByteArray();
        assertThat(uncached).isEqualTo(miss);
        assertThat(renders("student.analytics.json")).isEqualTo(renders + 2);

        // grades: keyed by the resolved year and language
        String grades = pupil("grades");
        double gradeRenders = renders("student.grades.json");
        long gradeAudits = audited("student.grades", "ALLOWED");
        String ru = as("parent.premium").get(grades).then().statusCode(200).extract().asString();
        String year = as("parent.premium").get(grades).then().extract().path("academicYear");
        String sameYear = as("parent.premium").queryParam("year", year).get(grades).then().statusCode(200)
                .extract().asString();
        assertThat(sameYear).isEqualTo(ru);
        assertThat(renders("student.grades.json")).as("?year=<current> is the default's entry")
                .isEqualTo(gradeRenders + 1);
        String kk = as("parent.premium").queryParam("lang", "kk").get(grades).then().statusCode(200).extract()
                .asString();
        assertThat(kk).isNotEqualTo(ru).contains("Алгебра");
        String older = as("parent.premium").queryParam("year", "2023-2024").get(grades).then().statusCode(200)
                .extract().asString();
        assertThat(older).contains("\"academicYear\":\"2023-2024\"");
        assertThat(renders("student.grades.json")).isEqualTo(gradeRenders + 3);
        assertThat(audited("student.grades", "ALLOWED")).isEqualTo(gradeAudits + 5);
        cache.clear();
        assertThat(as("parent.premium").queryParam("lang", "kk").get(grades).then().extract().asString()).isEqualTo(kk);

        // medal candidates: the JSON, and the pupils named in each request's audit record
        String medals = "/api/v1/schools/" + Fixture.SCHOOL + "/medal-candidates";
        double medalRenders = renders("school.medal-candidates");
        long medalAudits = audited("school.medal-candidates", "ALLOWED");
        byte[] m1 = as("school").get(medals).then().statusCode(200).contentType("application/json").extract()
                .asByteArray();
        byte[] m2 = as("school").get(medals).then().statusCode(200).extract().asByteArray();
        assertThat(m2).isEqualTo(m1);
        String csv = as("school").header("Accept", "text/csv").get(medals).then().statusCode(200).extract().asString();
        assertThat(csv).startsWith("student_id,");
        as("parent.premium").get(medals).then().statusCode(403);
        assertThat(renders("school.medal-candidates")).isEqualTo(medalRenders + 1);
        assertThat(audited("school.medal-candidates", "ALLOWED")).isEqualTo(medalAudits + 3);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT student_ids FROM audit_log WHERE action = "
                     + "'school.medal-candidates' AND outcome = 'ALLOWED'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isNotBlank();
            assertThat(rs.next()).as("every record names the same pupils").isFalse();
        }
        as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void noAuditRecordNoCachedBytes() throws Exception {
        String png = pupil("charts/dynamics.png");
        String pdf = pupil("report.pdf");
        String medals = "/api/v1/schools/" + Fixture.SCHOOL + "/medal-candidates.pdf";
        String medalsJson = "/api/v1/schools/" + Fixture.SCHOOL + "/medal-candidates";
        String analytics = pupil("analytics");
        String grades = pupil("grades");
        as("parent.premium").get(png).then().statusCode(200);
        as("parent.premium").get(pdf).then().statusCode(200);
        as("school").get(medals).then().statusCode(200);
        as("school").get(medalsJson).then().statusCode(200);
        as("parent.premium").get(analytics).then().statusCode(200);
        as("parent.premium").get(grades).then().statusCode(200);
        long size = cache.size();
        assertThat(size).isGreaterThanOrEqualTo(6);
        TestDatabase.withAuditLogOffline(() -> {
            for (String[] req : new String[][]{{"parent.premium", png}, {"parent.premium", pdf}, {"school", medals},
                    {"school", medalsJson}, {"parent.premium", analytics}, {"parent.premium", grades}}) {
                as(req[0]).get(req[1]).then().spec(Problems.problem(503, "audit-unavailable"));
            }
        });
        as("parent.premium").get(png).then().statusCode(200);
        as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void indicatorsJsonIsCachedAndAccessStillChecked() {
        String url = "/api/v1/districts/" + Fixture.DISTRICT + "/indicators";
        double before = renders("district.indicators.json");
        String a = as("department").queryParam("term", 4).get(url).then().statusCode(200)
                .contentType("application/json").extract().asString();
        String b = as("department").queryParam("term", 4).get(url).then().statusCode(200).extract().asString();
        assertThat(b).isEqualTo(a);
        assertThat(renders("district.indicators.json")).isEqualTo(before + 1);
        as("school").queryParam("term", 4).get(url).then().statusCode(403);
        as("department").queryParam("term", 4).get("/api/v1/districts/ALM-MEDEU/indicators").then().statusCode(403);
        // a narrower filter is another entry, with fewer rows
        int all = as("department").queryParam("term", 4).get(url).then().extract().jsonPath().getList("schools").size();
        int one = as("department").queryParam("term", 4).queryParam("grade", 0).queryParam("subject", "ALL").get(url)
                .then().statusCode(200).extract().jsonPath().getList("schools").size();
        assertThat(one).isPositive().isLessThan(all);
        assertThat(renders("district.indicators.json")).isEqualTo(before + 2);
    }

    @Test
    void aNewSnapshotRendersAnew() throws Exception {
        Snapshot old = snapshots.require();
        String pdfUrl = pupil("report.pdf");
        String pngUrl = pupil("charts/dynamics.png");
        String districtPdf = "/api/v1/districts/" + Fixture.DISTRICT + "/report.pdf";
        byte[] oldPdf = as("parent.premium").get(pdfUrl).then().statusCode(200).header("X-Baga-Snapshot", old.id())
                .extract().asByteArray();
        as("parent.premium").get(pngUrl).then().statusCode(200);
        byte[] oldDistrict = as("department").queryParam("term", 4).get(districtPdf).then().statusCode(200)
                .extract().asByteArray();
        assertThat(Pdf.text(oldPdf)).contains(old.id());
        String analyticsUrl = pupil("analytics");
        String gradesUrl = pupil("grades");
        String medalsUrl = "/api/v1/schools/" + Fixture.SCHOOL + "/medal-candidates";
        String oldAnalytics = as("parent.premium").get(analyticsUrl).then().statusCode(200).extract().asString();
        String oldGrades = as("parent.premium").get(gradesUrl).then().statusCode(200).extract().asString();
        String oldMedals = as("school").get(medalsUrl).then().statusCode(200).extract().asString();
        assertThat(oldAnalytics).contains("\"snapshotId\":\"" + old.id() + "\"");

        // commit a new snapshot the way the pipeline does (same data, new id)
        String newId = TestDatabase.switchSnapshot(snapshots, "-r");

        double pngRenders = renders("student.dynamics.png");
        byte[] newPdf = as("parent.premium").get(pdfUrl).then().statusCode(200).header("X-Baga-Snapshot", newId)
                .extract().asByteArray();
        assertThat(newPdf).isNotEqualTo(oldPdf);
        assertThat(Pdf.text(newPdf)).contains(newId);
        as("parent.premium").get(pngUrl).then().statusCode(200).header("X-Baga-Snapshot", newId);
        assertThat(renders("student.dynamics.png")).as("rendered again for the new snapshot").isEqualTo(pngRenders + 1);
        byte[] newDistrict = as("department").queryParam("term", 4).get(districtPdf).then().statusCode(200)
                .header("X-Baga-Snapshot", newId).extract().asByteArray();
        assertThat(newDistrict).isNotEqualTo(oldDistrict);
        assertThat(Pdf.text(newDistrict)).contains(newId);
        // JSON answers: the new snapshot's (same data here, so equal but for the snapshot id), not the cached ones
        double jsonRenders = renders("student.analytics.json");
        String newAnalytics = as("parent.premium").get(analyticsUrl).then().statusCode(200)
                .header("X-Baga-Snapshot", newId).extract().asString();
        assertThat(newAnalytics).isEqualTo(oldAnalytics.replace(old.id(), newId));
        assertThat(renders("student.analytics.json")).isEqualTo(jsonRenders + 1);
        assertThat(as("parent.premium").get(gradesUrl).then().statusCode(200).header("X-Baga-Snapshot", newId)
                .extract().asString()).isEqualTo(oldGrades.replace(old.id(), newId));
        assertThat(as("school").get(medalsUrl).then().statusCode(200).header("X-Baga-Snapshot", newId)
                .extract().asString()).isEqualTo(oldMedals.replace(old.id(), newId)).contains(newId);
        // the old snapshot's entries were dropped once the new one was served
        assertThat(cache.size()).isEqualTo(6);
    }
}
