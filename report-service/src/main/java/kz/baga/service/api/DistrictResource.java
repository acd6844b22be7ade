package kz.baga.service.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import kz.baga.service.error.BadParameterException;
import kz.baga.service.i18n.Lang;
import kz.baga.service.jobs.ReportJobs;
import kz.baga.service.render.Charts;
import kz.baga.service.render.Pdfs;
import kz.baga.service.render.RenderCache;
import kz.baga.service.request.QueryParams;
import kz.baga.service.security.AccessRules;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.DistrictModel;
import kz.baga.service.warehouse.Snapshot;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A district's aggregates (department staff only): indicators, a quality chart, the district report. */
@Path("/api/v1/districts/{id}")
@Authenticated
@Tag(name = "districts", description = "A district's aggregates, for department staff of that district")
public class DistrictResource {

    @Inject
    AccessRules access;

    @Inject
    ViewBuilder views;

    @Inject
    Charts charts;

    @Inject
    Pdfs pdfs;

    @Inject
    ReportJobs jobs;

    @Inject
    RenderCache cache;

    @Context
    HttpHeaders headers;

    /** Render-cache kind of the district report: inline answers and jobs share the bytes. */
    static final String DISTRICT_PDF = "district.report.pdf";

    @Context
    UriInfo uriInfo;

