package kz.baga.service.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import kz.baga.service.warehouse.SchoolModel.ReasonDetail;
import org.junit.jupiter.api.Test;

/** Medal reasons and reconciliation findings rendered from their structure, in kk, ru and en. */
class ReasonsTest {

    private static final Map<String, String[]> SUBJECTS = Map.of(
            "INF", new String[]{"Информатика", "Информатика", "Computer science"},
            "ALG", new String[]{"Алгебра", "Алгебра", "Algebra"},
            "KAZ", new String[]{"Қазақ тілі", "Казахский язык", "Kazakh"});

    private static Function<String, String> names(String lang) {
        int i = switch (lang) {
            case "kk" -> 0;
            case "ru" -> 1;
            default -> 2;
        };
        return c -> SUBJECTS.get(c)[i];
    }

    /** Every code with the fields the pipeline fills for it (MedalEligibility). */
    private static List<ReasonDetail> everyCode() {
        return List.of(
                new ReasonDetail("ANNUAL_BELOW_TOP", "INF", "2022-2023", null, 4, null, null),
                new ReasonDetail("FINAL_BELOW_TOP", "ALG", "2025-2026", null, 4, null, null),
                new ReasonDetail("ANNUAL_CANNOT_REACH_TOP", "ALG", "2025-2026", null, 4, null, null),
                new ReasonDetail("TERM_BELOW_TOP", "ALG", "2025-2026", null, 5, null, null),
                new ReasonDetail("TERM_BELOW_TOP", "KAZ", "2025-2026", 2, 4, new BigDecimal("79.5000"), null),
                new ReasonDetail("RUNNING_TOTAL_BELOW_TOP", "ALG", "2025-2026", 3, 4, new BigDecimal("81.2500"),
                        new BigDecimal("3.2500")),
                new ReasonDetail("RUNNING_TOTAL_CLOSE", "INF", "2025-2026", 3, 5, new BigDecimal("86.9500"),
                        new BigDecimal("1.0500")),
                new ReasonDetail("MISSING_YEAR", "ALL", "2022-2023", 0, null, null, null),
                new ReasonDetail("MISSING_TERM", "KAZ", "2024-2025", 2, null, null, null));
    }

