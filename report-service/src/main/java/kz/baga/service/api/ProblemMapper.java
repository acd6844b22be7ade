package kz.baga.service.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import kz.baga.service.web.PageContext;
import org.jboss.logging.Logger;

/**
 * The one exception mapper: everything that goes wrong is answered as application/problem+json, or, for a page,
 * as an HTML page in the reader's language with the same status.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Context
    UriInfo uriInfo;

    @Inject
    PageContext page;

    @Override
    public Response toResponse(Throwable e) {
        ProblemException p = toProblem(e);
        if (uriInfo != null && isPage(uriInfo.getPath())) {
            return page(p);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemException.TYPE_BASE + p.type());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.getMessage());
        if (uriInfo != null) {
            body.put("instance", uriInfo.getPath());
        }
        body.putAll(p.extra());
        Response.ResponseBuilder rb = Response.status(p.status()).type(PROBLEM_JSON).entity(body);
        p.headers().forEach(rb::header);
        if (p.status() == 401) {
            rb.header("WWW-Authenticate", "Basic realm=\"baga\"");
        }
        return rb.build();
    }

    /** Pages are everything but the JSON API and Quarkus's own endpoints. */
    static boolean isPage(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return !p.startsWith("/api/") && !p.startsWith("/q/");
    }

    private Response page(ProblemException p) {
        String l;
        try {
            l = page.lang();
        } catch (ProblemException bad) {
            l = page.lang(); // a bad ?lang= falls back to the default, set before the throw
        }
        String key = switch (p.status()) {
            case 400, 403, 404, 503 -> "error." + p.status();
            default -> p.status() >= 500 ? "error.500" : "error";
        };
        String title = page.t(key);
        Response.ResponseBuilder rb = Response.status(p.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(kz.baga.service.web.Templates.error(page.page(title), p.status(), title, p.getMessage(),
                        PageContext.home(page.account())));
        p.headers().forEach(rb::header);
        return rb.build();
    }

    static ProblemException toProblem(Throwable e) {
        if (e instanceof ProblemException p) {
            return p;
        }
        if (e instanceof AuthenticationFailedException || e instanceof UnauthorizedException) {
            return new ProblemException(401, "unauthorized", "Authentication required",
                    "sign in with HTTP Basic authentication");
        }
        if (e instanceof ForbiddenException) {
            return ProblemException.forbidden("your role does not allow this request");
        }
        if (e instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            String type = switch (status) {
                case 404 -> "not-found";
                case 405 -> "method-not-allowed";
                case 406 -> "not-acceptable";
                case 415 -> "unsupported-media-type";
                case 400 -> "bad-request";
                default -> "http-" + status;
            };
            return new ProblemException(status, type, w.getResponse().getStatusInfo().getReasonPhrase(),
                    w.getMessage());
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            return new ProblemException(400, "bad-request", "Bad Request", "the request body is not valid JSON: "
                    + e.getMessage());
        }
        LOG.error("unexpected error", e);
        return new ProblemException(500, "internal", "Internal error", "an unexpected error occurred; it was logged");
    }
}
