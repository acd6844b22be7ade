package kz.baga.service;

import static io.restassured.RestAssured.given;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import kz.baga.contract.Table;
import kz.baga.service.warehouse.ParquetTables;

/** Logins, accounts, ids of the demo pupils, and direct reads of the test warehouse to check values against. */
public final class Fixture {

    public static final String PASSWORD = "demo";
    public static final String SCHOOL = "ALM-0001";
    public static final String OTHER_SCHOOL = "ALM-0002";
    public static final String DISTRICT = "ALM-AUEZOV";
    public static final String NO_SUCH_PUPIL = "ffffffffffffffffffffffffffffffff";

    private static String premiumChild;
    private static String freeChild;

    private Fixture() {
    }

    /** A request with a demo account's HTTP Basic login. */
    public static RequestSpecification as(String user) {
        return as(user, PASSWORD);
    }

    public static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password);
    }

    /**
     * Creates an account through the admin API; {@code scope} is the school id of a school account, the district
     * id of a department account, else null. The caller checks the answer (201, or 409 when it exists).
     */
    public static ValidatableResponse createAccount(String username, String password, String role, String scope) {
        Map<String, String> body = new HashMap<>(Map.of("username", username, "password", password, "role", role));
        if (scope != null) {
            body.put("school".equals(role) ? "schoolId" : "districtId", scope);
        }
        return as("admin").contentType(ContentType.JSON).body(body).post("/api/v1/admin/users").then();
    }

    public static synchronized String premiumChild() {
        if (premiumChild == null) {
            premiumChild = as("parent.premium").get("/api/v1/me").then().statusCode(200).extract()
                    .path("children[0].studentId");
        }
        return premiumChild;
    }

    public static synchronized String freeChild() {
        if (freeChild == null) {
            freeChild = as("parent.free").get("/api/v1/me").then().statusCode(200).extract()
                    .path("children[0].studentId");
        }
        return freeChild;
    }

    /** A pupil of the other school (nobody's child in the demo accounts). */
    public static String otherSchoolPupil() {
        return rows(Table.STUDENT_DIRECTORY, OTHER_SCHOOL, List.of("student_id")).get(0).str("student_id");
    }

    public static Path snapshotDir() {
        try {
            Path wh = TestDatabase.sourceWarehouse();
            return wh.resolve("snapshots").resolve(Files.readString(wh.resolve("CURRENT")).trim());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static List<ParquetTables.Row> rows(Table t, String partition, List<String> columns) {
        return ParquetTables.read(snapshotDir(), t, partition, columns, null);
    }
}
