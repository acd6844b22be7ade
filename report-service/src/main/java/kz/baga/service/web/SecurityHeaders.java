package kz.baga.service.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import kz.baga.service.security.LoginThrottle;

/**
 * Response headers of the pages (everything but {@code /api/} and {@code /q/}): a content security policy that
 * allows no inline script, no sniffing, same-origin referrers, and no caching of anything personal. Also turns a
 * refused sign-in into the right answer: 429 with Retry-After for the API, the sign-in page for the form.
 */
@ApplicationScoped
public class SecurityHeaders {

    /** Inline SVG charts carry style attributes; scripts, styles sheets and fonts come from the service only. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(rc -> {
            String path = rc.normalizedPath();
            if (!path.startsWith("/api/") && !path.startsWith("/q/")) {
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
