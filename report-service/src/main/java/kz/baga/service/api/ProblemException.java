package kz.baga.service.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered as an RFC 9457 problem. The {@code type} slug is stable: clients and tests rely on it.
 */
public class ProblemException extends RuntimeException {

    public static final String TYPE_BASE = "https://baga.kz/problems/";

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public ProblemException(int status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public ProblemException with(String key, Object value) {
        extra.put(key, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    public static ProblemException badParameter(String parameter, String detail) {
        return new ProblemException(400, "bad-parameter", "Invalid request parameter", detail)
                .with("parameter", parameter);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Access denied", detail);
    }

    public static ProblemException subscriptionRequired() {
        return new ProblemException(402, "subscription-required", "Premium subscription required",
                "this view is part of the premium subscription; the free tier shows term and annual marks");
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }

    public static ProblemException noSnapshot(String detail) {
        return new ProblemException(503, "no-snapshot", "No warehouse snapshot available", detail);
    }

    public static ProblemException auditUnavailable(String detail) {
        return new ProblemException(503, "audit-unavailable", "Audit log unavailable",
                "the access could not be recorded in the audit log, so no data is served: " + detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail);
    }
}
