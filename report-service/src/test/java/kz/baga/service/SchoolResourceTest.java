package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import kz.baga.contract.Table;
import kz.baga.service.warehouse.ParquetTables;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SchoolResourceTest {

    private static final String BASE = "/api/v1/schools/" + Fixture.SCHOOL;
    private static final List<String> PATHS = List.of("/medal-candidates", "/medal-candidates.pdf",
            "/classes/11А/rankings", "/reconciliation");

    @Test
    void roleMatrix() {
        for (String p : PATHS) {
            RestAssured.get(BASE + p).then().statusCode(401);
            as("school").get(BASE + p).then().statusCode(200);
            for (String other : List.of("parent.premium", "parent.free", "department", "auditor", "admin")) {
                as(other).get(BASE + p).then().statusCode(403);
            }
            as("school").get("/api/v1/schools/" + Fixture.OTHER_SCHOOL + p).then()
                    .spec(Problems.problem(403, "forbidden"));
        }
    }

    @Test
    void medalCandidatesJsonAndCsv() {
        Response r = as("school").get(BASE + "/medal-candidates");
        r.then().statusCode(200);
        List<ParquetTables.Row> expected = ParquetTables.filter(Fixture.rows(Table.MEDAL_ELIGIBILITY, Fixture.SCHOOL,
                        List.of("student_id", "award", "status", "grade_level")),
                x -> !x.str("status").equals("LOST") && x.integer("grade_level") >= 9);
        List<Map<String, Object>> got = r.jsonPath().getList("candidates");
        assertThat(got).hasSize(expected.size());
        assertThat(got).allSatisfy(c -> assertThat(c.get("status")).isNotEqualTo("LOST"));
        assertThat(got.stream().map(c -> c.get("studentId") + "/" + c.get("award")).collect(Collectors.toSet()))
                .isEqualTo(expected.stream().map(x -> x.str("student_id") + "/" + x.str("award"))
                        .collect(Collectors.toSet()));

        String csv = as("school").header("Accept", "text/csv").get(BASE + "/medal-candidates").then()
                .statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertThat(csv.split("\r\n")).hasSize(expected.size() + 1);
        assertThat(csv).startsWith("student_id,name,class_label,grade_level,award,status,reasons");
    }

    @Test
    void medalCandidatesPdf() {
        byte[] pdf = as("school").queryParam("lang", "kk").get(BASE + "/medal-candidates.pdf").then()
                .statusCode(200).extract().asByteArray();
        String text = Pdf.text(pdf);
        assertThat(text).contains("Медальға үміткерлер").contains("№ 172 мектеп-лицей");
        String name = as("school").get(BASE + "/medal-candidates").jsonPath().getString("candidates[0].name");
        assertThat(text).contains(name.split(" ")[0]);
        assertThat(Pdf.allFontsEmbedded(pdf)).isTrue();
    }

    @Test
    void classRanking() {
        Response r = as("school").queryParam("term", 3).queryParam("subject", "ALL")
                .get(BASE + "/classes/11А/rankings");
        r.then().statusCode(200).body("classLabel", equalTo("11А")).body("term", equalTo(3));
        List<ParquetTables.Row> expected = ParquetTables.filter(Fixture.rows(Table.CLASS_RANKINGS, Fixture.SCHOOL,
                        List.of("student_id", "term", "subject_code", "class_label", "rank", "class_size")),
                x -> x.integer("term") == 3 && x.str("subject_code").equals("ALL") && x.str("class_label").equals("11А"));
        assertThat(r.jsonPath().getList("rows")).hasSize(expected.size());
        for (ParquetTables.Row x : expected) {
            assertThat(r.jsonPath().getInt("rows.find { it.studentId == '" + x.str("student_id") + "' }.rank"))
                    .isEqualTo(x.integer("rank"));
        }
        assertThat(r.jsonPath().getInt("classSize")).isEqualTo(expected.get(0).integer("class_size"));
        as("school").get(BASE + "/classes/99Z/rankings").then().spec(Problems.problem(404, "not-found"));
        as("school").queryParam("subject", "NOPE").get(BASE + "/classes/11А/rankings")
                .then().spec(Problems.badParameter("subject"));
        as("school").queryParam("term", "-1").get(BASE + "/classes/11А/rankings")
                .then().spec(Problems.badParameter("term"));
    }

    @Test
    void reconciliation() {
        Response r = as("school").get(BASE + "/reconciliation");
        r.then().statusCode(200);
        long conflicts = Fixture.rows(Table.RECONCILIATION, Fixture.SCHOOL, List.of("issue", "academic_year")).stream()
                .filter(x -> x.str("issue").equals("CONFLICT") && x.str("academic_year").equals("2025-2026")).count();
        assertThat(r.jsonPath().getList("conflicts")).hasSize((int) conflicts);
        assertThat(r.jsonPath().getList("gaps")).isNotEmpty();
        assertThat(r.jsonPath().getList("rejected")).isNotEmpty();
        assertThat(r.jsonPath().getList("rejected.file", String.class)).allMatch(f -> f.contains("ALM-0001"));
    }

    @Test
    void reconciliationShowsNoIinAndItsRecordNamesEveryPupilInTheAnswer() {
        // the warehouse's rejected rows of this school do carry IINs in their raw text
        List<ParquetTables.Row> stored = Fixture.rows(Table.REJECTED_EVENTS, null, List.of("raw", "school_id")).stream()
                .filter(r -> Fixture.SCHOOL.equals(r.str("school_id"))).toList();
        assertThat(stored).anySatisfy(r -> assertThat(r.str("raw")).containsPattern("\\d{12}"));
        Response r = as("school").get("/api/v1/schools/" + Fixture.SCHOOL + "/reconciliation");
        r.then().statusCode(200);
        assertThat(r.asString()).doesNotContainPattern("(?<!\\d)\\d{12}(?!\\d)");
        assertThat(r.jsonPath().getList("rejected.raw", String.class)).anySatisfy(raw -> assertThat(raw)
                .contains("************"));
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (String section : List.of("conflicts", "gaps", "other")) {
            named.addAll(r.jsonPath().getList(section + ".studentId", String.class));
        }
        Map<String, Object> last = AuditRecords.listed().stream().filter(x -> "school.reconciliation".equals(x.get("action")))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(new java.util.TreeSet<>(List.of(((String) last.get("studentIds")).split(",")))).isEqualTo(named);
    }
}
