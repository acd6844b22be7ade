package kz.baga.service.demo;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import kz.baga.service.security.Account;
import kz.baga.service.security.Accounts;
import kz.baga.service.security.Roles;
import kz.baga.service.warehouse.ReadModels;
import kz.baga.service.warehouse.SchoolModel;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Demo mode only ({@code baga.demo=true}): creates the demo accounts, all with password {@code demo}, around
 * real pupils of the served snapshot — parent.premium is the parent of an 11th-grader with medal statuses
 * (the best-placed one), parent.free of another pupil of the same school.
 */
@ApplicationScoped
public class DemoAccounts {

    private static final Logger LOG = Logger.getLogger(DemoAccounts.class);
    public static final String PASSWORD = "demo";

    @ConfigProperty(name = "baga.demo", defaultValue = "false")
    boolean demo;

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    ReadModels models;

    @Inject
    Accounts accounts;

    public record Picks(String schoolId, String districtId, String premiumChild, String freeChild) {
    }

    void onStart(@Observes StartupEvent ev) {
        if (!demo) {
            return;
        }
        ensure("admin", Roles.ADMIN, null, null);
        ensure("auditor", Roles.AUDITOR, null, null);
        Snapshot snap = snapshots.currentOrNull();
        if (snap == null) {
            LOG.warn("demo mode: no snapshot yet, only admin and auditor were created");
            return;
        }
        Picks p = pick(snap);
        if (p == null) {
            LOG.warn("demo mode: no 11th-grader with medal statuses in snapshot " + snap.id());
            return;
        }
        ensure("school", Roles.SCHOOL, p.schoolId(), null);
        ensure("department", Roles.DEPARTMENT, null, p.districtId());
        Account premium = ensure("parent.premium", Roles.PARENT, null, null);
        accounts.link(premium.id(), p.premiumChild());
        accounts.subscribe(premium.id(), LocalDate.now().plusYears(1));
        Account free = ensure("parent.free", Roles.PARENT, null, null);
        if (p.freeChild() != null) {
            accounts.link(free.id(), p.freeChild());
        }
        LOG.infof("demo accounts ready (password '%s'): parent.premium -> %s, parent.free -> %s, school %s, "
                + "department %s, auditor, admin", PASSWORD, p.premiumChild(), p.freeChild(), p.schoolId(),
                p.districtId());
    }

    private Account ensure(String username, String role, String schoolId, String districtId) {
        Optional<Accounts.Credentials> c = accounts.find(username);
        return c.isPresent() ? c.get().account() : accounts.create(username, PASSWORD, role, schoolId, districtId);
    }

    private static int rank(String status) {
        return switch (status) {
            case "ON_TRACK" -> 0;
            case "AT_RISK" -> 1;
            case "INCOMPLETE" -> 2;
            default -> 3;
        };
    }

    /** Deterministic picks: the 11th-grader with the best medal statuses (ties by id) and a 9th-grader. */
    public Picks pick(Snapshot snap) {
        for (Snapshot.School school : snap.schools().values()) {
            SchoolModel m = models.school(snap, school.schoolId());
            Map<String, Integer> best = new java.util.TreeMap<>();
            for (SchoolModel.Medal medal : m.medals()) {
                if (medal.gradeLevel() != null && medal.gradeLevel() == 11) {
                    best.merge(medal.studentId(), rank(medal.status()), Math::min);
                }
            }
            if (best.isEmpty()) {
                continue;
            }
            String premium = best.entrySet().stream().min(Map.Entry.<String, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey())).get().getKey();
            List<SchoolModel.Student> others = m.students().values().stream()
                    .filter(s -> !s.studentId().equals(premium))
                    .sorted(Comparator.comparing((SchoolModel.Student s) -> s.gradeLevel() == null || s.gradeLevel() != 9)
                            .thenComparing(SchoolModel.Student::studentId))
                    .toList();
            return new Picks(school.schoolId(), school.districtId(), premium,
                    others.isEmpty() ? null : others.get(0).studentId());
        }
        return null;
    }
}
