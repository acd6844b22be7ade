package kz.baga.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** Signing in and out of the pages, the session cookie, CSRF on forms, and the pages' response headers. */
@QuarkusTest
class PageSignInTest {

    @Test
    void anonymousVisitorsAreSentToTheSignInForm() {
        given().redirects().follow(false).get("/").then().statusCode(303)
                .header("Location", containsString("/login"));
        given().redirects().follow(false).get("/children").then().statusCode(302)
                .header("Location", containsString("/login"));
        String form = given().get("/login?lang=ru").then().statusCode(200).contentType(containsString("text/html"))
                .extract().asString();
        assertThat(form).contains("action=\"/j_security_check\"", "name=\"j_username\"", "name=\"j_password\"",
                "<label for=\"u\">Имя пользователя</label>", "<html lang=\"ru\">");
    }

    @Test
    void signInSetsAProtectedSessionCookieAndLandsOnTheRolesHome() {
        Response r = Pages.postSignIn("parent.premium", Fixture.PASSWORD);
        assertThat(r.statusCode()).isEqualTo(302);
        String setCookie = r.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith(Pages.SESSION + "="))
                .findFirst().orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .doesNotContainIgnoringCase("Secure"); // plain http here; over https the cookie is Secure
        Cookie session = r.detailedCookie(Pages.SESSION);
        given().redirects().follow(false).cookie(session).get("/").then().statusCode(303)
                .header("Location", endsWith("/children"));
        // one child: the list goes straight to that child's page
        given().redirects().follow(false).cookie(session).get("/children").then().statusCode(303)
                .header("Location", containsString("/children/" + Fixture.premiumChild()));
        given().redirects().follow(false).cookie(Pages.signIn("school")).get("/").then().statusCode(303)
                .header("Location", endsWith("/schools/" + Fixture.SCHOOL + "/medal-candidates"));
        given().redirects().follow(false).cookie(Pages.signIn("department")).get("/").then().statusCode(303)
                .header("Location", endsWith("/districts/" + Fixture.DISTRICT));
    }

    @Test
    void aWrongPasswordReturnsToTheFormWithAMessageAndNoSession() {
        Response r = Pages.postSignIn("parent.free", "not-the-password");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.header("Location")).contains("/login?error");
        assertThat(r.detailedCookie(Pages.SESSION)).satisfiesAnyOf(c -> assertThat(c).isNull(),
                c -> assertThat(c.getValue()).isEmpty());
        given().get("/login?error=1&lang=en").then().statusCode(401)
                .body(containsString("Wrong username or password."));
    }

    @Test
    void logoutEndsTheSessionAndNeedsTheFormsCsrfToken() {
        Cookie session = Pages.signIn("auditor");
        Response page = given().cookie(session).get("/audit");
        page.then().statusCode(200);
        String token = Pages.csrfToken(page.asString());
        Cookie csrf = page.detailedCookie(Pages.CSRF);
        assertThat(csrf).isNotNull();
        // without the token: refused, and the session still works
        given().redirects().follow(false).cookie(session).cookie(csrf).contentType("application/x-www-form-urlencoded")
                .post("/logout").then().statusCode(400);
        given().redirects().follow(false).cookie(session).cookie(csrf).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", "forged" + token).post("/logout").then().statusCode(400);
        given().redirects().follow(false).cookie(session).get("/audit").then().statusCode(200);
        Response out = given().redirects().follow(false).cookie(session).cookie(csrf)
                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", token).post("/logout");
        out.then().statusCode(303).header("Location", containsString("/login"));
        assertThat(out.detailedCookie(Pages.SESSION).getValue()).isEmpty();
        assertThat(out.detailedCookie(Pages.SESSION).getMaxAge()).isZero();
    }

    @Test
    void adminFormsRefuseAMissingCsrfToken() {
        Cookie session = Pages.signIn("admin");
        Response page = given().cookie(session).get("/admin");
        String token = Pages.csrfToken(page.asString());
        Cookie csrf = page.detailedCookie(Pages.CSRF);
        given().redirects().follow(false).cookie(session).cookie(csrf).contentType("application/x-www-form-urlencoded")
                .formParam("username", "csrf.victim").formParam("password", "secret").formParam("role", "auditor")
                .post("/admin/accounts").then().statusCode(400);
        Fixture.as("admin").get("/api/v1/admin/users").then().statusCode(200)
                .body("username", not(org.hamcrest.Matchers.hasItem("csrf.victim")));
        given().redirects().follow(false).cookie(session).cookie(csrf).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", token).formParam("username", "csrf.created").formParam("password", "secret")
                .formParam("role", "auditor").post("/admin/accounts").then().statusCode(303);
        Fixture.as("admin").get("/api/v1/admin/users").then().statusCode(200)
                .body("username", org.hamcrest.Matchers.hasItem("csrf.created"));
    }

    @Test
    void aPageSessionNeverAuthorisesTheApi() {
        Cookie session = Pages.signIn("admin");
        given().cookie(session).get("/api/v1/me").then().statusCode(401);
        given().cookie(session).contentType("application/json")
                .body("{\"username\":\"via.cookie\",\"password\":\"secret\",\"role\":\"auditor\"}")
                .post("/api/v1/admin/users").then().statusCode(401);
        Fixture.as("admin").get("/api/v1/me").then().statusCode(200).body("username", equalTo("admin"));
    }

    @Test
    void pagesCarryTheSecurityHeaders() {
        Response login = given().get("/login");
        String csp = login.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'", "default-src 'none'", "frame-ancestors 'none'");
        assertThat(csp.split(";")).filteredOn(d -> d.trim().startsWith("script-src"))
                .allSatisfy(d -> assertThat(d).doesNotContain("unsafe-inline"));
        assertThat(login.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(login.header("Referrer-Policy")).isEqualTo("same-origin");
        Response pupil = given().cookie(Pages.signIn("parent.premium")).get("/children/" + Fixture.premiumChild());
        pupil.then().statusCode(200);
        assertThat(pupil.header("Cache-Control")).isEqualTo("private, no-store");
        assertThat(pupil.header("Content-Security-Policy")).isEqualTo(csp);
        assertThat(pupil.asString()).doesNotContain("<script");
        // the stylesheet and the font come from the service itself
        given().get("/static/baga.css").then().statusCode(200).body(containsString("font-family"));
        given().get("/static/fonts/DejaVuSans.ttf").then().statusCode(200).contentType("font/ttf");
    }

    @Test
    void theLanguageSwitchIsKeptInACookie() {
        Cookie session = Pages.signIn("auditor");
        Response en = given().cookie(session).get("/audit?lang=en");
        assertThat(en.asString()).contains("<html lang=\"en\">", "Audit log");
        Cookie lang = en.detailedCookie("baga-lang");
        assertThat(lang.getValue()).isEqualTo("en");
        given().cookie(session).cookie(lang).header("Accept-Language", "kk").get("/audit").then()
                .body(containsString("<html lang=\"en\">"));
        given().cookie(session).header("Accept-Language", "kk-KZ,kk;q=0.9").get("/audit").then()
                .body(containsString("<html lang=\"kk\">"), containsString("Аудит журналы"));
        given().cookie(session).get("/audit?lang=de").then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("lang must be one of kk, ru, en"));
    }
}
