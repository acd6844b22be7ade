package kz.baga.service.i18n;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import kz.baga.service.error.BadParameterException;

/** Languages of charts and reports: kk, ru (default), en — from {@code ?lang=} or Accept-Language. */
public final class Lang {

    public static final List<String> SUPPORTED = List.of("kk", "ru", "en");

    private Lang() {
    }

    public static String resolve(String param, List<Locale> acceptable) {
        if (param != null && !param.isBlank()) {
            String l = param.trim().toLowerCase(Locale.ROOT);
            if (!SUPPORTED.contains(l)) {
                throw new BadParameterException("lang", "lang must be one of kk, ru, en (got '" + param + "')");
            }
            return l;
        }
        if (acceptable != null) {
            for (Locale loc : acceptable) {
                String l = loc.getLanguage().toLowerCase(Locale.ROOT);
                if (l.equals("kz")) {
                    l = "kk";
                }
                if (SUPPORTED.contains(l)) {
                    return l;
                }
            }
        }
        return "ru";
    }

    private static final Map<String, String[]> TEXT = Map.ofEntries(
            // key -> kk, ru, en
            Map.entry("pupil.report", new String[]{"Оқушының тоқсандық есебі", "Отчёт ученика за четверть", "Pupil term report"}),
            Map.entry("district.report", new String[]{"Аудандық есеп", "Отчёт по району", "District report"}),
            Map.entry("medal.candidates", new String[]{"Медальға үміткерлер", "Кандидаты на медали", "Medal candidates"}),
            Map.entry("pupil", new String[]{"Оқушы", "Ученик", "Pupil"}),
            Map.entry("class", new String[]{"Сынып", "Класс", "Class"}),
            Map.entry("school", new String[]{"Мектеп", "Школа", "School"}),
            Map.entry("district", new String[]{"Аудан", "Район", "District"}),
            Map.entry("year", new String[]{"Оқу жылы", "Учебный год", "Academic year"}),
            Map.entry("term", new String[]{"Тоқсан", "Четверть", "Term"}),
            Map.entry("term.n", new String[]{"%d-тоқсан", "%d четверть", "Term %d"}),
            Map.entry("year.whole", new String[]{"Жылдық", "Год", "Year"}),
            Map.entry("subject", new String[]{"Пән", "Предмет", "Subject"}),
            Map.entry("annual", new String[]{"Жылдық", "Годовая", "Annual"}),
            Map.entry("exam", new String[]{"Емтихан", "Экзамен", "Exam"}),
            Map.entry("final", new String[]{"Қорытынды", "Итоговая", "Final"}),
            Map.entry("marks", new String[]{"Бағалар", "Оценки", "Marks"}),
            Map.entry("place", new String[]{"Сыныптағы орны", "Место в классе", "Place in class"}),
            Map.entry("place.of", new String[]{"%d орын (%d оқушының ішінде)", "%d место из %d", "%d of %d"}),
            Map.entry("class.avg", new String[]{"Сынып орташасы", "Среднее по классу", "Class average"}),
            Map.entry("avg.mark", new String[]{"Орташа баға", "Средний балл", "Average mark"}),
            Map.entry("medals", new String[]{"Марапаттар мәртебесі", "Статус наград", "Award status"}),
            Map.entry("award", new String[]{"Марапат", "Награда", "Award"}),
            Map.entry("status", new String[]{"Мәртебе", "Статус", "Status"}),
            Map.entry("reasons", new String[]{"Себептер", "Причины", "Reasons"}),
            Map.entry("dynamics", new String[]{"Үлгерім динамикасы", "Динамика успеваемости", "Grade dynamics"}),
            Map.entry("pupil.line", new String[]{"Оқушы", "Ученик", "Pupil"}),
            Map.entry("pct", new String[]{"Нәтиже, %", "Результат, %", "Result, %"}),
            Map.entry("period", new String[]{"Кезең", "Период", "Period"}),
            Map.entry("quality", new String[]{"Білім сапасы, %", "Качество знаний, %", "Quality, %"}),
            Map.entry("success", new String[]{"Үлгерім, %", "Успеваемость, %", "Success rate, %"}),
            Map.entry("sou", new String[]{"ОДБ (СОУ), %", "СОУ, %", "Degree of learning, %"}),
            Map.entry("pupils.n", new String[]{"Оқушылар", "Учеников", "Pupils"}),
            Map.entry("change", new String[]{"Өзгеріс", "Изменение", "Change"}),
            Map.entry("by.school", new String[]{"Мектептер бойынша", "По школам", "By school"}),
            Map.entry("by.grade", new String[]{"Параллельдер бойынша", "По параллелям", "By grade level"}),
            Map.entry("by.subject", new String[]{"Пәндер бойынша", "По предметам", "By subject"}),
            Map.entry("grade", new String[]{"Параллель", "Параллель", "Grade"}),
            Map.entry("all", new String[]{"Барлығы", "Все", "All"}),
            Map.entry("suppressed.note", new String[]{"«<5» — 5 оқушыдан аз топтардың көрсеткіштері жасырылған; оқушылардың аты-жөні көрсетілмейді.",
                    "«<5» — показатели групп менее 5 учеников скрыты; имена учеников не приводятся.",
                    "\"<5\": cells describing fewer than 5 pupils are suppressed; no pupil names are shown."}),
            Map.entry("footer", new String[]{"Дереккөз: снимок %s, ережелер нұсқасы %s · Baga",
                    "Источник: снимок %s, версия правил %s · Baga", "Source: snapshot %s, rules version %s · Baga"}),
            Map.entry("quality.chart", new String[]{"Мектептер бойынша сапа және үлгерім", "Качество и успеваемость по школам",
                    "Quality and success rate by school"}),
            Map.entry("status.ON_TRACK", new String[]{"Жолда", "На пути", "On track"}),
            Map.entry("status.AT_RISK", new String[]{"Қауіп бар", "Под угрозой", "At risk"}),
            Map.entry("status.LOST", new String[]{"Жоғалтты", "Утрачено", "Lost"}),
            Map.entry("status.INCOMPLETE", new String[]{"Деректер толық емес", "Данные неполные", "Incomplete"}),
            Map.entry("award.ALTYN_BELGI", new String[]{"«Алтын белгі»", "«Алтын белгі»", "Altyn Belgi"}),
            Map.entry("award.HONOURS_11", new String[]{"Үздік аттестат", "Аттестат с отличием", "11th-grade honours"}),
            Map.entry("award.HONOURS_9", new String[]{"Үздік куәлік", "Свидетельство с отличием", "9th-grade honours"}),
            Map.entry("none", new String[]{"жоқ", "нет", "none"}),
            Map.entry("source.switch", new String[]{"%s → %s ауысуы", "переход %s → %s", "%s → %s switch"}),
            Map.entry("source.note", new String[]{"%s: мектеп %s жүйесінен %s жүйесіне көшті (графикте белгіленген).",
                    "%s: школа перешла с %s на %s (отмечено на графике).",
                    "%s: the school moved from %s to %s (marked on the chart)."}),
            Map.entry("by.subject.dynamics", new String[]{"Пәндер бойынша", "По предметам", "By subject"}),
            Map.entry("solid", new String[]{"тұтас сызық", "сплошная линия", "solid line"}),
            Map.entry("dashed", new String[]{"үзік сызық", "пунктир", "dashed line"}),
            Map.entry("issue", new String[]{"Түрі", "Вид", "Issue"}),
            Map.entry("detail", new String[]{"Толығырақ", "Подробно", "Detail"})
    );

