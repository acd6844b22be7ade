package kz.baga.service.api;

import java.nio.charset.StandardCharsets;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kz.baga.service.i18n.Lang;
import kz.baga.service.render.Charts;
import kz.baga.service.render.Pdfs;
import kz.baga.service.render.RenderCache;
import kz.baga.service.request.QueryParams;
import kz.baga.service.security.AccessRules;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.jfree.chart.JFreeChart;

/** A pupil's marks, analytics, charts and term report (parents of the pupil, staff of the pupil's school). */
@Path("/api/v1/students/{id}")
@Authenticated
public class StudentResource {

    public static final String SNAPSHOT_HEADER = "X-Baga-Snapshot";

    @Inject
    AccessRules access;

    @Inject
    ViewBuilder views;

    @Inject
    Charts charts;

    @Inject
    Pdfs pdfs;

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    RenderCache cache;

    @Context
    HttpHeaders headers;

    @GET
    @Path("/grades")
    @Produces(MediaType.APPLICATION_JSON)
    public Response grades(@PathParam("id") String id, @QueryParam("year") String year,
                           @QueryParam("lang") String lang) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        AccessRules.PupilScope s = access.pupil(id, "student.grades", false, year);
        // access checked and the audit record committed (access.pupil) before the cache is asked
        byte[] json = cache.get(s.snapshot(), "student.grades.json",
                () -> views.json(views.grades(s.snapshot(), s.school(), s.student(), id, s.year(), l)), id, s.year(), l);
        return ok(s, json, MediaType.APPLICATION_JSON);
    }

    @GET
    @Path("/analytics")
    @Produces(MediaType.APPLICATION_JSON)
    public Response analytics(@PathParam("id") String id, @QueryParam("year") String year,
                              @QueryParam("lang") String lang) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        AccessRules.PupilScope s = access.pupil(id, "student.analytics", true, year);
        byte[] json = cache.get(s.snapshot(), "student.analytics.json",
                () -> views.json(views.analytics(s.snapshot(), s.school(), s.student(), id, s.year(), l)),
                id, s.year(), l);
        return ok(s, json, MediaType.APPLICATION_JSON);
    }

    @GET
    @Path("/charts/dynamics.png")
    @Produces("image/png")
    public Response dynamicsPng(@PathParam("id") String id, @QueryParam("subject") String subject,
                                @QueryParam("year") String year, @QueryParam("lang") String lang,
                                @QueryParam("width") String width, @QueryParam("height") String height) {
        int w = size(width, 800, "width");
        int h = size(height, 400, "height");
        ChartRequest c = chart(id, subject, year, lang);
        byte[] png = cache.get(c.scope.snapshot(), "student.dynamics.png", () -> charts.png(c.chart(), w, h),
                id, c.scope.year(), c.subject, c.lang, w, h);
        return ok(c.scope, png, "image/png");
    }

    @GET
    @Path("/charts/dynamics.svg")
    @Produces("image/svg+xml")
    public Response dynamicsSvg(@PathParam("id") String id, @QueryParam("subject") String subject,
                                @QueryParam("year") String year, @QueryParam("lang") String lang,
                                @QueryParam("width") String width, @QueryParam("height") String height) {
        int w = size(width, 800, "width");
        int h = size(height, 400, "height");
        ChartRequest c = chart(id, subject, year, lang);
        byte[] svg = cache.get(c.scope.snapshot(), "student.dynamics.svg",
                () -> charts.svg(c.chart(), w, h).getBytes(StandardCharsets.UTF_8),
                id, c.scope.year(), c.subject, c.lang, w, h);
        return ok(c.scope, svg, "image/svg+xml");
    }

    /** An allowed (and audited) chart request; the chart itself is built only when the cache misses. */
    private final class ChartRequest {
        final AccessRules.PupilScope scope;
        final String id;
        final String subject;
        final String lang;

        ChartRequest(AccessRules.PupilScope scope, String id, String subject, String lang) {
            this.scope = scope;
            this.id = id;
            this.subject = subject;
            this.lang = lang;
        }

        JFreeChart chart() {
            Snapshot snap = scope.snapshot();
            String title = Lang.t(lang, "dynamics") + " · " + ("ALL".equals(subject) ? Lang.t(lang, "all")
                    : snap.subjectName(subject, lang)) + " · " + scope.year();
            return charts.dynamics(views.dynamics(scope.school(), id, scope.year(), subject), title, lang);
        }
    }

    private ChartRequest chart(String id, String subject, String year, String lang) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        Snapshot snap = snapshots.require();
        String subj = QueryParams.subject(subject, snap, true, "ALL");
        AccessRules.PupilScope s = access.pupil(id, "student.chart", true, year);
        return new ChartRequest(s, id, subj, l);
    }

    @GET
    @Path("/report.pdf")
    @Produces("application/pdf")
    public Response report(@PathParam("id") String id, @QueryParam("year") String year,
                           @QueryParam("term") String term, @QueryParam("lang") String lang) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        int t = QueryParams.term(term, 0);
        AccessRules.PupilScope s = access.pupil(id, "student.report", true, year);
        Snapshot snap = s.snapshot();
        Snapshot.School school = snap.schools().get(s.school().schoolId());
        // access checked and the audit record written (access.pupil) before the cache is asked
        byte[] pdf = cache.get(snap, "student.report.pdf", () -> pdfs.pupilReport(new Pdfs.PupilReport(snap, l,
                        school == null ? null : school.name(l),
                        views.grades(snap, s.school(), s.student(), id, s.year(), l),
                        views.analytics(snap, s.school(), s.student(), id, s.year(), l), t,
                        views.dynamics(s.school(), id, s.year(), "ALL"))),
                id, s.year(), t, l);
        return ok(s, pdf, "application/pdf");
    }

    static int size(String param, int dflt, String name) {
        Integer v = QueryParams.integer(param, name, 100, 3000);
        return v == null ? dflt : v;
    }

    private static Response ok(AccessRules.PupilScope s, Object entity, String type) {
        return Response.ok(entity, type).header(SNAPSHOT_HEADER, s.snapshot().id())
                .header("Cache-Control", "private, no-store").build();
    }
}
