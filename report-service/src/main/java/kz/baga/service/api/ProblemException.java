package kz.baga.service.api;

import java.util.LinkedHashMap;
import java.util.Map;

import kz.baga.service.error.ServiceException;

/**
 * An error answered as an RFC 9457 problem. The {@code type} slug is stable: clients and tests rely on it.
 * {@link ProblemMapper} builds one for every failure; resources throw the report-job problems directly.
 */
public class ProblemException extends ServiceException {

    public static final String TYPE_BASE = "https://baga.kz/problems/";

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

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

    /** An HTTP header sent with the problem (e.g. {@code Retry-After}); not part of the body. */
    public ProblemException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
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

    public static ProblemException jobNotFound(String jobId) {
        return new ProblemException(404, "job-not-found", "Report job not found",
                "there is no report job " + jobId);
    }

    public static ProblemException jobNotReady(String jobId, String status, int retryAfterSeconds) {
        return new ProblemException(409, "job-not-ready", "Report job not finished",
                "report job " + jobId + " is " + status + "; poll its URL until it is DONE")
                .with("jobStatus", status).header("Retry-After", String.valueOf(retryAfterSeconds));
    }

    public static ProblemException jobFailed(String jobId, String error) {
        return new ProblemException(409, "job-failed", "Report job failed",
                "report job " + jobId + " failed: " + error).with("jobStatus", "FAILED");
    }

    public static ProblemException jobExpired(String jobId) {
        return new ProblemException(410, "job-expired", "Report job result expired",
                "the result of report job " + jobId + " was removed by the retention; request the report again");
    }
}
