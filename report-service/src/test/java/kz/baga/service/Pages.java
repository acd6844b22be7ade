package kz.baga.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Signing in through the pages' form, as a browser does, and reading what a page shows. */
public final class Pages {

    public static final String SESSION = "baga-session";
    public static final String CSRF = "baga-csrf";

    private Pages() {
    }

    /** Posts the sign-in form; the answer is a redirect that sets the session cookie. */
    public static Response postSignIn(String user, String password) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", user).formParam("j_password", password).post("/j_security_check");
    }

    public static Cookie signIn(String user) {
        Response r = postSignIn(user, Fixture.PASSWORD);
        assertThat(r.statusCode()).as("sign-in of " + user).isEqualTo(302);
        Cookie c = r.detailedCookie(SESSION);
        assertThat(c).as("session cookie of " + user).isNotNull();
        return c;
    }

    /** A request with {@code user}'s page session, redirects not followed. */
    public static RequestSpecification as(String user) {
        return given().redirects().follow(false).cookie(signIn(user));
    }

    /** The text of the element with {@code id} (tags dropped, whitespace collapsed), or null. */
    public static String text(String html, String id) {
        Matcher m = Pattern.compile("<(\\w+)[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</\\1>", Pattern.DOTALL)
                .matcher(html);
        return m.find() ? plain(m.group(2)) : null;
    }

    public static String plain(String html) {
        return html.replaceAll("<[^>]+>", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                .replace("&quot;", "\"").replace("&#39;", "'").replaceAll("\\s+", " ").trim();
    }

    /** The hidden CSRF field's value in a page's form. */
    public static String csrfToken(String html) {
        Matcher m = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF field in the page").isTrue();
        return m.group(1);
    }
}
