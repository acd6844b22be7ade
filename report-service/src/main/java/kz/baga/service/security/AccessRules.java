package kz.baga.service.security;

import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kz.baga.service.audit.AuditLog;
import kz.baga.service.error.AccessDeniedException;
import kz.baga.service.error.BadParameterException;
import kz.baga.service.error.NotFoundException;
import kz.baga.service.warehouse.DistrictModel;
import kz.baga.service.warehouse.ReadModels;
import kz.baga.service.warehouse.SchoolModel;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;

/**
 * The access rules, in one place. Pupil and school-list reads are audited here — denied ones before the 403 or
 * 402, allowed ones after the parameters were validated and before any data is built — so a resource cannot
 * serve pupil data without a record.
 */
@ApplicationScoped
public class AccessRules {

    private static final Pattern YEAR = Pattern.compile("\\d{4}-\\d{4}");
    private static final Pattern STUDENT_ID = Pattern.compile("[0-9a-f]{8,64}");

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    ReadModels models;

    @Inject
    Accounts accounts;

    @Inject
    AuditLog audit;

    @Inject
    RequestInfo request;

    /** What an allowed pupil request works with. */
    public record PupilScope(Account account, Snapshot snapshot, SchoolModel school, SchoolModel.Student student,
                             String year, boolean premium) {
    }

    public record SchoolScope(Account account, Snapshot snapshot, SchoolModel school, String year) {
    }

    /** An allowed district request; the district's read model is loaded on first use of {@link #district()}. */
    public record DistrictScope(Account account, Snapshot snapshot, String districtId, String year,
                                ReadModels models) {
        /** Only the district's cells matching {@code filter} (cached, see {@link ReadModels}). */
        public DistrictModel district(DistrictModel.Filter filter) {
            return models.district(snapshot, districtId, filter);
        }
    }

    /**
     * A pupil's data: parents of that pupil (premium where {@code premiumOnly}) and staff of the pupil's school.
     * A pupil who does not exist and one who is not yours both answer 403.
     */
    public PupilScope pupil(String studentId, String action, boolean premiumOnly, String yearParam) {
        if (studentId == null || !STUDENT_ID.matcher(studentId).matches()) {
            // malformed, not merely unknown: nothing to look up or record (NUL bytes included)
            throw new BadParameterException("id", "a pupil id is 8-64 lower-case hex digits");
        }
        Account a = request.account();
        Snapshot snap = snapshots.require();
        String schoolId = snap.schoolOf(studentId);
        boolean premium = false;
        switch (a.role()) {
            case Roles.PARENT -> {
                Accounts.Parent parent = accounts.parent(a.id());
                if (!parent.isLinked(studentId)) {
                    deny(a, action, studentId, null, "not a child of this account (or no such pupil)");
                }
                premium = parent.isPremium();
                if (schoolId == null) {
                    audit(a, action, studentId, null, false, "pupil not in snapshot " + snap.id());
                    throw new NotFoundException("your child is not in the current snapshot " + snap.id());
                }
                if (premiumOnly && !premium) {
                    audit(a, action, studentId, schoolId, false, "subscription required");
                    throw new SubscriptionRequiredException();
                }
            }
            case Roles.SCHOOL -> {
                if (schoolId == null || !schoolId.equals(a.schoolId())) {
                    deny(a, action, studentId, null, "pupil not in this account's school (or no such pupil)");
                }
                premium = true;
            }
            default -> deny(a, action, studentId, null, "role " + a.role() + " cannot read pupils' data");
        }
        SchoolModel model = models.school(snap, schoolId);
        SchoolModel.Student st = model.student(studentId);
        String year = year(yearParam, snap, model.years());
        audit(a, action, studentId, schoolId, true, null);
        return new PupilScope(a, snap, model, st, year, premium);
    }

    /** A school's lists of pupils: staff of that school only. */
    public SchoolScope school(String schoolId, String action, String yearParam) {
        Account a = request.account();
        Snapshot snap = snapshots.require();
        if (!Roles.SCHOOL.equals(a.role()) || !schoolId.equals(a.schoolId())
                || !snap.schools().containsKey(schoolId)) {
            audit(a, action, null, schoolId, false, "not staff of this school");
            throw new AccessDeniedException("only staff of school " + schoolId + " can read its pupils' lists");
        }
        SchoolModel model = models.school(snap, schoolId);
        String year = year(yearParam, snap, model.years());
        return new SchoolScope(a, snap, model, year);
    }

    /** Records an allowed school-level read once the parameters are known to be valid. */
    public void auditSchoolRead(SchoolScope scope, String action, String studentIds) {
        audit(scope.account(), action, studentIds, scope.school().schoolId(), true, null);
    }

    /** A district's aggregates: department staff of that district only (no pupil data, so no audit record). */
    public DistrictScope district(String districtId, String yearParam) {
        Account a = request.account();
        Snapshot snap = snapshots.require();
        if (!Roles.DEPARTMENT.equals(a.role()) || !districtId.equals(a.districtId())
                || !snap.districtExists(districtId)) {
            throw new AccessDeniedException("only department staff of district " + districtId
                    + " can read its indicators");
        }
        return new DistrictScope(a, snap, districtId, year(yearParam, snap, models.districtYears(snap, districtId)),
                models);
    }

    /**
     * Records a district-level action (report jobs: submitted, result fetched, refused). Like every audit write it
     * happens before anything is sent, and a failure answers {@code 503 audit-unavailable}.
     */
    public void auditDistrict(Account a, String action, String districtId, boolean allowed, String detail) {
        audit.record(a.username(), a.role(), action, request.endpoint(), null, null, districtId,
                request.clientAddress(), allowed, detail);
    }

    /** Records an administrator's change (accounts, parent links, subscriptions) before it is answered. */
    public void auditAdmin(String action, String studentIds, String detail) {
        Account a = request.account();
        audit.record(a.username(), a.role(), action, request.endpoint(), studentIds, null, null,
                request.clientAddress(), true, detail);
    }

    public Account account() {
        return request.account();
    }

    public void requireRole(String... roles) {
        Account a = request.account();
        for (String r : roles) {
            if (r.equals(a.role())) {
                return;
            }
        }
        throw new AccessDeniedException("role " + a.role() + " cannot use this endpoint");
    }

    private void deny(Account a, String action, String studentId, String schoolId, String why) {
        audit(a, action, studentId, schoolId, false, why);
        throw new AccessDeniedException("you have no access to pupil " + studentId);
    }

    private void audit(Account a, String action, String studentIds, String schoolId, boolean allowed, String detail) {
        audit.record(a.username(), a.role(), action, request.endpoint(), studentIds, schoolId, null,
                request.clientAddress(), allowed, detail);
    }

    /** {@code year} absent → the snapshot's current year; otherwise it must be a year the data knows. */
    public static String year(String param, Snapshot snap, Set<String> known) {
        if (param == null || param.isBlank()) {
            return snap.currentYear();
        }
        if (!YEAR.matcher(param).matches()) {
            throw new BadParameterException("year", "year must look like 2025-2026 (got '" + param + "')");
        }
        if (!known.contains(param) && !snap.directoryYears().contains(param)) {
            throw new BadParameterException("year", "unknown academic year " + param + "; known: " + known);
        }
        return param;
    }
}
