package kz.baga.service;

import static io.restassured.RestAssured.given;
import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * Wrong passwords slow down the next tries of that account and of that address, for the form and HTTP Basic
 * alike; a try made while waiting is refused without its password being checked, and every failure is recorded.
 */
@QuarkusTest
@TestProfile(ThrottleProfile.class)
class LoginThrottleTest {

    @Test
    void anAccountWaitsAfterRepeatedWrongPasswordsAndTheAddressToo() {
        Fixture.createAccount("guessed.account", "right-pass", "auditor", null).statusCode(201);
        for (int i = 0; i < 3; i++) {
            as("guessed.account", "guess-" + i).get("/api/v1/me").then().statusCode(401);
        }
        // the right password now waits too: 429 with the wait, nothing checked
        Response r = as("guessed.account", "right-pass").get("/api/v1/me");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(50L, 60L);
        assertThat(r.contentType()).startsWith("application/problem+json");
        // the form answers the same account with the sign-in page, which says to wait
        Response form = Pages.postSignIn("guessed.account", "right-pass");
        assertThat(form.statusCode()).isEqualTo(302);
        assertThat(form.header("Location")).contains("/login?error");
        assertThat(form.detailedCookie(Pages.SESSION)).satisfiesAnyOf(c -> assertThat(c).isNull(),
                c -> assertThat(c.getValue()).isEmpty());
        // another account from this address is not held up yet
        as("auditor").get("/api/v1/me").then().statusCode(200).body("username", equalTo("auditor"));

        // the failures are in the audit log, with the refused try
        assertThat(AuditRecords.listed().stream().filter(x -> "auth.sign-in".equals(x.get("action"))
                && "guessed.account".equals(x.get("username"))).map(x -> (String) x.get("detail")))
                .contains("wrong username or password", "throttled: too many failed sign-ins");

        // the address: 8 failures in all from here (3 above, 5 now), then even a known account's new sign-in waits
        for (int i = 0; i < 5; i++) {
            Pages.postSignIn("nobody." + i, "x").then().statusCode(302);
        }
        Fixture.createAccount("fresh.account", "right-pass", "auditor", null).statusCode(201);
        as("fresh.account", "right-pass").get("/api/v1/me").then().statusCode(429);
        given().get("/login?error=1&lang=en").then().statusCode(401).body(containsString("Too many failed attempts"));
    }
}
