package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import kz.baga.service.i18n.Lang;
import kz.baga.service.render.Charts;
import kz.baga.service.render.Pdfs;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.SchoolModel;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.junit.jupiter.api.Test;

/**
 * The pupil PDF as a reader sees it: no heading left without its content, labels in the report's language,
 * header words whole, and the platform switch on the dynamics charts. PDFs are also written to
 * {@code target/render-preview} for looking at.
 */
@QuarkusTest
class PupilReportTest {

    private static final Pattern ENGLISH_MONTH =
            Pattern.compile("\\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\b");

    @Inject
    Pdfs pdfs;

    @Inject
    Charts charts;

    @Inject
    ViewBuilder views;

    @Inject
    SnapshotRegistry snapshots;

    private static byte[] pdf(String lang, int term) {
        byte[] pdf = as("parent.premium").queryParam("term", term).queryParam("lang", lang)
                .get("/api/v1/students/" + Fixture.premiumChild() + "/report.pdf").then().statusCode(200).extract()
                .asByteArray();
        Preview.save("pupil-" + lang + "-term" + term + ".pdf", pdf);
        return pdf;
    }

    @Test
    void headingsStayWithTheirContentInEveryLanguage() {
        for (String lang : Lang.SUPPORTED) {
            for (int term : new int[]{3, 0}) {
                List<String> pages = Pdf.pages(pdf(lang, term));
                String firstSubject = as("parent.premium").queryParam("lang", lang)
                        .get("/api/v1/students/" + Fixture.premiumChild() + "/analytics").jsonPath()
                        .getString("dynamics[0].subjectName");
                Pdf.assertHeadingsKeepTheirContent(pages, lang, List.of(
                        new String[]{Lang.t(lang, "marks"), Lang.t(lang, "subject")},
                        new String[]{Lang.t(lang, "place"), Lang.t(lang, "place.of", 1, 1).substring(0, 1).isEmpty()
                                ? "" : ":"},
                        new String[]{Lang.t(lang, "medals"), Lang.t(lang, "award")},
                        new String[]{Lang.t(lang, "dynamics"), Lang.t(lang, "period")},
                        new String[]{Lang.t(lang, "by.subject.dynamics"), firstSubject}));
            }
        }
    }

    @Test
    void datesAndHeadersInTheReportsLanguage() {
        String ru = String.join("\n", Pdf.pages(pdf("ru", 3)));
        String kk = String.join("\n", Pdf.pages(pdf("kk", 3)));
        String en = String.join("\n", Pdf.pages(pdf("en", 3)));
        assertThat(ru).containsPattern("\\b(янв|фев|мар|апр|май|июн|сен|окт|ноя|дек)\\b");
        assertThat(kk).containsPattern("(қаңтар|ақпан|наурыз|сәуір|мамыр|қыркүйек|қазан|қараша|желтоқсан)");
        assertThat(en).containsPattern(ENGLISH_MONTH.pattern());
        assertThat(ru).doesNotContainPattern(ENGLISH_MONTH.pattern());
        assertThat(kk).doesNotContainPattern(ENGLISH_MONTH.pattern());
        // header words are whole (a narrow column would break "четверт|ь", "Қорытынд|ы")
        assertThat(ru).contains("четверть").contains("Итоговая").contains("Годовая");
        assertThat(kk).contains("тоқсан").contains("Қорытынды").contains("Жылдық");
        // reasons in the reader's language: no English sentence in kk or ru
        assertThat(ru).doesNotContain("every mark").doesNotContain("annual mark").doesNotContain("term marks");
        assertThat(kk).doesNotContain("every mark").doesNotContain("annual mark").doesNotContain("term marks");
    }

    /** The switch laid over the pupil's real points: the middle of the year's periods. */
    private LocalDate switchDate;

