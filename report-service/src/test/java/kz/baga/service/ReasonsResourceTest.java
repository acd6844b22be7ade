package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import kz.baga.contract.Table;
import kz.baga.service.i18n.Lang;
import kz.baga.service.warehouse.ParquetTables;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.junit.jupiter.api.Test;

/** Medal reasons and reconciliation findings in the request's language, beside their language-neutral form. */
@QuarkusTest
class ReasonsResourceTest {

    private static final String SCHOOL = "/api/v1/schools/" + Fixture.SCHOOL;

    @Inject
    SnapshotRegistry snapshots;

    /** Latin letters other than the platforms' names (which stay as they are). */
    private static final String LATIN = "[A-Za-z]";

    private static String withoutNames(String s) {
        return s.replace("Kundelik", "").replace("BilimClass", "");
    }

    /** The warehouse's reason_details of one pupil's award, as the JSON names its fields. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> details(String studentId, String award) {
        ParquetTables.Row row = ParquetTables.filter(Fixture.rows(Table.MEDAL_ELIGIBILITY, Fixture.SCHOOL,
                        List.of("student_id", "award", "reason_details")),
                x -> x.str("student_id").equals(studentId) && x.str("award").equals(award)).get(0);
        return (List<Map<String, Object>>) row.get("reason_details");
    }

    @Test
    @SuppressWarnings("unchecked")
    void analyticsReasonsAWorkedExampleFromTheWarehouse() {
        // a pupil of the school whose only reason for an award is one annual mark below the top
        String id = Fixture.rows(Table.MEDAL_ELIGIBILITY, Fixture.SCHOOL, List.of("student_id", "reason_details"))
                .stream().filter(r -> {
                    List<Map<String, Object>> d = (List<Map<String, Object>>) r.get("reason_details");
                    return d != null && d.size() == 1 && "ANNUAL_BELOW_TOP".equals(d.get(0).get("code"));
                }).findFirst().orElseThrow().str("student_id");
        Snapshot snap = snapshots.require();
        JsonPath ru = as("school").queryParam("lang", "ru").get("/api/v1/students/" + id + "/analytics")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> medals = ru.getList("medals");
        assertThat(medals).isNotEmpty();
        boolean annualBelowTop = false;
        for (Map<String, Object> m : medals) {
            // no reasons: an empty list in the warehouse may be null in either place
            List<Map<String, Object>> expected = details(id, (String) m.get("award"));
            expected = expected == null ? List.of() : expected;
            List<Map<String, Object>> got = (List<Map<String, Object>>) m.get("reasonDetails");
            got = got == null ? List.of() : got;
            assertThat(got).hasSameSizeAs(expected);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).get("code")).isEqualTo(expected.get(i).get("code"));
                assertThat(got.get(i).get("subjectCode")).isEqualTo(expected.get(i).get("subject_code"));
            }
            assertThat((String) m.get("reasons")).doesNotContainPattern(LATIN);
            if (expected.size() == 1 && "ANNUAL_BELOW_TOP".equals(expected.get(0).get("code"))) {
                Map<String, Object> d = expected.get(0);
                assertThat(m.get("reasons")).isEqualTo(snap.subjectName((String) d.get("subject_code"), "ru") + ", "
                        + d.get("academic_year") + ": годовая оценка " + d.get("mark"));
                annualBelowTop = true;
            }
            if (expected.isEmpty()) {
                assertThat(m.get("reasons")).isEqualTo("все оценки на сегодня соответствуют условию");
            }
        }
        assertThat(annualBelowTop).as("the pupil has an award lost by one annual mark").isTrue();
        String kk = as("school").queryParam("lang", "kk").get("/api/v1/students/" + id + "/analytics")
                .jsonPath().getString("medals[0].reasons");
        assertThat(kk).doesNotContainPattern(LATIN).isNotEqualTo(ru.getString("medals[0].reasons"));
        // each period names the platform its works came from: Kundelik until December, BilimClass from January
        assertThat(ru.getList("dynamics[0].points", Map.class)).isNotEmpty()
                .allSatisfy(p -> assertThat((List<String>) ((Map<String, Object>) p).get("sources")).contains(
                        ((String) ((Map<String, Object>) p).get("periodStart")).compareTo("2026-01-01") < 0
                                ? "kundelik" : "bilimclass"));
    }

    @Test
    void medalCandidatesTakeTheLanguageFromTheParameterOrAcceptLanguage() {
        JsonPath ru = as("school").queryParam("lang", "ru").get(SCHOOL + "/medal-candidates").then().statusCode(200)
                .extract().jsonPath();
        JsonPath kk = as("school").header("Accept-Language", "kk-KZ,ru;q=0.5").get(SCHOOL + "/medal-candidates")
                .then().statusCode(200).extract().jsonPath();
        JsonPath en = as("school").queryParam("lang", "en").header("Accept-Language", "kk")
                .get(SCHOOL + "/medal-candidates").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> candidates = ru.getList("candidates");
        assertThat(candidates).isNotEmpty();
        for (int i = 0; i < candidates.size(); i++) {
            Map<String, Object> c = candidates.get(i);
            assertThat(details((String) c.get("studentId"), (String) c.get("award")))
                    .hasSameSizeAs((List<?>) c.get("reasonDetails"));
            assertThat((String) c.get("reasons")).as("ru").doesNotContainPattern(LATIN);
            assertThat(kk.getString("candidates[" + i + "].reasons")).as("kk").doesNotContainPattern(LATIN);
            assertThat(kk.getList("candidates[" + i + "].reasonDetails")).isEqualTo(c.get("reasonDetails"));
        }
        assertThat(kk.getList("candidates.reasons")).isNotEqualTo(ru.getList("candidates.reasons"));
        assertThat(en.getList("candidates.reasons")).isNotEqualTo(kk.getList("candidates.reasons"));

        String csv = as("school").queryParam("lang", "kk").header("Accept", "text/csv")
                .get(SCHOOL + "/medal-candidates").then().statusCode(200).extract().asString();
        assertThat(csv).contains(kk.getString("candidates[0].reasons"));
        as("school").queryParam("lang", "de").get(SCHOOL + "/medal-candidates")
                .then().spec(Problems.badParameter("lang"));
    }

    @Test
    void medalCandidatesPdfReasonsInItsLanguage() {
        for (String lang : List.of("kk", "ru")) {
            byte[] pdf = as("school").queryParam("lang", lang).get(SCHOOL + "/medal-candidates.pdf").then()
                    .statusCode(200).extract().asByteArray();
            Preview.save("medal-candidates-" + lang + ".pdf", pdf);
            String text = Pdf.text(pdf);
            assertThat(text).doesNotContain("every mark").doesNotContain("annual mark").doesNotContain("term ");
            String first = as("school").queryParam("lang", lang).get(SCHOOL + "/medal-candidates").jsonPath()
                    .getString("candidates[0].reasons");
            String start = first.replaceAll("\\s+", "");
            assertThat(text.replaceAll("\\s+", "")).contains(start.substring(0, Math.min(start.length(), 150)));
        }
    }

    @Test
    void reconciliationFindingsInTheRequestsLanguage() {
        for (String lang : Lang.SUPPORTED) {
            JsonPath r = as("school").queryParam("lang", lang).get(SCHOOL + "/reconciliation").then().statusCode(200)
                    .extract().jsonPath();
            List<Map<String, Object>> all = new java.util.ArrayList<>();
            all.addAll(r.getList("conflicts"));
            all.addAll(r.getList("gaps"));
            all.addAll(r.getList("other"));
            assertThat(all).isNotEmpty();
            for (Map<String, Object> f : all) {
                assertThat((String) f.get("text")).isNotBlank();
                assertThat(f.get("detail")).as("the pipeline's own text is kept").isNotNull();
                if (!lang.equals("en")) {
                    // platform names and event ids stay as they are
                    String id = ((String) f.get("detail")).replaceAll(".* event (\\S+) .*", "$1");
                    assertThat(withoutNames((String) f.get("text")).replace(id, "")).as("%s: %s", lang, f.get("detail"))
                            .doesNotContainPattern(LATIN);
                    assertThat((String) f.get("issueName")).doesNotContainPattern(LATIN);
                } else if ("GAP".equals(f.get("issue"))) {
                    assertThat(f.get("text")).as("en of a gap is the pipeline's text").isEqualTo(f.get("detail"));
                }
            }
        }
        as("school").queryParam("lang", "ru").get(SCHOOL + "/reconciliation").then()
                .body("gaps.find { it.issue == 'GAP' }.issueName", equalTo("Пропуск"));
    }
}
