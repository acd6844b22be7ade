package kz.baga.service.api;

import java.time.LocalDate;
import java.util.List;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kz.baga.service.error.BadParameterException;
import kz.baga.service.error.NotFoundException;
import kz.baga.service.security.AccessRules;
import kz.baga.service.security.Account;
import kz.baga.service.security.Accounts;
import kz.baga.service.security.Roles;
import kz.baga.service.view.ViewBuilder;

/** Accounts, parent links and subscriptions (admin only). */
@Path("/api/v1/admin")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    @Inject
    AccessRules access;

    @Inject
    Accounts accounts;

    public static final java.util.regex.Pattern STUDENT_ID = java.util.regex.Pattern.compile("[0-9a-f]{8,64}");

    public record NewUser(String username, String password, String role, String schoolId, String districtId) {
    }

    public record NewLink(String studentId) {
    }

    public record Subscription(LocalDate premiumUntil) {
    }

    @GET
    @Path("/users")
    public List<Account> users() {
        access.requireRole(Roles.ADMIN);
        return accounts.list();
    }

    @POST
    @Path("/users")
    public Response create(NewUser u) {
        access.requireRole(Roles.ADMIN);
        check(u);
        Account a = accounts.create(u.username(), u.password(), u.role(),
                Roles.SCHOOL.equals(u.role()) ? u.schoolId() : null,
                Roles.DEPARTMENT.equals(u.role()) ? u.districtId() : null);
        access.auditAdmin("admin.account.create", null, "account " + a.username() + " (" + a.role() + ")");
        return Response.status(201).entity(a).build();
    }

    /** The rules a new account must meet; a 400 problem naming the field otherwise. */
    public static void check(NewUser u) {
        if (u == null || u.username() == null || !u.username().matches("[A-Za-z0-9._@-]{3,64}")) {
            throw new BadParameterException("username", "username: 3-64 letters, digits or . _ @ -");
        }
        if (u.password() == null || u.password().length() < 4) {
            throw new BadParameterException("password", "password: at least 4 characters");
        }
        if (u.role() == null || !Roles.ALL.contains(u.role())) {
            throw new BadParameterException("role", "role must be one of " + Roles.ALL);
        }
        if (Roles.SCHOOL.equals(u.role()) && (u.schoolId() == null || u.schoolId().isBlank())) {
            throw new BadParameterException("schoolId", "a school account needs schoolId");
        }
        if (Roles.DEPARTMENT.equals(u.role()) && (u.districtId() == null || u.districtId().isBlank())) {
            throw new BadParameterException("districtId", "a department account needs districtId");
        }
    }

    @POST
    @Path("/users/{username}/children")
    public Response link(@PathParam("username") String username, NewLink link) {
        access.requireRole(Roles.ADMIN);
        Account a = parent(username);
        if (link == null || link.studentId() == null || !STUDENT_ID.matcher(link.studentId()).matches()) {
            throw new BadParameterException("studentId", "studentId: the pupil's pseudonymous id (hex)");
        }
        accounts.link(a.id(), link.studentId());
        access.auditAdmin("admin.parent.link", link.studentId(), "parent " + username);
        return Response.status(201).entity(ViewBuilder.map("username", username, "studentId", link.studentId())).build();
    }

    /** Unlinks a pupil from a parent; the parent's next request for that pupil is refused (403). */
    @DELETE
    @Path("/users/{username}/children/{studentId}")
    public Response unlink(@PathParam("username") String username, @PathParam("studentId") String studentId) {
        access.requireRole(Roles.ADMIN);
        Account a = parent(username);
        if (!accounts.unlink(a.id(), studentId)) {
            throw new NotFoundException(username + " is not linked to pupil " + studentId);
        }
        access.auditAdmin("admin.parent.unlink", studentId, "parent " + username);
        return Response.noContent().build();
    }

    @PUT
    @Path("/users/{username}/subscription")
    public Response subscribe(@PathParam("username") String username, Subscription s) {
        access.requireRole(Roles.ADMIN);
        Account a = parent(username);
        if (s == null || s.premiumUntil() == null) {
            throw new BadParameterException("premiumUntil", "premiumUntil: a date such as 2026-08-31");
        }
        accounts.subscribe(a.id(), s.premiumUntil());
        access.auditAdmin("admin.subscription", null, "parent " + username + " premium until " + s.premiumUntil());
        return Response.ok(ViewBuilder.map("username", username, "premiumUntil", s.premiumUntil())).build();
    }

    /** The parent account {@code username}: 404 when there is none, 400 when it is not a parent's. */
    public Account parent(String username) {
        Account a = accounts.find(username).map(Accounts.Credentials::account)
                .orElseThrow(() -> new NotFoundException("no account " + username));
        if (!Roles.PARENT.equals(a.role())) {
            throw new BadParameterException("username", username + " is not a parent account");
        }
        return a;
    }
}