    @Test
    void everyMedalCodeRendersInEveryLanguageWithoutEnglishInKkAndRu() {
        assertThat(everyCode().stream().map(ReasonDetail::code).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(Reasons.MEDAL_CODES);
        for (ReasonDetail d : everyCode()) {
            for (String lang : Lang.SUPPORTED) {
                String text = Reasons.detail(d, lang, names(lang));
                assertThat(text).as(d.code() + " " + lang).isNotBlank().doesNotContain(d.code()).doesNotContain("null");
                if (!lang.equals("en")) {
                    assertThat(text).as(d.code() + " " + lang).doesNotContainPattern("[A-Za-z]");
                }
            }
        }
        for (String lang : List.of("kk", "ru")) {
            assertThat(Reasons.medal(List.of(), "every mark so far meets the condition", lang, names(lang)))
                    .doesNotContainPattern("[A-Za-z]");
        }
    }

    @Test
    void workedExamples() {
        ReasonDetail annual = everyCode().get(0);
        assertThat(Reasons.detail(annual, "ru", names("ru"))).isEqualTo("Информатика, 2022-2023: годовая оценка 4");
        assertThat(Reasons.detail(annual, "kk", names("kk"))).isEqualTo("Информатика, 2022-2023: жылдық баға 4");
        assertThat(Reasons.detail(annual, "en", names("en"))).isEqualTo("Computer science, 2022-2023: annual mark 4");

        ReasonDetail close = everyCode().get(6);
        assertThat(Reasons.detail(close, "ru", names("ru")))
                .isEqualTo("Информатика, 2025-2026, 3 четверть: текущий итог 86,9 %, на 1,1 п. ниже 88 %");
        assertThat(Reasons.detail(close, "kk", names("kk")))
                .isEqualTo("Информатика, 2025-2026, 3-тоқсан: ағымдағы жиынтық 86,9 %, 88 %-дан 1,1 балл төмен");
        assertThat(Reasons.detail(close, "en", names("en")))
                .isEqualTo("Computer science, 2025-2026, term 3: running total 86.9 %, 1.1 points below 88 %");

        assertThat(Reasons.medal(List.of(everyCode().get(7), everyCode().get(8)), "ignored", "ru", names("ru")))
                .isEqualTo("2022-2023: нет ни одной оценки; Казахский язык, 2024-2025: нет оценки за 2 четверть");
        ReasonDetail alg = new ReasonDetail("MISSING_TERM", "ALG", "2025-2026", 2, null, null, null);
        ReasonDetail inf = new ReasonDetail("MISSING_TERM", "INF", "2025-2026", 2, null, null, null);
        assertThat(Reasons.medal(List.of(alg, everyCode().get(8), inf), "ignored", "kk", names("kk")))
                .isEqualTo("2025-2026, 2-тоқсанға баға жоқ: Алгебра, Информатика; "
                        + "Қазақ тілі, 2024-2025: 2-тоқсанға баға жоқ");
        assertThat(Reasons.medal(List.of(alg, inf), "ignored", "en", names("en")))
                .isEqualTo("2025-2026, no mark for term 2: Algebra, Computer science");
        assertThat(Reasons.medal(List.of(), "ignored", "kk", names("kk")))
                .isEqualTo("қазіргі барлық бағалар шартқа сай");
        assertThat(Reasons.medal(null, "english only", "kk", names("kk"))).as("a snapshot without reason_details")
                .isEqualTo("english only");
    }

    /** The detail shapes the pipeline writes (Gaps, TermGrades, AnnualGrades, Pipeline). */
    private static final List<String[]> FINDINGS = List.of(
            new String[]{"GAP", "ALG", "2", "no mark for term 2 while term 3 has one"},
            new String[]{"GAP", "ALL", "0", "no marks at all for 2022-2023 (grade 8)"},
            new String[]{"CONFLICT", "ALG", "1",
                    "certified term mark 4 (kundelik) stands; computed from assessments: 5 (total 86.2500 %)"},
            new String[]{"CONFLICT", "ALG", "2", "sources disagree on the term mark: 4, 5; the latest (bilimclass) stands"},
            new String[]{"CONFLICT", "ALG", "0", "certified annual mark 5 (kundelik) stands; the term marks give 4"},
            new String[]{"CONFLICT", "ALG", "0", "sources disagree on the annual mark: 4, 5; the latest (kundelik) stands"},
            new String[]{"DUPLICATE", "KAZ", "3",
                    "bilimclass event E-17 delivered 2 times; kept the version recorded at 2026-01-14 10:00:00 (score 12)"},
            new String[]{"CONFLICT", "KAZ", "3", "a shape this service does not know"});

    @Test
    void everyFindingShapeInEveryLanguage() {
        for (String[] f : FINDINGS) {
            for (String lang : Lang.SUPPORTED) {
                String text = Reasons.finding(f[0], f[1], "2025-2026", Integer.parseInt(f[2]), f[3], lang, names(lang));
                assertThat(text).as(f[3] + " " + lang).isNotBlank();
                if (!lang.equals("en")) {
                    // platform names and event ids stay as they are
                    assertThat(text.replace("Kundelik", "").replace("BilimClass", "").replace("E-17", ""))
                            .as(f[3] + " " + lang).doesNotContainPattern("[A-Za-z]");
                }
            }
        }
        assertThat(Reasons.finding("GAP", "ALG", "2025-2026", 2, FINDINGS.get(0)[3], "ru", names("ru")))
                .isEqualTo("нет оценки за 2 четверть, хотя за 3 четверть есть");
        assertThat(Reasons.finding("CONFLICT", "ALG", "2025-2026", 1, FINDINGS.get(2)[3], "kk", names("kk")))
                .isEqualTo("бекітілген тоқсандық баға 4 (Kundelik) күшінде; бағалаулар бойынша 5 (жиынтық 86,3 %)");
        assertThat(Reasons.finding("CONFLICT", "KAZ", "2025-2026", 3, FINDINGS.get(7)[3], "ru", names("ru")))
                .isEqualTo("Расхождение: Казахский язык, 2025-2026, 3 четверть");
        assertThat(Reasons.issue("DUPLICATE", "kk")).isEqualTo("Қайталану");
    }

    @Test
    void monthsInTheReadersLanguage() {
        var d = java.time.LocalDate.of(2026, 1, 14);
        assertThat(Lang.date("kk", d)).isEqualTo("14 қаңтар 2026");
        assertThat(Lang.date("ru", d)).isEqualTo("14 янв 2026");
        assertThat(Lang.date("en", d)).isEqualTo("14 Jan 2026");
        assertThat(Lang.monthYear("ru", java.time.YearMonth.of(2026, 5))).isEqualTo("май 2026");
        assertThat(Lang.month("kk", 9, false)).isEqualTo("қыркүйек");
    }
}