    /** The pupil's real points with a platform switch laid over them (Kundelik before it, BilimClass after). */
    private List<ViewBuilder.Point> switched(List<ViewBuilder.Point> points, boolean mixedMonth) {
        List<ViewBuilder.Point> out = new ArrayList<>();
        for (ViewBuilder.Point p : points) {
            List<String> src = p.periodStart().isBefore(switchDate) ? List.of("kundelik")
                    : mixedMonth && p.periodStart().getMonth() == switchDate.getMonth()
                    ? List.of("bilimclass", "kundelik") : List.of("bilimclass");
            out.add(new ViewBuilder.Point(p.periodStart(), p.avgPct(), p.classAvgPct(), p.events(), src));
        }
        return out;
    }

    @Test
    void platformSwitchOnChartsAndInThePdf() {
        Snapshot snap = snapshots.require();
        SchoolModel school = new SchoolModel(snap, Fixture.SCHOOL);
        String id = Fixture.premiumChild();
        SchoolModel.Student st = school.student(id);
        String year = st.academicYear();
        List<ViewBuilder.Point> overall = views.dynamics(school, id, year, "ALL");
        // the sample: Kundelik's journal up to December, BilimClass from January
        assertThat(overall).allSatisfy(p -> assertThat(p.sources()).containsExactly(
                p.periodStart().isBefore(LocalDate.of(2026, 1, 1)) ? "kundelik" : "bilimclass"));
        Charts.SourceSwitch real = Charts.sourceSwitch(overall);
        assertThat(real).isNotNull();
        assertThat(real.start()).isEqualTo(LocalDate.of(2026, 1, 1));
        // and laid over the same points elsewhere in the year, as a clean cut and as a month of both
        switchDate = overall.get(overall.size() / 2).periodStart();

        Charts.SourceSwitch cut = Charts.sourceSwitch(switched(overall, false));
        assertThat(cut).isNotNull();
        assertThat(cut.from()).containsExactly("kundelik");
        assertThat(cut.to()).containsExactly("bilimclass");
        assertThat(cut.start()).isEqualTo(cut.end()).isEqualTo(overall.stream().map(ViewBuilder.Point::periodStart)
                .filter(d -> !d.isBefore(switchDate)).findFirst().orElseThrow());
        Charts.SourceSwitch band = Charts.sourceSwitch(switched(overall, true));
        assertThat(band.end()).isAfter(band.start());
        assertThat(band.label("kk")).isEqualTo("Kundelik → BilimClass ауысуы");
        assertThat(band.label("ru")).isEqualTo("переход Kundelik → BilimClass");

        for (String lang : Lang.SUPPORTED) {
            String svg = charts.svg(charts.dynamics(switched(overall, true), "t", lang), 800, 400);
            assertThat(svg).contains(band.label(lang));
            Preview.save("dynamics-switch-" + lang + ".svg", svg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Preview.save("dynamics-switch-" + lang + ".png", charts.png(charts.dynamics(switched(overall, false), "t",
                    lang), 800, 400));

            ViewBuilder.Analytics a = views.analytics(snap, school, st, id, year, lang);
            List<ViewBuilder.SubjectDynamics> subjects = a.dynamics().stream()
                    .map(sd -> new ViewBuilder.SubjectDynamics(sd.subjectCode(), sd.subjectName(),
                            switched(sd.points(), true)))
                    .toList();
            ViewBuilder.Analytics withSwitch = new ViewBuilder.Analytics(a.studentId(), a.classLabel(), a.academicYear(),
                    a.snapshotId(), a.rulesVersion(), a.places(), subjects, a.medals());
            byte[] pdf = pdfs.pupilReport(new Pdfs.PupilReport(snap, lang, "school",
                    views.grades(snap, school, st, id, year, lang), withSwitch, 3, switched(overall, true)));
            Preview.save("pupil-switch-" + lang + ".pdf", pdf);
            // PDFBox sometimes splits a word after its first capital: compared without white space
            String text = String.join("", Pdf.pages(pdf)).replaceAll("\\s+", "");
            assertThat(text).contains(band.label(lang).replaceAll("\\s+", ""))
                    .contains(band.note(lang).replaceAll("\\s+", ""));
        }
    }
}
