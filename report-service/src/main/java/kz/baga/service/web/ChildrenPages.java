package kz.baga.service.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import kz.baga.service.api.MeResource;
import kz.baga.service.api.StudentResource;
import kz.baga.service.i18n.Lang;
import kz.baga.service.render.Charts;
import kz.baga.service.render.RenderCache;
import kz.baga.service.request.QueryParams;
import kz.baga.service.security.AccessRules;
import kz.baga.service.security.Roles;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRules;

/** A parent's children and the pupil page (parents of the pupil, staff of the pupil's school). */
@Path("/children")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class ChildrenPages {

    @Inject
    PageContext ctx;

    @Inject
    AccessRules access;

    @Inject
    MeResource me;

    @Inject
    ViewBuilder views;

    @Inject
    Charts charts;

    @Inject
    StudentResource api;

    @Inject
    RenderCache cache;

    @GET
    public Object children() {
        access.requireRole(Roles.PARENT);
        List<MeResource.Child> children = me.me().children();
        if (children.size() == 1) {
            return Response.seeOther(URI.create("/children/" + children.get(0).studentId())).build();
        }
        Page page = ctx.page(PageText.t(ctx.lang(), "children"));
        return Templates.children(page, children);
    }

    /** One row of the marks table: terms 1-4 (blank where none), then annual, exam and final. */
    @TemplateData
    public record MarkRow(String subject, List<Cell> terms, String annual, String exam, String fin) {
    }

    /** A term mark; {@code note} says where it came from and, for a certified mark, what the works give. */
    @TemplateData
    public record Cell(String mark, String note, boolean conflict) {
    }

    @TemplateData
    public record Place(String label, int rank, int classSize) {
    }

    @TemplateData
    public record Medal(String award, String status, String statusCode, String reasons) {
    }


    @TemplateData
    public record PupilView(String studentId, String name, String schoolName, String classLabel, String year,
                            boolean premium, boolean parent, List<MarkRow> marks, List<Place> places,
                            List<Medal> medals, List<Option> subjects, String chartSvg, String switchNote,
                            List<EarlyWarnings.Warning> warnings, String warningPoints, boolean warningsAvailable,
                            List<Option> terms, String pdfHref) {
    }

    @GET
    @Path("/{studentId}")
    public TemplateInstance pupil(@PathParam("studentId") String studentId, @QueryParam("year") String year,
                                  @QueryParam("subject") String subject) {
        String l = ctx.lang();
        // access checked and the pupil read recorded before anything is built, as for the API
        AccessRules.PupilScope s = access.pupil(studentId, "student.page", false, year);
        Snapshot snap = s.snapshot();
        ViewBuilder.Grades grades = views.grades(snap, s.school(), s.student(), studentId, s.year(), l);
        Snapshot.School school = snap.schools().get(s.school().schoolId());
        List<MarkRow> marks = marks(grades, l);
        List<Place> places = new ArrayList<>();
        List<Medal> medals = new ArrayList<>();
        List<Option> subjects = new ArrayList<>();
        String svg = null;
        String switchNote = null;
        List<EarlyWarnings.Warning> warnings = List.of();
        SnapshotRules rules = SnapshotRules.of(snap);
        if (s.premium()) {
            ViewBuilder.Analytics a = views.analytics(snap, s.school(), s.student(), studentId, s.year(), l);
            for (ViewBuilder.Place p : a.places()) {
                if ("ALL".equals(p.subjectCode())) {
                    places.add(new Place(p.term() == 0 ? Lang.t(l, "year.whole") : Lang.t(l, "term.n", p.term()),
                            p.rank(), p.classSize()));
                }
            }
            for (ViewBuilder.MedalStatus m : a.medals()) {
                medals.add(new Medal(Lang.t(l, "award." + m.award()), Lang.t(l, "status." + m.status()), m.status(),
                        m.reasons()));
            }
            String subj = QueryParams.subject(subject, snap, true, "ALL");
            subjects.add(new Option("ALL", Lang.t(l, "all"), "ALL".equals(subj)));
            for (ViewBuilder.SubjectDynamics d : a.dynamics()) {
                subjects.add(new Option(d.subjectCode(), d.subjectName(), d.subjectCode().equals(subj)));
            }
            List<ViewBuilder.Point> points = views.dynamics(s.school(), studentId, s.year(), subj);
            Charts.SourceSwitch sw = Charts.sourceSwitch(points);
            switchNote = sw == null ? null : sw.note(l);
            if (!points.isEmpty()) {
                String title = Lang.t(l, "dynamics") + " · " + ("ALL".equals(subj) ? Lang.t(l, "all")
                        : snap.subjectName(subj, l)) + " · " + s.year();
                // drawing the chart is most of a page's work: kept per snapshot like the API's charts (access
                // checked and the read recorded above, on every request)
                svg = new String(cache.get(snap, "page.pupil.dynamics.svg", () -> InlineSvg.responsive(
                                charts.svg(charts.dynamics(points, title, l), 760, 380))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8), studentId, s.year(), subj, l),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
            warnings = EarlyWarnings.of(grades, rules);
        }
        List<Option> terms = new ArrayList<>();
        for (int t = 1; t <= 4; t++) {
            terms.add(new Option(String.valueOf(t), Lang.t(l, "term.n", t), false));
        }
        terms.add(new Option("0", Lang.t(l, "year.whole"), true));
        PupilView v = new PupilView(studentId, grades.name(), school == null ? null : school.name(l),
                grades.classLabel(), s.year(), s.premium(), Roles.PARENT.equals(s.account().role()), marks, places,
                medals, subjects, svg, switchNote, warnings,
                rules == null || rules.warningPoints() == null ? "" : rules.warningPoints().toPlainString(),
                rules != null && rules.warningPoints() != null, terms, "/children/" + studentId + "/report.pdf");
        return Templates.pupil(ctx.page(grades.name() == null ? Lang.t(l, "pupil") : grades.name()), v);
    }

    /** The pupil's term PDF, through the API's own handler: same access rules, audit record and cache. */
    @GET
    @Path("/{studentId}/report.pdf")
    @Produces("application/pdf")
    public Response report(@PathParam("studentId") String studentId, @QueryParam("year") String year,
                           @QueryParam("term") String term) {
        Response r = api.report(studentId, year, term, ctx.lang());
        return Response.fromResponse(r).header("Content-Disposition", "attachment; filename=\"baga-"
                + studentId.substring(0, Math.min(8, studentId.length())) + ".pdf\"").build();
    }

    static List<MarkRow> marks(ViewBuilder.Grades g, String l) {
        List<MarkRow> rows = new ArrayList<>();
        for (ViewBuilder.SubjectMarks s : g.subjects()) {
            Map<Integer, ViewBuilder.TermMark> byTerm = new LinkedHashMap<>();
            s.terms().forEach(t -> byTerm.put(t.term(), t));
            List<Cell> cells = new ArrayList<>();
            for (int t = 1; t <= 4; t++) {
                ViewBuilder.TermMark m = byTerm.get(t);
                if (m == null) {
                    cells.add(new Cell("", "", false));
                    continue;
                }
                boolean conflict = m.computedMark() != null && m.computedMark() != m.mark();
                String note = "IMPORTED".equals(m.markSource()) ? PageText.t(l, "imported")
                        : PageText.t(l, "computed");
                if (conflict) {
                    note += "; " + PageText.t(l, "computed.differs", m.computedMark());
                }
                cells.add(new Cell(String.valueOf(m.mark()), note, conflict));
            }
            ViewBuilder.Annual a = s.annual();
            rows.add(new MarkRow(s.subjectName(), cells, a == null ? "" : String.valueOf(a.mark()),
                    a == null || a.examMark() == null ? "" : String.valueOf(a.examMark()),
                    a == null || a.finalMark() == null ? "" : String.valueOf(a.finalMark())));
        }
        return rows;
    }
}
