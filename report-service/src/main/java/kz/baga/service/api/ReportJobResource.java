package kz.baga.service.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import kz.baga.service.error.AccessDeniedException;
import kz.baga.service.jobs.ReportJobs;
import kz.baga.service.security.AccessRules;
import kz.baga.service.security.Account;
import kz.baga.service.security.Roles;
import kz.baga.service.view.ViewBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Report jobs: the status of a report rendered in the background and, once DONE, its PDF. A job is visible to
 * the account that requested it and to department staff of the job's district; anyone else gets 403 (audited),
 * an unknown id 404. Fetching the PDF is audited like the other reads; polling the status is not (it carries no
 * data). The PDF is served from PostgreSQL, so it stays available after a snapshot switch and names the snapshot
 * it was rendered from (footer, {@code X-Baga-Snapshot}, {@code snapshotId}).
 */
@Path(ReportJobResource.PATH)
@Authenticated
@Tag(name = "report jobs", description = "Large reports rendered in the background (202 + job URL)")
public class ReportJobResource {

    public static final String PATH = "/api/v1/report-jobs";
    private static final String PDF = "application/pdf";

    @Inject
    ReportJobs jobs;

    @Inject
    AccessRules access;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    /** A job as JSON. {@code resultUrl} is set once the PDF can be fetched. */
    public record JobView(String jobId, String kind, String status, String districtId, Map<String, Object> params,
                          String snapshotId, String rulesVersion, String requestedBy, Instant createdAt,
                          Instant startedAt, Instant finishedAt, Long renderMillis, String error, Integer sizeBytes,
                          boolean expired, String statusUrl, String resultUrl) {
    }

    static JobView view(ReportJobs.Job j, UriInfo uri) {
        String self = uri.getBaseUriBuilder().path(PATH).path(j.id().toString()).build().toString();
        boolean available = ReportJobs.DONE.equals(j.status()) && j.expiredAt() == null;
        Long millis = j.startedAt() != null && j.finishedAt() != null
                ? j.finishedAt().toEpochMilli() - j.startedAt().toEpochMilli() : null;
        return new JobView(j.id().toString(), j.kind(), j.status(), j.districtId(), j.params(), j.snapshotId(),
                j.rulesVersion(), j.requestedBy(), j.createdAt(), j.startedAt(), j.finishedAt(), millis, j.error(),
                j.resultSize(), j.expiredAt() != null, self, available ? self + "/report.pdf" : null);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report jobs you can see",
            description = "Your own jobs and, for department staff, every job of your district; newest first (50).")
    public Map<String, Object> list() {
        Account a = access.account();
        List<JobView> out = jobs.visibleTo(a, 50).stream().map(j -> view(j, uriInfo)).toList();
        return ViewBuilder.map("jobs", out);
    }

