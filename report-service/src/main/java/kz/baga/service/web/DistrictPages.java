package kz.baga.service.web;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kz.baga.service.api.DistrictResource;
import kz.baga.service.api.ReportJobResource;
import kz.baga.service.error.BadParameterException;
import kz.baga.service.error.NotFoundException;
import kz.baga.service.i18n.Lang;
import kz.baga.service.render.Charts;
import kz.baga.service.render.RenderCache;
import kz.baga.service.request.QueryParams;
import kz.baga.service.security.AccessRules;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.DistrictModel;
import kz.baga.service.warehouse.Snapshot;

/** A district's page (department staff of that district): indicators by school, a chart, the district PDF. */
@Path("/districts/{id}")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class DistrictPages {

    @Inject
    PageContext ctx;

    @Inject
    AccessRules access;

    @Inject
    ViewBuilder views;

    @Inject
    Charts charts;

    @Inject
    DistrictResource api;

    @Inject
    ReportJobResource jobsApi;

    @Inject
    RenderCache cache;


    /** A sortable column: its link sorts by it (descending first, then flips). */
    @TemplateData
    public record Column(String key, String label, String href, String sorted) {
    }

    @TemplateData
    public record SchoolRow(String schoolId, String schoolName, ViewBuilder.IndicatorRow cell, BigDecimal qualityChange) {
    }

    @TemplateData
    public record DistrictView(String districtId, String districtName, String year, int term, List<Option> terms,
                               List<Option> grades, List<Option> subjects, List<Column> columns,
                               ViewBuilder.IndicatorRow total, List<SchoolRow> schools, boolean hasChange, String chartSvg,
                               boolean chartCut, int chartSchools, String pdfHref) {
    }

    static final int CHART_SCHOOLS = 30;

    private static final List<String> SORTS = List.of("school", "n", "success", "quality", "sou", "avg", "change");

    @GET
    public TemplateInstance district(@PathParam("id") String id, @QueryParam("year") String year,
                                     @QueryParam("term") String term, @QueryParam("grade") String grade,
                                     @QueryParam("subject") String subject, @QueryParam("sort") String sort,
                                     @QueryParam("dir") String dir) {
        String l = ctx.lang();
        int t = QueryParams.term(term, 0);
        Integer g = QueryParams.grade(grade);
        int gl = g == null ? 0 : g;
        AccessRules.DistrictScope s = access.district(id, year);
        Snapshot snap = s.snapshot();
        String subj = QueryParams.subject(subject, snap, true, "ALL");
        String by = sort == null || sort.isBlank() ? "school" : sort;
        if (!SORTS.contains(by)) {
            throw new BadParameterException("sort", "sort must be one of " + SORTS + " (got '" + sort + "')");
        }
        boolean desc = dir == null || dir.isBlank() ? !by.equals("school") : dir.equals("desc");
        ViewBuilder.Indicators now = views.indicators(snap, s.district(new DistrictModel.Filter(s.year(), t, subj, gl)),
                s.year(), t, subj, gl, l);
        Map<String, BigDecimal> before = new HashMap<>();
        boolean hasChange = t >= 2;
        if (hasChange) {
            ViewBuilder.Indicators prev = views.indicators(snap, s.district(new DistrictModel.Filter(s.year(), t - 1, subj,
                    gl)), s.year(), t - 1, subj, gl, l);
            prev.schools().forEach(r -> before.put(r.schoolId(), r.qualityRate()));
        }
        List<SchoolRow> rows = new ArrayList<>();
        for (ViewBuilder.IndicatorRow r : now.schools()) {
            BigDecimal b = before.get(r.schoolId());
            rows.add(new SchoolRow(r.schoolId(), r.schoolName(), r, b == null || r.qualityRate() == null ? null
                    : r.qualityRate().subtract(b)));
        }
        rows.sort(order(by, desc));
        String base = "/districts/" + id + "?year=" + s.year() + "&term=" + t + "&grade=" + gl + "&subject=" + subj;
        List<Column> columns = new ArrayList<>();
        String[][] cols = {{"school", Lang.t(l, "school")}, {"n", Lang.t(l, "pupils.n")},
                {"success", Lang.t(l, "success")}, {"quality", Lang.t(l, "quality")}, {"sou", Lang.t(l, "sou")},
                {"avg", Lang.t(l, "avg.mark")}, {"change", Lang.t(l, "change")}};
        for (String[] c : cols) {
            if (c[0].equals("change") && !hasChange) {
                continue;
            }
            boolean current = c[0].equals(by);
            String nextDir = current ? (desc ? "asc" : "desc") : (c[0].equals("school") ? "asc" : "desc");
            columns.add(new Column(c[0], c[1], base + "&sort=" + c[0] + "&dir=" + nextDir,
                    current ? (desc ? "descending" : "ascending") : "none"));
        }
        List<Option> terms = Option.terms(l, t);
        List<Option> grades = new ArrayList<>();
        grades.add(new Option("0", Lang.t(l, "all"), gl == 0));
        for (int i = 2; i <= 11; i++) {
            grades.add(new Option(String.valueOf(i), String.valueOf(i), gl == i));
        }
        List<Option> subjects = Option.subjects(snap, l, subj);
        // a readable chart holds a few dozen schools: those first in the table's order (sort by quality, ascending,
        // to chart the schools that need help)
        List<Charts.Bar> bars = new ArrayList<>();
        rows.stream().filter(r -> !r.cell().suppressed()).limit(CHART_SCHOOLS)
                .forEach(r -> bars.add(new Charts.Bar(r.schoolId(), r.cell().qualityRate(), r.cell().successRate())));
        boolean chartCut = rows.stream().filter(r -> !r.cell().suppressed()).count() > CHART_SCHOOLS;
        // drawing the bars costs more than the rest of the page, so the chart is kept per snapshot
        String svg = bars.isEmpty() ? null : new String(cache.get(snap, "page.district.quality.svg",
                () -> InlineSvg.responsive(charts.svg(charts.quality(bars, Lang.t(l, "quality.chart") + " · "
                        + s.year(), l), 900, 420)).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                id, s.year(), t, gl, subj, by, desc, l), java.nio.charset.StandardCharsets.UTF_8);
        String districtName = snap.schools().values().stream().filter(x -> x.districtId().equals(id))
                .map(x -> x.districtName(l)).findFirst().orElse(id);
        DistrictView v = new DistrictView(id, districtName, s.year(), t, terms, grades, subjects, columns,
                now.district().isEmpty() ? null : now.district().get(0), rows, hasChange, svg, chartCut, CHART_SCHOOLS,
                "/districts/" + id + "/report.pdf?year=" + s.year() + "&term=" + t);
        return Templates.district(ctx.page(districtName), v);
    }

    private static Comparator<SchoolRow> order(String by, boolean desc) {
        Comparator<SchoolRow> c = switch (by) {
            case "n" -> Comparator.comparing(r -> r.cell().n(), Comparator.nullsFirst(Comparator.naturalOrder()));
            case "success" -> Comparator.comparing(r -> r.cell().successRate(), nulls());
            case "quality" -> Comparator.comparing(r -> r.cell().qualityRate(), nulls());
            case "sou" -> Comparator.comparing(r -> r.cell().sou(), nulls());
            case "avg" -> Comparator.comparing(r -> r.cell().avgMark(), nulls());
            case "change" -> Comparator.comparing(SchoolRow::qualityChange, nulls());
            default -> Comparator.comparing(SchoolRow::schoolId);
        };
        // suppressed and missing values stay last either way; ties keep the schools' order
        Comparator<SchoolRow> directed = desc ? c.reversed() : c;
        return Comparator.comparing((SchoolRow r) -> r.cell().suppressed()).thenComparing(directed)
                .thenComparing(SchoolRow::schoolId);
    }

    private static Comparator<BigDecimal> nulls() {
        return Comparator.nullsFirst(Comparator.naturalOrder());
    }

    /** The district PDF: inline for a small district, else a job whose progress page the browser is sent to. */
    @GET
    @Path("/report.pdf")
    @Produces({"application/pdf", MediaType.TEXT_HTML})
    public Response report(@PathParam("id") String id, @QueryParam("year") String year,
                           @QueryParam("term") String term, @QueryParam("async") String async) {
        Response r = api.report(id, year, term, ctx.lang(), async, null);
        if (r.getStatus() == 202 && r.getEntity() instanceof ReportJobResource.JobView job) {
            return Response.seeOther(URI.create("/districts/" + id + "/report-jobs/" + job.jobId())).build();
        }
        return Response.fromResponse(r).header("Content-Disposition", "attachment; filename=\"district-" + id
                + ".pdf\"").build();
    }

    @TemplateData
    public record JobPage(String districtId, String jobId, String status, String statusLabel, boolean pending,
                          boolean done, String error, String pdfHref) {
    }

    @GET
    @Path("/report-jobs/{jobId}")
    public Response job(@PathParam("id") String id, @PathParam("jobId") String jobId) {
        String l = ctx.lang();
        ReportJobResource.JobView j = (ReportJobResource.JobView) jobsApi.get(jobId).getEntity();
        if (!id.equals(j.districtId())) {
            throw new NotFoundException("district " + id + " has no report job " + jobId);
        }
        boolean pending = "QUEUED".equals(j.status()) || "RUNNING".equals(j.status());
        JobPage v = new JobPage(id, jobId, j.status(), PageText.t(l, "job.status." + j.status()), pending,
                j.resultUrl() != null, j.error(), "/districts/" + id + "/report-jobs/" + jobId + "/report.pdf");
        Response.ResponseBuilder rb = Response.ok(Templates.job(ctx.page(PageText.t(l, "district.pdf")), v));
        if (pending) {
            rb.header("Refresh", "2"); // the page polls by itself, without script
        }
        return rb.build();
    }

    @GET
    @Path("/report-jobs/{jobId}/report.pdf")
    @Produces("application/pdf")
    public Response jobPdf(@PathParam("id") String id, @PathParam("jobId") String jobId) {
        Response r = jobsApi.result(jobId);
        return Response.fromResponse(r).header("Content-Disposition", "attachment; filename=\"district-" + id
                + ".pdf\"").build();
    }
}