    @GET
    @Path("/indicators")
    @Produces(MediaType.APPLICATION_JSON)
    public Response indicators(@PathParam("id") String id, @QueryParam("year") String year,
                               @QueryParam("term") String term, @QueryParam("subject") String subject,
                               @QueryParam("grade") String grade, @QueryParam("lang") String lang) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        Integer t = QueryParams.term(term, null);
        Integer g = QueryParams.grade(grade);
        AccessRules.DistrictScope s = access.district(id, year);
        String subj = subject == null || subject.isBlank() ? null : QueryParams.subject(subject, s.snapshot(), true, null);
        Snapshot snap = s.snapshot();
        // the JSON itself is cached (a large district's answer is big); on a miss only the matching cells are read
        byte[] json = cache.get(snap, "district.indicators.json", () -> {
            ViewBuilder.Indicators ind = views.indicators(snap, s.district(new DistrictModel.Filter(s.year(), t, subj, g)),
                    s.year(), t, subj, g, l);
            return views.json(ind);
        }, id, s.year(), t, subj, g, l);
        return Response.ok(json, MediaType.APPLICATION_JSON).header(StudentResource.SNAPSHOT_HEADER, snap.id())
                .build();
    }

    @GET
    @Path("/charts/quality.png")
    @Produces("image/png")
    public Response qualityPng(@PathParam("id") String id, @QueryParam("year") String year,
                               @QueryParam("term") String term, @QueryParam("lang") String lang,
                               @QueryParam("width") String width, @QueryParam("height") String height) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        int t = QueryParams.term(term, 0);
        int w = StudentResource.size(width, 900, "width");
        int h = StudentResource.size(height, 450, "height");
        AccessRules.DistrictScope s = access.district(id, year);
        byte[] png = cache.get(s.snapshot(), "district.quality.png", () -> {
            ViewBuilder.Indicators ind = views.indicators(s.snapshot(), s.district(new DistrictModel.Filter(s.year(), t,
                    "ALL", 0)), s.year(), t, "ALL", 0, l);
            List<Charts.Bar> bars = new ArrayList<>();
            for (ViewBuilder.IndicatorRow r : ind.schools()) {
                bars.add(new Charts.Bar(r.schoolId(), r.qualityRate(), r.successRate()));
            }
            return charts.png(charts.quality(bars, Lang.t(l, "quality.chart") + " · " + s.year(), l), w, h);
        }, id, s.year(), t, l, w, h);
        return Response.ok(png, "image/png").header(StudentResource.SNAPSHOT_HEADER, s.snapshot().id()).build();
    }

    @GET
    @Path("/report.pdf")
    @Produces({"application/pdf", MediaType.APPLICATION_JSON})
    @Operation(summary = "District report (PDF), inline or as a job",
            description = "Indicators by school, grade level and subject, change against the previous term, a vector "
                    + "chart; cells under the suppression threshold print as <5; no pupil names. A district with more "
                    + "schools than baga.jobs.async-above-schools, or a request with `Prefer: respond-async` or "
                    + "`?async=true`, is rendered as a job: the answer is 202 with the job's status and its URL in "
                    + "`Location`; poll it (GET /api/v1/report-jobs/{jobId}) and fetch the PDF when it is DONE. "
                    + "`?async=false` renders inline whatever the size.")
    @APIResponse(responseCode = "200", description = "the report, rendered inline",
            content = @Content(mediaType = "application/pdf"))
    @APIResponse(responseCode = "202", description = "accepted as a job; Location names the job URL",
            headers = {@Header(name = "Location", description = "the job URL, /api/v1/report-jobs/{jobId}"),
                    @Header(name = "Retry-After", description = "seconds until polling is worthwhile"),
                    @Header(name = "Preference-Applied", description = "respond-async when the Prefer header asked")},
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ReportJobResource.JobView.class)))
    @APIResponse(responseCode = "400", description = "bad year, term, lang or async (problem bad-parameter)")
    @APIResponse(responseCode = "403", description = "not department staff of this district")
    @APIResponse(responseCode = "503", description = "jobs-busy: the job queue is full (Retry-After)")
    public Response report(@PathParam("id") String id, @QueryParam("year") String year,
                           @QueryParam("term") String term, @QueryParam("lang") String lang,
                           @Parameter(description = "true: always as a job; false: always inline; absent: by size "
                                   + "and the Prefer header") @QueryParam("async") String async,
                           @Parameter(description = "respond-async asks for a job") @HeaderParam("Prefer") String prefer) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        int t = QueryParams.term(term, 0);
        Boolean forced = asyncParam(async);
        AccessRules.DistrictScope s = access.district(id, year);
        Snapshot snap = s.snapshot();
        String y = s.year();
        // the report's cells: its term and the term before (for the change in quality)
        DistrictModel.Filter cells = new DistrictModel.Filter(y, t, null, null);
        DistrictModel.Filter before = t >= 2 ? new DistrictModel.Filter(y, t - 1, null, null) : null;
        boolean preferAsync = prefersAsync(headers.getRequestHeader("Prefer")); // every Prefer header, not only `prefer`
        long schools = snap.schools().values().stream().filter(x -> x.districtId().equals(id)).count();
        boolean asJob = forced != null ? forced : preferAsync || schools > jobs.asyncAboveSchools();
        if (!asJob) {
            byte[] pdf = cache.get(snap, DISTRICT_PDF, () -> districtPdf(views, pdfs, snap, s.district(cells),
                    before == null ? null : s.district(before), id, y, t, l), id, y, t, l);
            return Response.ok(pdf, "application/pdf").header(StudentResource.SNAPSHOT_HEADER, snap.id()).build();
        }
        // taken now: a queued job renders the snapshot the request saw
        DistrictModel model = s.district(cells);
        DistrictModel previousModel = before == null ? null : s.district(before);
        UUID jobId = ReportJobs.newId();
        access.auditDistrict(s.account(), "district.report.job", id, true, "job " + jobId + " (" + schools
                + " schools, snapshot " + snap.id() + ")");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("districtId", id);
        params.put("academicYear", y);
        params.put("term", t);
        params.put("lang", l);
        params.put("schools", schools);
        ViewBuilder v = views;
        Pdfs p = pdfs;
        RenderCache rc = cache;
        // runs on a job worker, outside the request: a static method, because this resource's own methods are
        // intercepted by @Authenticated, which needs the request's security context
        ReportJobs.Job job = jobs.submit(jobId, s.account(), ReportJobs.DISTRICT_REPORT, id, params, snap,
                () -> rc.get(snap, DISTRICT_PDF, () -> districtPdf(v, p, snap, model, previousModel, id, y, t, l),
                        id, y, t, l));
        URI location = uriInfo.getBaseUriBuilder().path(ReportJobResource.PATH).path(jobId.toString()).build();
        Response.ResponseBuilder rb = Response.accepted(ReportJobResource.view(job, uriInfo))
                .type(MediaType.APPLICATION_JSON).location(location)
                .header("Retry-After", jobs.retryAfterSeconds())
                .header(StudentResource.SNAPSHOT_HEADER, snap.id());
        if (preferAsync && forced == null) {
            rb.header("Preference-Applied", "respond-async");
        }
        return rb.build();
    }

    /** The district report itself: the same bytes inline and in a job (everything taken from one snapshot). */
    static byte[] districtPdf(ViewBuilder views, Pdfs pdfs, Snapshot snap, DistrictModel model, DistrictModel before,
                              String id, String year, int t, String l) {
        ViewBuilder.Indicators current = views.indicators(snap, model, year, t, null, null, l);
        ViewBuilder.Indicators previous = t >= 2 ? views.indicators(snap, before, year, t - 1, null, null, l) : null;
        String districtName = snap.schools().values().stream().filter(x -> x.districtId().equals(id))
                .map(x -> x.districtName(l)).findFirst().orElse(id);
        return pdfs.districtReport(new Pdfs.DistrictReport(snap, l, districtName, year, t, current, previous));
    }

    static Boolean asyncParam(String async) {
        if (async == null || async.isBlank()) {
            return null;
        }
        return switch (async.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> Boolean.TRUE;
            case "false", "0", "no" -> Boolean.FALSE;
            default -> throw new BadParameterException("async", "async must be true or false (got '" + async + "')");
        };
    }

    /** RFC 7240: {@code Prefer: respond-async}, possibly among other preferences or in several headers. */
    static boolean prefersAsync(List<String> prefer) {
        if (prefer == null) {
            return false;
        }
        for (String h : prefer) {
            for (String p : h.split(",")) {
                String token = p.split(";", 2)[0].trim();
                if (token.equalsIgnoreCase("respond-async")) {
                    return true;
                }
            }
        }
        return false;
    }
}
