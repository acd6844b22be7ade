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
import kz.baga.service.i18n.Lang;
import kz.baga.service.render.Charts;
import kz.baga.service.render.Pdfs;
import kz.baga.service.warehouse.Snapshot;

/** A district's aggregates (department staff only): indicators, a quality chart, the district report. */
@Path("/api/v1/districts/{id}")
@Authenticated
public class DistrictResource {

    @Inject
    Access access;

    @Inject
    Views views;

    @Inject
    Charts charts;

    @Inject
    Pdfs pdfs;

    @Context
    HttpHeaders headers;

    @GET
    @Path("/indicators")
    @Produces(MediaType.APPLICATION_JSON)
    public Response indicators(@PathParam("id") String id, @QueryParam("year") String year,
                               @QueryParam("term") String term, @QueryParam("subject") String subject,
                               @QueryParam("grade") String grade, @QueryParam("lang") String lang) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        Integer t = Params.term(term, null);
        Integer g = Params.grade(grade);
        Access.DistrictScope s = access.district(id, year);
        String subj = subject == null || subject.isBlank() ? null : Params.subject(subject, s.snapshot(), true, null);
        return Response.ok(views.indicators(s.snapshot(), s.district(), s.year(), t, subj, g, l),
                MediaType.APPLICATION_JSON).header(StudentResource.SNAPSHOT_HEADER, s.snapshot().id()).build();
    }

    @GET
    @Path("/charts/quality.png")
    @Produces("image/png")
    public Response qualityPng(@PathParam("id") String id, @QueryParam("year") String year,
                               @QueryParam("term") String term, @QueryParam("lang") String lang,
                               @QueryParam("width") Integer width, @QueryParam("height") Integer height) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        int t = Params.term(term, 0);
        Access.DistrictScope s = access.district(id, year);
        Views.Indicators ind = views.indicators(s.snapshot(), s.district(), s.year(), t, "ALL", 0, l);
        List<Charts.Bar> bars = new ArrayList<>();
        for (Views.IndicatorRow r : ind.schools()) {
            bars.add(new Charts.Bar(r.schoolId(), r.qualityRate(), r.successRate()));
        }
        byte[] png = charts.png(charts.quality(bars, Lang.t(l, "quality.chart") + " · " + s.year(), l),
                StudentResource.size(width, 900, "width"), StudentResource.size(height, 450, "height"));
        return Response.ok(png, "image/png").header(StudentResource.SNAPSHOT_HEADER, s.snapshot().id()).build();
    }

    @GET
    @Path("/report.pdf")
    @Produces("application/pdf")
    public Response report(@PathParam("id") String id, @QueryParam("year") String year,
                           @QueryParam("term") String term, @QueryParam("lang") String lang) {
        String l = Lang.resolve(lang, headers.getAcceptableLanguages());
        int t = Params.term(term, 0);
        Access.DistrictScope s = access.district(id, year);
        Snapshot snap = s.snapshot();
        Views.Indicators current = views.indicators(snap, s.district(), s.year(), t, null, null, l);
        Views.Indicators previous = t >= 2 ? views.indicators(snap, s.district(), s.year(), t - 1, null, null, l) : null;
        String districtName = snap.schools().values().stream().filter(x -> x.districtId().equals(id))
                .map(x -> x.districtName(l)).findFirst().orElse(id);
        byte[] pdf = pdfs.districtReport(new Pdfs.DistrictReport(snap, l, districtName, s.year(), t, current,
                previous));
        return Response.ok(pdf, "application/pdf").header(StudentResource.SNAPSHOT_HEADER, snap.id()).build();
    }
}
