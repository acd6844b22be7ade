package kz.baga.service.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

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
import kz.baga.service.error.BadParameterException;
import kz.baga.service.error.NotFoundException;
import kz.baga.service.i18n.Lang;
import kz.baga.service.render.CsvWriter;
import kz.baga.service.render.Pdfs;
import kz.baga.service.request.QueryParams;
import kz.baga.service.security.AccessRules;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.Snapshot;

/** A school's pages (staff of that school): medal candidates, classes and their rankings, reconciliation. */
@Path("/schools/{id}")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class SchoolPages {

    @Inject
    PageContext ctx;

    @Inject
    AccessRules access;

    @Inject
    ViewBuilder views;

    @Inject
    Pdfs pdfs;

    @GET
    public Response home(@PathParam("id") String id) {
        return Response.seeOther(URI.create("/schools/" + id + "/medal-candidates")).build();
    }


    @TemplateData
    public record CandidateRow(String studentId, String name, String classLabel, Integer gradeLevel, String award,
                               String status, String statusCode, String reasons) {
    }

    @TemplateData
    public record CandidatesView(String schoolId, String schoolName, String year, List<Option> awards,
                                 List<Option> statuses, List<Option> classes, List<CandidateRow> rows, String query,
                                 int total) {
    }

    /** The filters of the candidates page: each null or blank means "any". */
    record Filter(String award, String status, String classLabel) {
        boolean matches(ViewBuilder.Candidate c) {
            return (award == null || award.equals(c.award())) && (status == null || status.equals(c.status()))
                    && (classLabel == null || classLabel.equals(c.classLabel()));
        }

        String query() {
            StringBuilder q = new StringBuilder();
            if (award != null) {
                q.append("award=").append(award).append('&');
            }
            if (status != null) {
                q.append("status=").append(status).append('&');
            }
            if (classLabel != null) {
                q.append("class=").append(java.net.URLEncoder.encode(classLabel, java.nio.charset.StandardCharsets.UTF_8))
                        .append('&');
            }
            return q.toString();
        }
    }

    private static final List<String> AWARDS = List.of("ALTYN_BELGI", "HONOURS_11", "HONOURS_9");
    private static final List<String> STATUSES = List.of("ON_TRACK", "AT_RISK", "INCOMPLETE");

    private static String choice(String v, List<String> allowed, String name) {
        if (v == null || v.isBlank()) {
            return null;
        }
        if (!allowed.contains(v)) {
            throw new BadParameterException(name, name + " must be one of " + allowed + " (got '" + v + "')");
        }
        return v;
    }

    private record Selected(AccessRules.SchoolScope scope, Filter filter, List<ViewBuilder.Candidate> all,
                            List<ViewBuilder.Candidate> rows) {
    }

    private Selected select(String id, String action, String year, String award, String status, String cls) {
        AccessRules.SchoolScope s = access.school(id, action, year);
        List<ViewBuilder.Candidate> all = views.medalCandidates(s.snapshot(), s.school(), s.year(), ctx.lang());
        TreeSet<String> classes = new TreeSet<>();
        all.forEach(c -> classes.add(c.classLabel()));
        String c = cls == null || cls.isBlank() ? null : cls;
        if (c != null && !classes.contains(c)) {
            throw new BadParameterException("class", "no candidates' class " + c + " (classes: " + classes + ")");
        }
        Filter f = new Filter(choice(award, AWARDS, "award"), choice(status, STATUSES, "status"), c);
        List<ViewBuilder.Candidate> rows = all.stream().filter(f::matches).toList();
        // the pupils shown are recorded before anything is sent
        access.auditSchoolRead(s, action, String.join(",", new TreeSet<>(rows.stream()
                .map(ViewBuilder.Candidate::studentId).toList())));
        return new Selected(s, f, all, rows);
    }

    @GET
    @Path("/medal-candidates")
    public TemplateInstance candidates(@PathParam("id") String id, @QueryParam("year") String year,
                                       @QueryParam("award") String award, @QueryParam("status") String status,
                                       @QueryParam("class") String cls) {
        String l = ctx.lang();
        Selected sel = select(id, "school.medal-candidates.page", year, award, status, cls);
        List<Option> awards = new ArrayList<>();
        awards.add(new Option("", PageText.t(l, "any"), sel.filter.award() == null));
        AWARDS.forEach(a -> awards.add(new Option(a, Lang.t(l, "award." + a), a.equals(sel.filter.award()))));
        List<Option> statuses = new ArrayList<>();
        statuses.add(new Option("", PageText.t(l, "any"), sel.filter.status() == null));
        STATUSES.forEach(a -> statuses.add(new Option(a, Lang.t(l, "status." + a), a.equals(sel.filter.status()))));
        List<Option> classes = new ArrayList<>();
        classes.add(new Option("", PageText.t(l, "any"), sel.filter.classLabel() == null));
        new TreeSet<>(sel.all.stream().map(ViewBuilder.Candidate::classLabel).toList())
                .forEach(c -> classes.add(new Option(c, c, c.equals(sel.filter.classLabel()))));
        List<CandidateRow> rows = new ArrayList<>();
        for (ViewBuilder.Candidate c : sel.rows) {
            rows.add(new CandidateRow(c.studentId(), c.name(), c.classLabel(), c.gradeLevel(),
                    Lang.t(l, "award." + c.award()), Lang.t(l, "status." + c.status()), c.status(), c.reasons()));
        }
        Snapshot.School school = sel.scope.snapshot().schools().get(id);
        CandidatesView v = new CandidatesView(id, school == null ? id : school.name(l), sel.scope.year(), awards,
                statuses, classes, rows, sel.filter.query() + "year=" + sel.scope.year(), sel.all.size());
        return Templates.candidates(ctx.page(Lang.t(l, "medal.candidates")), v);
    }

    @GET
    @Path("/medal-candidates.csv")
    @Produces("text/csv")
    public Response candidatesCsv(@PathParam("id") String id, @QueryParam("year") String year,
                                  @QueryParam("award") String award, @QueryParam("status") String status,
                                  @QueryParam("class") String cls) {
        Selected sel = select(id, "school.medal-candidates.csv", year, award, status, cls);
        List<List<Object>> rows = new ArrayList<>();
        for (ViewBuilder.Candidate c : sel.rows) {
            rows.add(java.util.Arrays.asList(c.studentId(), c.name(), c.classLabel(), c.gradeLevel(), c.award(),
                    c.status(), c.reasons()));
        }
        String csv = CsvWriter.write(List.of("student_id", "name", "class_label", "grade_level", "award", "status", "reasons"),
                rows);
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"medal-candidates-" + id + ".csv\"")
                .header("Cache-Control", "private, no-store").build();
    }

    @GET
    @Path("/medal-candidates.pdf")
    @Produces("application/pdf")
    public Response candidatesPdf(@PathParam("id") String id, @QueryParam("year") String year,
                                  @QueryParam("award") String award, @QueryParam("status") String status,
                                  @QueryParam("class") String cls) {
        String l = ctx.lang();
        Selected sel = select(id, "school.medal-candidates.pdf", year, award, status, cls);
        Snapshot.School school = sel.scope.snapshot().schools().get(id);
        byte[] pdf = pdfs.medalCandidates(sel.scope.snapshot(), l, school == null ? id : school.name(l),
                sel.scope.year(), sel.rows);
        return Response.ok(pdf, "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"medal-candidates-" + id + ".pdf\"")
                .header("Cache-Control", "private, no-store").build();
    }

    @TemplateData
    public record ClassesView(String schoolId, String schoolName, String year, List<String> classes) {
    }

    @GET
    @Path("/classes")
    public TemplateInstance classes(@PathParam("id") String id, @QueryParam("year") String year) {
        String l = ctx.lang();
        AccessRules.SchoolScope s = access.school(id, "school.classes.page", year);
        Snapshot.School school = s.snapshot().schools().get(id);
        return Templates.classes(ctx.page(PageText.t(l, "classes")), new ClassesView(id, school == null ? id
                : school.name(l), s.year(), List.copyOf(s.school().classLabels())));
    }

    @TemplateData
    public record RankingView(String schoolId, String classLabel, String year, List<Option> terms,
                              List<Option> subjects, ViewBuilder.ClassRanking ranking) {
    }

    @GET
    @Path("/classes/{label}")
    public TemplateInstance ranking(@PathParam("id") String id, @PathParam("label") String label,
                                    @QueryParam("year") String year, @QueryParam("term") String term,
                                    @QueryParam("subject") String subject) {
        String l = ctx.lang();
        AccessRules.SchoolScope s = access.school(id, "school.rankings.page", year);
        int t = QueryParams.term(term, 0);
        String subj = QueryParams.subject(subject, s.snapshot(), true, "ALL");
        if (!s.school().classLabels().contains(label)) {
            throw new NotFoundException("school " + id + " has no class " + label);
        }
        ViewBuilder.ClassRanking r = views.ranking(s.snapshot(), s.school(), label, s.year(), t, subj);
        access.auditSchoolRead(s, "school.rankings.page", String.join(",", new TreeSet<>(r.rows().stream()
                .map(ViewBuilder.RankRow::studentId).toList())));
        List<Option> terms = Option.terms(l, t);
        List<Option> subjects = Option.subjects(s.snapshot(), l, subj);
        return Templates.ranking(ctx.page(PageText.t(l, "ranking") + " · " + label),
                new RankingView(id, label, s.year(), terms, subjects, r));
    }

    @TemplateData
    public record FindingView(String studentId, String name, String classLabel, String subject, String term,
                              String issue, String detail) {
    }

    /** Conflicts, gaps, or duplicates and the rest: {@code key} names the section's heading. */
    @TemplateData
    public record FindingSection(String key, List<FindingView> rows) {
    }

    @TemplateData
    public record ReconciliationView(String schoolId, String schoolName, String year, List<FindingSection> sections,
                                     List<RejectedView> rejected) {
    }

    /** A rejected row without its raw text: that may hold an IIN. */
    @TemplateData
    public record RejectedView(String source, String file, long line, String reason, String detail) {
    }

    @GET
    @Path("/reconciliation")
    public TemplateInstance reconciliation(@PathParam("id") String id, @QueryParam("year") String year) {
        String l = ctx.lang();
        AccessRules.SchoolScope s = access.school(id, "school.reconciliation.page", year);
        ViewBuilder.Reconciliation r = views.reconciliation(s.snapshot(), s.school(), s.year(), l);
        TreeSet<String> who = new TreeSet<>();
        r.conflicts().forEach(f -> who.add(f.studentId()));
        r.gaps().forEach(f -> who.add(f.studentId()));
        r.other().forEach(f -> who.add(f.studentId()));
        access.auditSchoolRead(s, "school.reconciliation.page", String.join(",", who));
        Snapshot snap = s.snapshot();
        Snapshot.School school = snap.schools().get(id);
        List<RejectedView> rejected = new ArrayList<>();
        r.rejected().forEach(x -> rejected.add(new RejectedView(x.source(), x.file(), x.line(), x.reason(),
                x.detail())));
        return Templates.reconciliation(ctx.page(PageText.t(l, "reconciliation")), new ReconciliationView(id,
                school == null ? id : school.name(l), s.year(), List.of(
                new FindingSection("conflicts", findings(r.conflicts(), snap, l)),
                new FindingSection("gaps", findings(r.gaps(), snap, l)),
                new FindingSection("duplicates", findings(r.other(), snap, l))), rejected));
    }

    private static List<FindingView> findings(List<ViewBuilder.FindingRow> rows, Snapshot snap, String l) {
        List<FindingView> out = new ArrayList<>();
        for (ViewBuilder.FindingRow f : rows) {
            out.add(new FindingView(f.studentId(), f.name(), f.classLabel(), snap.subjectName(f.subjectCode(), l),
                    f.term() == 0 ? Lang.t(l, "year.whole") : Lang.t(l, "term.n", f.term()), f.issueName(), f.text()));
        }
        return out;
    }
}