    private static final String[][] MONTHS = {
            {"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
                    "қараша", "желтоқсан"},
            {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
                    "ноябрь", "декабрь"},
            {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                    "November", "December"}};

    // Kazakh has no customary abbreviations of month names: short labels use the full names
    private static final String[][] MONTHS_SHORT = {
            MONTHS[0],
            {"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}};

    private static int index(String lang) {
        return switch (lang) {
            case "kk" -> 0;
            case "en" -> 2;
            default -> 1;
        };
    }

    /** The month's name (1-12) in {@code lang}, full or short (kk is always full). */
    public static String month(String lang, int month, boolean full) {
        return (full ? MONTHS : MONTHS_SHORT)[index(lang)][month - 1];
    }

    /** "14 қаңтар" / "14 янв" / "14 Jan": a day on a chart axis or in a sentence about a period. */
    public static String dayMonth(String lang, java.time.LocalDate d) {
        // with a day Russian wants the genitive, which differs from the short form only in May
        String m = "ru".equals(lang) && d.getMonthValue() == 5 ? "мая" : month(lang, d.getMonthValue(), false);
        return d.getDayOfMonth() + " " + m;
    }

    /** "14 қаңтар 2026" / "14 янв 2026" / "14 Jan 2026". */
    public static String date(String lang, java.time.LocalDate d) {
        return dayMonth(lang, d) + " " + d.getYear();
    }

    /** "қаңтар 2026" / "январь 2026" / "January 2026". */
    public static String monthYear(String lang, java.time.YearMonth m) {
        return month(lang, m.getMonthValue(), true) + " " + m.getYear();
    }

    public static String t(String lang, String key, Object... args) {
        String[] v = TEXT.get(key);
        if (v == null) {
            return key;
        }
        String s = switch (lang) {
            case "kk" -> v[0];
            case "en" -> v[2];
            default -> v[1];
        };
        return args.length == 0 ? s : String.format(s, args);
    }
}
