package kz.baga.service.api;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import kz.baga.service.audit.AuditLog;
import kz.baga.service.security.Account;
import kz.baga.service.security.Accounts;
import kz.baga.service.security.RequestInfo;
import kz.baga.service.security.Roles;
import kz.baga.service.warehouse.ReadModels;
import kz.baga.service.warehouse.SchoolModel;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;

@Path("/api/v1/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    RequestInfo request;

    @Inject
    Accounts accounts;

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    ReadModels models;

    @Inject
    AuditLog audit;

    public record Child(String studentId, String name, String schoolId, String classLabel) {
    }

    public record Me(String username, String role, String schoolId, String districtId, boolean premium,
                     LocalDate premiumUntil, List<Child> children) {
    }

    @GET
    public Me me() {
        Account a = request.account();
        List<Child> children = new ArrayList<>();
        LocalDate until = null;
        boolean premium = false;
        if (Roles.PARENT.equals(a.role())) {
            Accounts.Parent parent = accounts.parent(a.id());
            until = parent.premiumUntil();
            premium = parent.isPremium();
            List<String> ids = List.copyOf(parent.children());
            Snapshot snap = snapshots.currentOrNull();
            if (!ids.isEmpty()) {
                // children's names are pupil data: recorded like any other pupil read
                audit.record(a.username(), a.role(), "me.children", request.endpoint(), String.join(",", ids), null,
                        null, request.clientAddress(), true, null);
            }
            for (String id : ids) {
                String school = snap == null ? null : snap.schoolOf(id);
                SchoolModel.Student st = school == null ? null : models.school(snap, school).student(id);
                children.add(new Child(id, st == null ? null : st.fullName(), school,
                        st == null ? null : st.classLabel()));
            }
        }
        return new Me(a.username(), a.role(), a.schoolId(), a.districtId(), premium, until, children);
    }
}
