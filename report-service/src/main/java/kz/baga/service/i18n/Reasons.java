package kz.baga.service.i18n;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import kz.baga.service.warehouse.SchoolModel.ReasonDetail;

/**
 * Medal reasons and reconciliation findings in the reader's language (kk, ru, en), built from the structured
 * columns the pipeline writes, never from its English text: {@code reason_details} of {@code medal_eligibility},
 * and issue + subject + year + term (+ the detail's known shapes) of {@code reconciliation}.
 */
public final class Reasons {

    /** The medal finding codes the pipeline writes ({@code MedalEligibility}), each rendered below. */
    public static final List<String> MEDAL_CODES = List.of("ANNUAL_BELOW_TOP", "FINAL_BELOW_TOP",
            "ANNUAL_CANNOT_REACH_TOP", "TERM_BELOW_TOP", "RUNNING_TOTAL_BELOW_TOP", "RUNNING_TOTAL_CLOSE",
            "MISSING_YEAR", "MISSING_TERM");

    /** The marks of the award conditions (docs/rules.md §4); the pipeline's rules do not reach the service. */
    private static final int TOP = 5;

    private Reasons() {
    }

    // ------------------------------------------------------------------ medal statuses

    /**
     * The reasons of one medal status, findings joined by "; ". {@code details} null means the snapshot has no
     * {@code reason_details} (then the pipeline's English text is all there is); an empty list is a status with
     * no finding (ON_TRACK).
     *
     * @param subjectName code → the subject's name in {@code lang} (e.g. {@code c -> snap.subjectName(c, lang)})
     */
    public static String medal(List<ReasonDetail> details, String englishText, String lang,
                               Function<String, String> subjectName) {
        if (details == null) {
            return englishText;
        }
        if (details.isEmpty()) {
            return pick(lang, "қазіргі барлық бағалар шартқа сай", "все оценки на сегодня соответствуют условию",
                    "every mark so far meets the condition");
        }
        // a term missing in many subjects (marks left on another platform) reads as one finding listing them
        Map<String, List<ReasonDetail>> missing = new java.util.LinkedHashMap<>();
        for (ReasonDetail d : details) {
            if ("MISSING_TERM".equals(d.code()) && d.term() != null) {
                missing.computeIfAbsent(d.academicYear() + "|" + d.term(), k -> new ArrayList<>()).add(d);
            }
        }
        List<String> parts = new ArrayList<>(details.size());
        for (ReasonDetail d : details) {
            List<ReasonDetail> group = "MISSING_TERM".equals(d.code()) && d.term() != null
                    ? missing.get(d.academicYear() + "|" + d.term()) : null;
            if (group == null || group.size() < 2) {
                parts.add(detail(d, lang, subjectName));
            } else if (group.get(0) == d) {
                StringBuilder names = new StringBuilder();
                for (ReasonDetail g : group) {
                    names.append(names.length() == 0 ? "" : ", ").append(subjectName.apply(g.subjectCode()));
                }
                parts.add(d.academicYear() + ", " + pick(lang, d.term() + "-тоқсанға баға жоқ",
                        "нет оценки за " + d.term() + " четверть", "no mark for term " + d.term()) + ": " + names);
            }
        }
        return String.join("; ", parts);
    }

