package kz.baga.service.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kz.baga.service.audit.AuditEntry;
import kz.baga.service.audit.AuditLog;
import kz.baga.service.error.BadParameterException;
import kz.baga.service.render.CsvWriter;
import kz.baga.service.request.QueryParams;
import kz.baga.service.security.AccessRules;
import kz.baga.service.security.Roles;
import kz.baga.service.view.ViewBuilder;

/** The audit log for auditors: records of a period (JSON or CSV) and a verification of the hash chain. */
@Path("/api/v1/audit")
@Authenticated
public class AuditResource {

    @Inject
    AuditLog audit;

    @Inject
    AccessRules access;

    @Context
    HttpHeaders headers;

    @GET
    @Produces({MediaType.APPLICATION_JSON, CsvWriter.TEXT_CSV})
    public Response list(@QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("limit") String limit) {
        access.requireRole(Roles.AUDITOR);
        Instant t = to == null || to.isBlank() ? Instant.now().plus(1, ChronoUnit.SECONDS)
                : QueryParams.instant(to, "to", true);
        Instant f = from == null || from.isBlank() ? t.minus(30, ChronoUnit.DAYS)
                : QueryParams.instant(from, "from", false);
        if (!f.isBefore(t)) {
            throw new BadParameterException("from", "from must be before to");
        }
        Integer l = QueryParams.integer(limit, "limit", 1, 100_000);
        int n = l == null ? 10_000 : l;
        List<AuditEntry> entries = audit.list(f, t, n);
        if (CsvWriter.wanted(headers)) {
            List<List<Object>> rows = new ArrayList<>();
            for (AuditEntry e : entries) {
                rows.add(java.util.Arrays.asList(e.id(), e.at(), e.username(), e.role(), e.action(), e.endpoint(),
                        e.studentIds(), e.schoolId(), e.districtId(), e.clientAddr(), e.outcome(), e.detail(),
                        e.prevHash(), e.hash()));
            }
            return Response.ok(CsvWriter.write(List.of("id", "at", "username", "role", "action", "endpoint", "student_ids",
                    "school_id", "district_id", "client_addr", "outcome", "detail", "prev_hash", "hash"), rows),
                    "text/csv; charset=UTF-8").build();
        }
        return Response.ok(ViewBuilder.map("from", f, "to", t, "count", entries.size(), "records", entries),
                MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> verify() {
        access.requireRole(Roles.AUDITOR);
        return audit.verify();
    }
}