    @GET
    @Path("/{jobId}")
    @Produces({MediaType.APPLICATION_JSON, PDF})
    @Operation(summary = "A report job: its status, or its PDF",
            description = "JSON status (QUEUED, RUNNING, DONE, FAILED) by default. With `Accept: application/pdf` "
                    + "the PDF once DONE; while QUEUED or RUNNING that request answers 202 with the status.")
    @APIResponse(responseCode = "200", description = "the status (JSON), or the PDF when asked for and DONE",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)),
                    @Content(mediaType = PDF)})
    @APIResponse(responseCode = "202", description = "the PDF was asked for but the job is still QUEUED or RUNNING",
            headers = @Header(name = "Retry-After", description = "seconds"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "403", description = "forbidden: neither yours nor your district's")
    @APIResponse(responseCode = "404", description = "job-not-found")
    @APIResponse(responseCode = "409", description = "job-failed (the PDF was asked for)")
    @APIResponse(responseCode = "410", description = "job-expired: the result was removed by the retention")
    public Response get(@Parameter(description = "the job id (a UUID)") @PathParam("jobId") String jobId) {
        if (wantsPdf()) {
            return pdf(jobId, true);
        }
        ReportJobs.Job job = visible(jobId, "district.report.job.status");
        Response.ResponseBuilder rb = Response.ok(view(job, uriInfo), MediaType.APPLICATION_JSON);
        if (job.pending()) {
            rb.header("Retry-After", jobs.retryAfterSeconds());
        }
        return rb.build();
    }

    @GET
    @Path("/{jobId}/report.pdf")
    @Produces(PDF)
    @Operation(summary = "The PDF of a finished report job")
    @APIResponse(responseCode = "200", description = "the PDF", content = @Content(mediaType = PDF))
    @APIResponse(responseCode = "403", description = "forbidden: neither yours nor your district's")
    @APIResponse(responseCode = "404", description = "job-not-found")
    @APIResponse(responseCode = "409", description = "job-not-ready (QUEUED or RUNNING, with Retry-After) or job-failed")
    @APIResponse(responseCode = "410", description = "job-expired: the result was removed by the retention")
    public Response result(@PathParam("jobId") String jobId) {
        return pdf(jobId, false);
    }

    private Response pdf(String jobId, boolean acceptedWhilePending) {
        ReportJobs.Job job = visible(jobId, "district.report.job.result");
        if (job.pending()) {
            if (acceptedWhilePending) {
                return Response.accepted(view(job, uriInfo)).type(MediaType.APPLICATION_JSON)
                        .header("Retry-After", jobs.retryAfterSeconds()).build();
            }
            throw ProblemException.jobNotReady(jobId, job.status(), jobs.retryAfterSeconds());
        }
        if (ReportJobs.FAILED.equals(job.status())) {
            throw ProblemException.jobFailed(jobId, job.error());
        }
        if (job.expiredAt() != null) {
            throw ProblemException.jobExpired(jobId);
        }
        access.auditDistrict(access.account(), "district.report.job.result", job.districtId(), true,
                "job " + jobId + " (snapshot " + job.snapshotId() + ")");
        ReportJobs.Result r = jobs.result(job.id()).orElseThrow(() -> ProblemException.jobExpired(jobId));
        return Response.ok(r.bytes(), r.type() == null ? PDF : r.type())
                .header(StudentResource.SNAPSHOT_HEADER, job.snapshotId())
                .header("Content-Disposition", "inline; filename=\"district-report-" + job.districtId() + "-"
                        + jobId + ".pdf\"")
                .contentLocation(URI.create(uriInfo.getBaseUriBuilder().path(PATH).path(jobId).path("report.pdf")
                        .build().getPath()))
                .build();
    }

    /** The job, if this account may see it: 404 when unknown, 403 (audited) when someone else's. */
    private ReportJobs.Job visible(String jobId, String action) {
        UUID id;
        try {
            id = UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.jobNotFound(jobId);
        }
        ReportJobs.Job job = jobs.find(id).orElseThrow(() -> ProblemException.jobNotFound(jobId));
        Account a = access.account();
        boolean mine = job.userId() == a.id();
        boolean sameDistrict = Roles.DEPARTMENT.equals(a.role()) && job.districtId() != null
                && job.districtId().equals(a.districtId());
        if (!mine && !sameDistrict) {
            access.auditDistrict(a, action, job.districtId(), false, "job " + jobId + " of " + job.requestedBy()
                    + " is not visible to this account");
            throw new AccessDeniedException("report job " + jobId + " belongs to another account");
        }
        return job;
    }

    /** True when the client prefers a PDF to JSON (a plain wildcard means JSON). */
    private boolean wantsPdf() {
        for (MediaType m : headers.getAcceptableMediaTypes()) {
            if (m.isWildcardType()) {
                return false;
            }
            if (m.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !m.isWildcardSubtype()) {
                return false;
            }
            if ("application".equals(m.getType()) && "pdf".equals(m.getSubtype())) {
                return true;
            }
        }
        return false;
    }
}