    /** One finding behind a medal status. */
    public static String detail(ReasonDetail d, String lang, Function<String, String> subjectName) {
        String where = where(d.subjectCode(), d.academicYear(), null, lang, subjectName);
        String whereTerm = where(d.subjectCode(), d.academicYear(), d.term(), lang, subjectName);
        String code = d.code() == null ? "" : d.code();
        return switch (code) {
            case "ANNUAL_BELOW_TOP" -> where + ": " + pick(lang, "жылдық баға ", "годовая оценка ", "annual mark ")
                    + mark(d.mark());
            case "FINAL_BELOW_TOP" -> where + ": " + pick(lang, "қорытынды баға ", "итоговая оценка ", "final mark ")
                    + mark(d.mark());
            case "ANNUAL_CANNOT_REACH_TOP" -> where + ": " + pick(lang,
                    "жылдық баға енді " + TOP + " бола алмайды (ең жоғарысы " + mark(d.mark()) + ")",
                    "годовая уже не может быть " + TOP + " (в лучшем случае " + mark(d.mark()) + ")",
                    "the annual mark can no longer be " + TOP + " (at best " + mark(d.mark()) + ")");
            // without a term: an annual-only award that keeps its 5 only with a 5 in every open term (AT_RISK);
            // with one: a finished term mark below 5 for «Алтын белгі» (LOST)
            case "TERM_BELOW_TOP" -> d.term() == null
                    ? where + ": " + pick(lang, "қалған тоқсандардың бәрі " + TOP + " болуы тиіс",
                    "все оставшиеся четверти должны быть на " + TOP, "every remaining term must be " + TOP)
                    : whereTerm + ": " + pick(lang, "баға ", "оценка ", "mark ") + mark(d.mark());
            case "RUNNING_TOTAL_BELOW_TOP" -> whereTerm + pick(lang, " (ТЖБ әлі жоқ): ағымдағы жиынтық ",
                    " (СОЧ ещё не написан): текущий итог ", " (open, no СОЧ yet): running total ")
                    + pct(d.pct(), false, lang) + " %" + pick(lang, ", әзірге " + mark(d.mark()) + "; "
                            + TOP + " үшін тағы " + pct(d.pointsShort(), true, lang) + " балл керек",
                    ", пока " + mark(d.mark()) + "; до " + TOP + " не хватает " + pct(d.pointsShort(), true, lang)
                            + " п.",
                    " gives " + mark(d.mark()) + " so far; " + pct(d.pointsShort(), true, lang)
                            + " points short of a " + TOP);
            case "RUNNING_TOTAL_CLOSE" -> whereTerm + ": " + pick(lang, "ағымдағы жиынтық ", "текущий итог ",
                    "running total ") + pct(d.pct(), false, lang) + " %, " + closeTail(d, lang);
            case "MISSING_YEAR" -> where + ": " + pick(lang, "бірде-бір баға жоқ", "нет ни одной оценки",
                    "no marks at all");
            case "MISSING_TERM" -> where + ": " + (d.term() == null ? pick(lang, "тоқсан бағасы жоқ",
                    "нет оценки за четверть", "a term has no mark") : pick(lang,
                    d.term() + "-тоқсанға баға жоқ", "нет оценки за " + d.term() + " четверть",
                    "no mark for term " + d.term()));
            // a code this service does not know yet: what the structure says, in the reader's language
            default -> whereTerm + ": " + pick(lang, "себеп ", "причина ", "reason ") + code
                    + (d.mark() == null ? "" : ", " + pick(lang, "баға ", "оценка ", "mark ") + d.mark());
        };
    }

    /** "2 п. ниже 88 %": the margin is the total plus the points short. */
    private static String closeTail(ReasonDetail d, String lang) {
        String by = pct(d.pointsShort(), true, lang);
        String margin = d.pct() == null || d.pointsShort() == null ? "?"
                : number(d.pct().add(d.pointsShort()).stripTrailingZeros(), lang);
        return pick(lang, margin + " %-дан " + by + " балл төмен", "на " + by + " п. ниже " + margin + " %",
                by + " points below " + margin + " %");
    }

    // ------------------------------------------------------------------ reconciliation findings

    /** CONFLICT / GAP / DUPLICATE as a short label. */
    public static String issue(String issue, String lang) {
        return switch (issue == null ? "" : issue) {
            case "CONFLICT" -> pick(lang, "Қайшылық", "Расхождение", "Conflict");
            case "GAP" -> pick(lang, "Олқылық", "Пропуск", "Gap");
            case "DUPLICATE" -> pick(lang, "Қайталану", "Дубликат", "Duplicate");
            default -> issue;
        };
    }

    private static final Pattern GAP_TERM = Pattern.compile("no mark for term (\\d+) while term (\\d+) has one");
    private static final Pattern GAP_YEAR = Pattern.compile("no marks at all for (\\S+) \\(grade (\\d+)\\)");
    private static final Pattern CERTIFIED_TERM = Pattern.compile(
            "certified term mark (\\d+) \\(([^)]*)\\) stands; computed from assessments: (\\d+) \\(total ([-\\d.]+) %\\)");
    private static final Pattern CERTIFIED_ANNUAL = Pattern.compile(
            "certified annual mark (\\d+) \\(([^)]*)\\) stands; the term marks give (\\d+)");
    private static final Pattern DISAGREE = Pattern.compile(
            "sources disagree on the (term|annual) mark: (.*); the latest \\(([^)]*)\\) stands");
    private static final Pattern DUPLICATE = Pattern.compile(
            "(\\S+) event (\\S+) delivered (\\d+) times; kept the version recorded at (.+) \\(score (.*)\\)");

