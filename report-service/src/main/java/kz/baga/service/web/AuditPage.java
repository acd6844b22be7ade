package kz.baga.service.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import kz.baga.service.audit.AuditEntry;
import kz.baga.service.audit.AuditLog;
import kz.baga.service.error.BadParameterException;
import kz.baga.service.request.QueryParams;
import kz.baga.service.security.AccessRules;
import kz.baga.service.security.Roles;

/** The audit log for auditors: search by user, pupil and dates; the chain's verification on request. */
@Path("/audit")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class AuditPage {

    static final int LIMIT = 500;

    @Inject
    PageContext ctx;

    @Inject
    AccessRules access;

    @Inject
    AuditLog audit;

    @TemplateData
    public record AuditView(String user, String pupil, String from, String to, List<AuditEntry> records, int limit,
                            boolean verified, Map<String, Object> verification, boolean chainOk) {
    }

    @GET
    public TemplateInstance search(@QueryParam("user") String user, @QueryParam("pupil") String pupil,
                                   @QueryParam("from") String from, @QueryParam("to") String to,
                                   @QueryParam("verify") String verify) {
        access.requireRole(Roles.AUDITOR);
        String l = ctx.lang();
        Instant t = blank(to) ? Instant.now().plus(1, ChronoUnit.SECONDS) : QueryParams.instant(to, "to", true);
        Instant f = blank(from) ? t.minus(30, ChronoUnit.DAYS) : QueryParams.instant(from, "from", false);
        if (!f.isBefore(t)) {
            throw new BadParameterException("from", "from must be before to");
        }
        String u = blank(user) ? null : user.trim();
        String p = blank(pupil) ? null : pupil.trim();
        List<AuditEntry> records = audit.search(f, t, u, p, LIMIT);
        boolean doVerify = !blank(verify);
        Map<String, Object> v = doVerify ? audit.verify() : Map.of();
        return Templates.audit(ctx.page(PageText.t(l, "audit")), new AuditView(u == null ? "" : u,
                p == null ? "" : p, blank(from) ? "" : from, blank(to) ? "" : to, records, LIMIT, doVerify, v,
                Boolean.TRUE.equals(v.get("ok"))));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
