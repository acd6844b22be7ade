package kz.baga.service;

import static org.hamcrest.Matchers.equalTo;

import io.restassured.builder.ResponseSpecBuilder;
import io.restassured.specification.ResponseSpecification;

/** What a problem answer (RFC 9457, application/problem+json) must look like: {@code then().spec(...)}. */
final class Problems {

    static final String JSON = "application/problem+json";
    static final String TYPE_BASE = "https://baga.kz/problems/";

    private Problems() {
    }

    /** A problem of {@code type} (the slug, e.g. {@code forbidden}) with {@code status}, in the body too. */
    static ResponseSpecification problem(int status, String type) {
        return new ResponseSpecBuilder().expectStatusCode(status).expectContentType(JSON)
                .expectBody("type", equalTo(TYPE_BASE + type)).expectBody("status", equalTo(status)).build();
    }

    /** A 400 that names the refused parameter. */
    static ResponseSpecification badParameter(String parameter) {
        return new ResponseSpecBuilder().addResponseSpecification(problem(400, "bad-parameter"))
                .expectBody("parameter", equalTo(parameter)).build();
    }
}