    /**
     * A reconciliation finding's detail in {@code lang}. The table has no structured detail, so the shapes the
     * pipeline writes are recognised; anything else is described by its issue, subject, year and term only.
     */
    public static String finding(String issue, String subjectCode, String year, int term, String detail,
                                 String lang, Function<String, String> subjectName) {
        String d = detail == null ? "" : detail;
        Matcher m;
        if ((m = GAP_TERM.matcher(d)).matches()) {
            return pick(lang, m.group(1) + "-тоқсанға баға жоқ, ал " + m.group(2) + "-тоқсанда бар",
                    "нет оценки за " + m.group(1) + " четверть, хотя за " + m.group(2) + " четверть есть",
                    "no mark for term " + m.group(1) + " while term " + m.group(2) + " has one");
        }
        if ((m = GAP_YEAR.matcher(d)).matches()) {
            return pick(lang, m.group(1) + " оқу жылында (" + m.group(2) + "-сынып) бірде-бір баға жоқ",
                    "за " + m.group(1) + " учебный год (" + m.group(2) + " класс) нет ни одной оценки",
                    "no marks at all for " + m.group(1) + " (grade " + m.group(2) + ")");
        }
        if ((m = CERTIFIED_TERM.matcher(d)).matches()) {
            String src = source(m.group(2));
            String total = number(new BigDecimal(m.group(4)).setScale(1, RoundingMode.HALF_UP), lang);
            return pick(lang, "бекітілген тоқсандық баға " + m.group(1) + " (" + src + ") күшінде; бағалаулар бойынша "
                            + m.group(3) + " (жиынтық " + total + " %)",
                    "действует утверждённая оценка за четверть " + m.group(1) + " (" + src + "); по оцениваниям "
                            + m.group(3) + " (итог " + total + " %)",
                    "certified term mark " + m.group(1) + " (" + src + ") stands; computed from assessments: "
                            + m.group(3) + " (total " + total + " %)");
        }
        if ((m = CERTIFIED_ANNUAL.matcher(d)).matches()) {
            String src = source(m.group(2));
            return pick(lang, "бекітілген жылдық баға " + m.group(1) + " (" + src + ") күшінде; тоқсандық бағалар бойынша "
                            + m.group(3),
                    "действует утверждённая годовая оценка " + m.group(1) + " (" + src + "); по четвертным "
                            + m.group(3),
                    "certified annual mark " + m.group(1) + " (" + src + ") stands; the term marks give " + m.group(3));
        }
        if ((m = DISAGREE.matcher(d)).matches()) {
            boolean t = m.group(1).equals("term");
            String src = source(m.group(3));
            return pick(lang, "дереккөздер " + (t ? "тоқсандық" : "жылдық") + " бағада келіспейді: " + m.group(2)
                            + "; соңғысы (" + src + ") күшінде",
                    "источники расходятся в " + (t ? "оценке за четверть" : "годовой оценке") + ": " + m.group(2)
                            + "; действует последняя (" + src + ")",
                    "sources disagree on the " + m.group(1) + " mark: " + m.group(2) + "; the latest (" + src
                            + ") stands");
        }
        if ((m = DUPLICATE.matcher(d)).matches()) {
            String src = source(m.group(1));
            return pick(lang, src + ": " + m.group(2) + " жұмысы " + m.group(3) + " рет келді; " + m.group(4)
                            + " жазылған нұсқасы қалды (балл " + m.group(5) + ")",
                    src + ": работа " + m.group(2) + " пришла " + m.group(3) + " раз; оставлена версия от "
                            + m.group(4) + " (балл " + m.group(5) + ")",
                    src + " event " + m.group(2) + " delivered " + m.group(3) + " times; kept the version recorded at "
                            + m.group(4) + " (score " + m.group(5) + ")");
        }
        return issue(issue, lang) + ": " + where(subjectCode, year, term == 0 ? null : term, lang, subjectName);
    }

    // ------------------------------------------------------------------ pieces

    private static final Map<String, String> SOURCES = Map.of("kundelik", "Kundelik", "bilimclass", "BilimClass");

    /** A source's display name: "bilimclass" → "BilimClass" (names of platforms are not translated). */
    public static String source(String name) {
        if (name == null) {
            return "";
        }
        return SOURCES.getOrDefault(name.toLowerCase(Locale.ROOT), name);
    }

    /** "Алгебра, 2025-2026, 2 четверть"; the subject is left out for ALL (a finding about every subject). */
    private static String where(String subjectCode, String year, Integer term, String lang,
                                Function<String, String> subjectName) {
        StringBuilder b = new StringBuilder();
        if (subjectCode != null && !"ALL".equals(subjectCode)) {
            b.append(subjectName.apply(subjectCode));
        }
        if (year != null) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(year);
        }
        if (term != null && term > 0) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(Lang.t(lang, "term.n", term).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    private static String mark(Integer m) {
        return m == null ? "–" : String.valueOf(m);
    }

    /** One decimal, rounded down for a total and up for a shortfall (never "88.0 %, 0.1 below 88 %"). */
    private static String pct(BigDecimal v, boolean up, String lang) {
        if (v == null) {
            return "–";
        }
        return number(v.setScale(1, up ? RoundingMode.CEILING : RoundingMode.FLOOR), lang);
    }

    /** Decimal comma in kk and ru. */
    static String number(BigDecimal v, String lang) {
        String s = v.toPlainString();
        return "en".equals(lang) ? s : s.replace('.', ',');
    }

    private static String pick(String lang, String kk, String ru, String en) {
        return switch (lang) {
            case "kk" -> kk;
            case "en" -> en;
            default -> ru;
        };
    }
}
