package kz.baga.service.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import kz.baga.service.security.DbIdentityProvider;
import kz.baga.service.security.LoginThrottle;

/**
 * Response headers of every answer: for the pages a content security policy that allows no inline script, for the
 * API and Quarkus's endpoints one that allows nothing; no sniffing, same-origin referrers, no framing, and no
 * caching of anything personal. Also turns a refused sign-in into the right answer: 429 with Retry-After (or 503
 * when the accounts cannot be read) for the API, the sign-in page for the form.
 */
@ApplicationScoped
public class SecurityHeaders {

    /** Inline SVG charts carry style attributes; scripts, styles sheets and fonts come from the service only. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** The API sends no HTML: nothing may run or be framed if a browser opens an answer. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(rc -> {
            String path = rc.normalizedPath();
            if (path.startsWith("/api/") || path.startsWith("/q/")) {
                HttpServerResponse r = rc.response();
                rc.addHeadersEndHandler(v -> {
                    r.headers().set("X-Content-Type-Options", "nosniff");
                    r.headers().set("Referrer-Policy", "same-origin");
                    r.headers().set("X-Frame-Options", "DENY");
                    if (!path.startsWith("/q/swagger-ui")) {
                        r.headers().set("Content-Security-Policy", API_CSP);
                    }
                    // every API answer is about someone: pupils, accounts, the audit log
                    if (path.startsWith("/api/") && !r.headers().contains("Cache-Control")) {
                        r.headers().set("Cache-Control", "private, no-store");
                    }
                    // Quarkus keeps Basic's challenge back once form sign-in is enabled; API clients need it
                    if (r.getStatusCode() == 401 && !r.headers().contains("WWW-Authenticate")) {
                        r.headers().set("WWW-Authenticate", "Basic realm=\"baga\"");
                    }
                });
            } else {
                HttpServerResponse r = rc.response();
                rc.addHeadersEndHandler(v -> {
                    r.headers().set("Content-Security-Policy", CSP);
                    r.headers().set("X-Content-Type-Options", "nosniff");
                    r.headers().set("Referrer-Policy", "same-origin");
                    r.headers().set("X-Frame-Options", "DENY");
                    if (!r.headers().contains("Cache-Control")) {
                        r.headers().set("Cache-Control", path.startsWith("/static/") ? "public, max-age=86400"
                                : "private, no-store");
                    }
                });
            }
            rc.next();
        });
        router.route().failureHandler(this::throttled);
    }

    private void throttled(RoutingContext rc) {
        if (rc.failure() instanceof io.quarkus.security.AuthenticationFailedException a
                && Boolean.TRUE.equals(a.getAttribute(DbIdentityProvider.UNAVAILABLE)) && !rc.response().ended()) {
            if (rc.normalizedPath().startsWith("/api/")) {
                rc.response().setStatusCode(503).putHeader("Content-Type", "application/problem+json")
                        .putHeader("Retry-After", "5")
                        .end("{\"type\":\"https://baga.kz/problems/accounts-unavailable\",\"title\":\"Accounts "
                                + "unavailable\",\"status\":503,\"detail\":\"the accounts database cannot be read; "
                                + "try again shortly\"}");
            } else {
                rc.response().setStatusCode(302).putHeader("Location", "/login?error=unavailable").end();
            }
            return;
        }
        Long retryAfter = LoginThrottle.retryAfter(rc.failure());
        if (retryAfter == null || rc.response().ended()) {
            rc.next();
            return;
        }
        if (rc.normalizedPath().startsWith("/api/")) {
            rc.response().setStatusCode(429).putHeader("Content-Type", "application/problem+json")
                    .putHeader("Retry-After", String.valueOf(retryAfter))
                    .end("{\"type\":\"https://baga.kz/problems/too-many-sign-ins\",\"title\":\"Too many failed sign-ins\","
                            + "\"status\":429,\"detail\":\"" + rc.failure().getMessage() + "\"}");
        } else {
            rc.response().setStatusCode(302).putHeader("Location", "/login?error=throttled")
                    .putHeader("Retry-After", String.valueOf(retryAfter)).end();
        }
    }
}
