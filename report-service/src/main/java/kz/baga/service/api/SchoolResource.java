package kz.baga.service.api;

import java.util.ArrayList;
import java.util.List;

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
import kz.baga.service.error.NotFoundException;
import kz.baga.service.i18n.Lang;
import kz.baga.service.render.CsvWriter;
import kz.baga.service.render.Pdfs;
import kz.baga.service.render.RenderCache;
import kz.baga.service.request.QueryParams;
import kz.baga.service.security.AccessRules;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.Snapshot;

/** A school's lists of pupils: medal candidates, class rankings, reconciliation findings (school staff only). */
@Path("/api/v1/schools/{id}")
@Authenticated
public class SchoolResource {

    @Inject
    AccessRules access;

    @Inject
    ViewBuilder views;

    @Inject
    Pdfs pdfs;

    @Inject
    RenderCache cache;

    @Context
    HttpHeaders headers;

    @GET
    @Path("/medal-candidates")
    @Produces({MediaType.APPLICATION_JSON, CsvWriter.TEXT_CSV})
    public Response medalCandidates(@PathParam("id") String id, @QueryParam("year") String year,
                                    @QueryParam("lang") String lang) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        AccessRules.SchoolScope s = access.school(id, "school.medal-candidates", year);
        Candidates cand = candidates(s, id, l);
        access.auditSchoolRead(s, "school.medal-candidates", cand.studentIds());
        if (CsvWriter.wanted(headers)) {
            List<List<Object>> rows = new ArrayList<>();
            for (ViewBuilder.Candidate c : cand.list()) {
                rows.add(List.of(c.studentId(), nz(c.name()), nz(c.classLabel()), c.gradeLevel(), c.award(), c.status(),
                        nz(c.reasons())));
            }
            String csv = CsvWriter.write(List.of("student_id", "name", "class_label", "grade_level", "award", "status",
                    "reasons"), rows);
            return Response.ok(csv, "text/csv; charset=UTF-8").header(StudentResource.SNAPSHOT_HEADER,
                    s.snapshot().id()).build();
        }
        return Response.ok(cand.json(), MediaType.APPLICATION_JSON)
                .header(StudentResource.SNAPSHOT_HEADER, s.snapshot().id()).build();
    }

    /**
     * The school's candidates of the scope's year, per snapshot: the list, the pupils it names and its JSON. The
     * caller writes the audit record (naming those pupils) on every request before anything is sent.
     */
    private Candidates candidates(AccessRules.SchoolScope s, String id, String lang) {
        return cache.get(s.snapshot(), "school.medal-candidates", () -> {
            List<ViewBuilder.Candidate> list = views.medalCandidates(s.snapshot(), s.school(), s.year(), lang);
            return new Candidates(list, ids(list.stream().map(ViewBuilder.Candidate::studentId).toList()),
                    views.json(ViewBuilder.map("schoolId", id, "academicYear", s.year(), "snapshotId", s.snapshot().id(),
                            "candidates", list)));
        }, id, s.year(), lang);
    }

    /** A school's medal candidates of one year as cached: the list (CSV), the pupils it names (audit), its JSON. */
    record Candidates(List<ViewBuilder.Candidate> list, String studentIds, byte[] json) implements RenderCache.Sized {
        @Override
        public long bytes() {
            return 2L * json.length + studentIds.length(); // the list holds about what its JSON does
        }
    }

    @GET
    @Path("/medal-candidates.pdf")
    @Produces("application/pdf")
    public Response medalCandidatesPdf(@PathParam("id") String id, @QueryParam("year") String year,
                                       @QueryParam("lang") String lang) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        AccessRules.SchoolScope s = access.school(id, "school.medal-candidates.pdf", year);
        Candidates cand = candidates(s, id, l);
        List<ViewBuilder.Candidate> list = cand.list();
        access.auditSchoolRead(s, "school.medal-candidates.pdf", cand.studentIds());
        Snapshot.School school = s.snapshot().schools().get(id);
        // audited above, before the cache is asked
        byte[] pdf = cache.get(s.snapshot(), "school.medal-candidates.pdf",
                () -> pdfs.medalCandidates(s.snapshot(), l, school == null ? id : school.name(l), s.year(), list),
                id, s.year(), l);
        return Response.ok(pdf, "application/pdf").header(StudentResource.SNAPSHOT_HEADER, s.snapshot().id()).build();
    }

    @GET
    @Path("/classes/{label}/rankings")
    @Produces(MediaType.APPLICATION_JSON)
    public Response rankings(@PathParam("id") String id, @PathParam("label") String label,
                             @QueryParam("year") String year, @QueryParam("term") String term,
                             @QueryParam("subject") String subject) {
        AccessRules.SchoolScope s = access.school(id, "school.rankings", year);
        int t = QueryParams.term(term, 0);
        String subj = QueryParams.subject(subject, s.snapshot(), true, "ALL");
        if (!s.school().classLabels().contains(label)) {
            throw new NotFoundException("school " + id + " has no class " + label + " (classes: "
                    + s.school().classLabels() + ")");
        }
        ViewBuilder.ClassRanking r = views.ranking(s.snapshot(), s.school(), label, s.year(), t, subj);
        access.auditSchoolRead(s, "school.rankings", ids(r.rows().stream().map(ViewBuilder.RankRow::studentId).toList()));
        return Response.ok(r, MediaType.APPLICATION_JSON).header(StudentResource.SNAPSHOT_HEADER, s.snapshot().id())
                .build();
    }

    @GET
    @Path("/reconciliation")
    @Produces(MediaType.APPLICATION_JSON)
    public Response reconciliation(@PathParam("id") String id, @QueryParam("year") String year,
                                   @QueryParam("lang") String lang) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        AccessRules.SchoolScope s = access.school(id, "school.reconciliation", year);
        ViewBuilder.Reconciliation r = views.reconciliation(s.snapshot(), s.school(), s.year(), l);
        List<String> who = new ArrayList<>();
        r.conflicts().forEach(f -> who.add(f.studentId()));
        r.gaps().forEach(f -> who.add(f.studentId()));
        r.other().forEach(f -> who.add(f.studentId()));
        access.auditSchoolRead(s, "school.reconciliation", ids(who));
        return Response.ok(r, MediaType.APPLICATION_JSON).header(StudentResource.SNAPSHOT_HEADER, s.snapshot().id())
                .build();
    }

    private static String ids(List<String> ids) {
        return String.join(",", new java.util.TreeSet<>(ids));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
