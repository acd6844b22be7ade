package kz.baga.service.web;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.qute.TemplateData;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kz.baga.service.api.AdminResource;
import kz.baga.service.api.ProblemException;
import kz.baga.service.api.ProblemMapper;
import kz.baga.service.error.BadParameterException;
import kz.baga.service.error.ServiceException;
import kz.baga.service.security.AccessRules;
import kz.baga.service.security.Account;
import kz.baga.service.security.Accounts;
import kz.baga.service.security.Roles;

/** Accounts, parent links and subscriptions as forms (admin only); every change is recorded in the audit log. */
@Path("/admin")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class AdminPage {

    @Inject
    PageContext ctx;

    @Inject
    AccessRules access;

    @Inject
    Accounts accounts;

    @Inject
    AdminResource api;

    @TemplateData
    public record AccountRow(String username, String role, String scope, int children, LocalDate premiumUntil) {
    }

    @TemplateData
    public record AdminView(List<AccountRow> accounts, List<String> roles, String done, String error) {
    }

    @GET
    public Response page(@QueryParam("done") String done) {
        access.requireRole(Roles.ADMIN);
        return Response.ok(view(done != null, null)).build();
    }

    private Object view(boolean done, String error) {
        List<AccountRow> rows = new ArrayList<>();
        for (Account a : accounts.list()) {
            Accounts.Parent p = Roles.PARENT.equals(a.role()) ? accounts.parent(a.id()) : null;
            rows.add(new AccountRow(a.username(), a.role(), a.schoolId() != null ? a.schoolId()
                    : a.districtId() != null ? a.districtId() : "", p == null ? 0 : p.children().size(),
                    p == null ? null : p.premiumUntil()));
        }
        return Templates.admin(ctx.page(PageText.t(ctx.lang(), "admin")), new AdminView(rows,
                List.of(Roles.PARENT, Roles.SCHOOL, Roles.DEPARTMENT, Roles.AUDITOR, Roles.ADMIN),
                done ? PageText.t(ctx.lang(), "done") : null, error));
    }

    /** A refused form comes back with its reason and the API's status, as a page that keeps the lists. */
    private Response refused(ServiceException e) {
        ProblemException p = ProblemMapper.toProblem(e);
        return Response.status(p.status()).entity(view(false, p.getMessage())).type(MediaType.TEXT_HTML).build();
    }

    private static Response saved() {
        return Response.seeOther(URI.create("/admin?done=1")).build();
    }

    @POST
    @Path("/accounts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("username") String username, @FormParam("password") String password,
                           @FormParam("role") String role, @FormParam("scope") String scope) {
        access.requireRole(Roles.ADMIN);
        try {
            api.create(new AdminResource.NewUser(username, password, role, scope, scope));
        } catch (ServiceException e) {
            return refused(e);
        }
        return saved();
    }

    @POST
    @Path("/links")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response link(@FormParam("username") String username, @FormParam("studentId") String studentId) {
        access.requireRole(Roles.ADMIN);
        try {
            api.link(username == null ? "" : username.trim(), new AdminResource.NewLink(studentId == null ? null
                    : studentId.trim()));
        } catch (ServiceException e) {
            return refused(e);
        }
        return saved();
    }

    @POST
    @Path("/subscriptions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response subscribe(@FormParam("username") String username, @FormParam("premiumUntil") String until) {
        access.requireRole(Roles.ADMIN);
        try {
            LocalDate d;
            try {
                d = until == null || until.isBlank() ? null : LocalDate.parse(until.trim());
            } catch (DateTimeParseException e) {
                throw new BadParameterException("premiumUntil", "premiumUntil: a date such as 2026-08-31");
            }
            api.subscribe(username == null ? "" : username.trim(), new AdminResource.Subscription(d));
        } catch (ServiceException e) {
            return refused(e);
        }
        return saved();
    }
}
