package kz.baga.service.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import kz.baga.service.audit.AuditUnavailableException;
import kz.baga.service.error.AccessDeniedException;
import kz.baga.service.error.BadParameterException;
import kz.baga.service.error.ConflictException;
import kz.baga.service.error.NotFoundException;
import kz.baga.service.jobs.JobsBusyException;
import kz.baga.service.jobs.JobsUnavailableException;
import kz.baga.service.security.SubscriptionRequiredException;
import kz.baga.service.warehouse.NoSnapshotException;
import org.jboss.logging.Logger;

/**
 * The one exception mapper: everything that goes wrong is answered as application/problem+json, or, for a page,
 * as an HTML page in the reader's language with the same status. The lower layers' exceptions get their problem
 * type and title here.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Context
    UriInfo uriInfo;

    /**
     * How a failed page request is answered: the pages implement it (web/ErrorPage), so this mapper needs nothing
     * from them and the dependency points from the pages to the API only.
     */
    public interface PageRenderer {
        Response render(int status, String detail, Map<String, String> headers);
    }

    @Inject
    PageRenderer errorPage;

    @Override
    public Response toResponse(Throwable e) {
        ProblemException p = toProblem(e);
        if (uriInfo != null && isPage(uriInfo.getPath())) {
            return errorPage.render(p.status(), p.getMessage(), p.headers());
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

    /** The problem a failure is answered with: its status, stable type, title and detail. */
    public static ProblemException toProblem(Throwable e) {
        if (e instanceof ProblemException p) {
            return p;
        }
        if (e instanceof BadParameterException b) {
            return new ProblemException(400, "bad-parameter", "Invalid request parameter", b.getMessage())
                    .with("parameter", b.parameter());
        }
        if (e instanceof SubscriptionRequiredException) {
            return new ProblemException(402, "subscription-required", "Premium subscription required",
                    e.getMessage());
        }
        if (e instanceof AccessDeniedException) {
            return forbidden(e.getMessage());
        }
        if (e instanceof NotFoundException) {
            return new ProblemException(404, "not-found", "Not found", e.getMessage());
        }
        if (e instanceof ConflictException) {
            return new ProblemException(409, "conflict", "Conflict", e.getMessage());
        }
        if (e instanceof NoSnapshotException) {
            return new ProblemException(503, "no-snapshot", "No warehouse snapshot available", e.getMessage());
        }
        if (e instanceof AuditUnavailableException) {
            return new ProblemException(503, "audit-unavailable", "Audit log unavailable", e.getMessage());
        }
        if (e instanceof JobsBusyException b) {
            return new ProblemException(503, "jobs-busy", "Report queue full", b.getMessage())
                    .header("Retry-After", String.valueOf(b.retryAfterSeconds()));
        }
        if (e instanceof JobsUnavailableException) {
            return new ProblemException(503, "jobs-unavailable", "Report jobs unavailable", e.getMessage());
        }
        if (e instanceof AuthenticationFailedException || e instanceof UnauthorizedException) {
            return new ProblemException(401, "unauthorized", "Authentication required",
                    "sign in with HTTP Basic authentication");
        }
        if (e instanceof ForbiddenException) {
            return forbidden("your role does not allow this request");
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

    private static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Access denied", detail);
    }
}
