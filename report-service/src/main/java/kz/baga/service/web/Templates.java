package kz.baga.service.web;

import java.util.List;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import kz.baga.service.api.MeResource;
import kz.baga.service.audit.AuditEntry;
import kz.baga.service.view.ViewBuilder;

/** The pages' templates ({@code templates/pages/}), checked against these parameters when the service is built. */
@CheckedTemplate(basePath = "pages")
@TemplateData(target = MeResource.Child.class)
@TemplateData(target = ViewBuilder.IndicatorRow.class)
@TemplateData(target = ViewBuilder.ClassRanking.class)
@TemplateData(target = ViewBuilder.RankRow.class)
@TemplateData(target = AuditEntry.class)
public final class Templates {

    private Templates() {
    }

    public static native TemplateInstance login(Page page, String error);

    public static native TemplateInstance error(Page page, int status, String title, String detail, String home);

    public static native TemplateInstance children(Page page, List<MeResource.Child> children);

    public static native TemplateInstance pupil(Page page, ChildrenPages.PupilView v);

    public static native TemplateInstance candidates(Page page, SchoolPages.CandidatesView v);

    public static native TemplateInstance classes(Page page, SchoolPages.ClassesView v);

    public static native TemplateInstance ranking(Page page, SchoolPages.RankingView v);

    public static native TemplateInstance reconciliation(Page page, SchoolPages.ReconciliationView v);

    public static native TemplateInstance district(Page page, DistrictPages.DistrictView v);

    public static native TemplateInstance job(Page page, DistrictPages.JobPage v);

    public static native TemplateInstance audit(Page page, AuditPage.AuditView v);

    public static native TemplateInstance admin(Page page, AdminPage.AdminView v);
}
