package kz.baga.sample;

import kz.baga.contract.Iin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one synthetic district: the "platform switch" scenario of the current academic year (terms 1–2 in the
 * old platform Kundelik's journal, as works and certified term marks; terms 3–4 as works on BilimClass), history
 * of earlier years for grades 9–11, final exams, corrections, re-entered terms, gaps and bad rows.
 *
 * <p>Everything is drawn from {@link Rng} streams derived from the seed, in a fixed order, so the same options
 * give the same bytes. Events are streamed through {@link ByteSink}s; only one school's pupils are in memory.
 */
final class Generator {

    static final String[] CLASS_LETTERS = {"А", "Ә", "Б", "В", "Г", "Д", "Е", "Ж", "З", "И", "К", "Л", "М", "Н", "О"};

    static final String[][] DISTRICTS = {
            {"ALM-AUEZOV", "Әуезов ауданы", "Ауэзовский район"},
            {"ALM-BOSTANDYK", "Бостандық ауданы", "Бостандыкский район"},
            {"ALM-ALMALY", "Алмалы ауданы", "Алмалинский район"},
            {"ALM-MEDEU", "Медеу ауданы", "Медеуский район"},
            {"ALM-ZHETYSU", "Жетісу ауданы", "Жетысуский район"},
            {"ALM-TURKSIB", "Түрксіб ауданы", "Турксибский район"},
            {"ALM-NAURYZBAY", "Наурызбай ауданы", "Наурызбайский район"},
            {"ALM-ALATAU", "Алатау ауданы", "Алатауский район"}};

    static final Charset CP1251 = Charset.forName("windows-1251");

    static final String EVENTS_HEADER = "source,event_id,academic_year,iin,school_id,class_label,grade_level,"
            + "subject_code,term,kind,score,max_score,event_date,recorded_at";

    static final String KUNDELIK_HEADER =
            "Код;Учебный год;ИИН;Школа;Параллель;Предмет;Четверть;Вид оценки;Оценка;Макс. балл;Дата;Изменено";

    /** Canonical column → Kundelik column, in the manifest's order. */
    static final String[][] KUNDELIK_COLUMNS = {
            {"event_id", "Код"}, {"academic_year", "Учебный год"}, {"iin", "ИИН"}, {"school_id", "Школа"},
            {"grade_level", "Параллель"}, {"subject_code", "Предмет"}, {"term", "Четверть"},
            {"kind", "Вид оценки"}, {"score", "Оценка"}, {"max_score", "Макс. балл"}, {"event_date", "Дата"},
            {"recorded_at", "Изменено"}};

    /** The kinds of bad row, written in turn (docs/pipeline.md: rows that break a rule go to rejected_events). */
    enum BadType {
        WRONG_CHECK_DIGIT, IMPOSSIBLE_BIRTH_DATE, SCORE_ABOVE_MAX, FO_OUT_OF_RANGE, UNKNOWN_SUBJECT,
        UNKNOWN_SCHOOL, DATE_OUTSIDE_YEAR, WRONG_COLUMN_COUNT, UNPARSEABLE_NUMBER, TERM_5, UNKNOWN_KIND
    }

    record Summary(int schools, int pupils, long events, long bilimclassEvents, long kundelikEvents,
                   long corrections, long kundelikConflicts, long badRows, long[] badByType, long bytes) {
    }

    private static final int[] GRADE9_ELECTIVES = {idx("PHYS"), idx("CHEM"), idx("BIO"), idx("GEOG"),
            idx("WORLD_HIST"), idx("INF")};
    private static final int[] GRADE11_ELECTIVES = {idx("PHYS"), idx("CHEM"), idx("BIO"), idx("GEOG"),
            idx("WORLD_HIST"), idx("INF"), idx("ENG")};

    private static final byte[] K_FO = ascii("FO");
    private static final byte[] K_SOR = ascii("SOR");
    private static final byte[] K_SOCH = ascii("SOCH");
    private static final byte[] K_EXAM = ascii("EXAM");
    private static final byte[] KD_TERM = "Четвертная".getBytes(CP1251);
    private static final byte[] KD_YEAR = "Годовая".getBytes(CP1251);
    private static final byte[] KD_EXAM = "Экзамен".getBytes(CP1251);
    /** Kundelik's names of the works, indexed by KIND_FO, KIND_SOR, KIND_SOCH. */
    private static final byte[][] KD_WORKS = {"ФО".getBytes(CP1251), "СОР".getBytes(CP1251), "СОЧ".getBytes(CP1251)};

    /** Share of Kundelik works corrected later, as on BilimClass. */
    private static final double KD_CORRECTION_RATE = 0.002;
    /** Share of Kundelik term marks certified one off the works' mark (CONFLICTs in the reconciliation). */
    private static final double KD_CONFLICT_RATE = 0.004;

    private static final int KIND_FO = 0;
    private static final int KIND_SOR = 1;
    private static final int KIND_SOCH = 2;

    private final Options o;
    private final PrintStream progress;
    private final int y1;
    private final String yearLabel;
    private final byte[] yearBytes;
    private final byte[][] subjCode = new byte[Subject.ALL.size()][];
    private final byte[][] subjRu1251 = new byte[Subject.ALL.size()][];

    /** Calendar cache: epoch day → yyyymmdd, for the years the district can mention. */
    private final long dayBase;
    private final int[] ymd;
    /** IIN serial counters per birth date (index: epoch day − dayBase). */
    private final int[] serials;

    /** School days (Mon–Fri) of the current year's quarters 1–4 and half-years (index 0 = first half). */
    private final int[][] quarterDays = new int[4][];
    private final int[][] halfDays = new int[2][];

    // counters
    private long bcEvents;
    private long kdEvents;
    private long corrections;
    private long kdConflicts;
    private long badRows;
    private final long[] badByType = new long[BadType.values().length];
    private int pupilsTotal;

    Generator(Options options, PrintStream progress) {
        this.o = options;
        this.progress = progress;
        this.y1 = options.firstYear();
        this.yearLabel = options.academicYear();
        this.yearBytes = ascii(yearLabel);
        for (int i = 0; i < Subject.ALL.size(); i++) {
            subjCode[i] = ascii(Subject.ALL.get(i).code());
            subjRu1251[i] = Subject.ALL.get(i).nameRu().getBytes(CP1251);
        }
        LocalDate from = LocalDate.of(y1 - 20, 1, 1);
        LocalDate to = LocalDate.of(y1 + 3, 12, 31);
        dayBase = from.toEpochDay();
        ymd = new int[(int) (to.toEpochDay() - dayBase + 1)];
        for (int i = 0; i < ymd.length; i++) {
            LocalDate d = LocalDate.ofEpochDay(dayBase + i);
            ymd[i] = d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth();
        }
        serials = new int[ymd.length];
        quarterDays[0] = schoolDays(LocalDate.of(y1, 9, 1), LocalDate.of(y1, 10, 26));
        quarterDays[1] = schoolDays(LocalDate.of(y1, 11, 3), LocalDate.of(y1, 12, 28));
        quarterDays[2] = schoolDays(LocalDate.of(y1 + 1, 1, 8), LocalDate.of(y1 + 1, 3, 20));
        quarterDays[3] = schoolDays(LocalDate.of(y1 + 1, 3, 30), LocalDate.of(y1 + 1, 5, 25));
        halfDays[0] = concat(quarterDays[0], quarterDays[1]);
        halfDays[1] = concat(quarterDays[2], quarterDays[3]);
    }

    // ------------------------------------------------------------------------------------------------ model

    static final class Pupil {
        String iin;
        String lastName;
        String firstName;
        String middleName;
        int birthDay;
        boolean male;
        int grade;
        String label;
        double ability;
        double trend;
        boolean excellent;
        double[] offset;
        byte[] bcMid;
        byte[] iinBytes;
        // scenario flags
        boolean term2Gap;
        int reentrySubject = -1;
        boolean conflict;
        int historyGapGrade;
        boolean injectFour;
    }

    /** One class's plan of assessments for one subject and term (the whole class sits them on the same days). */
    static final class TermPlan {
        int subject;
        int term;
        int[] foDays;
        int[] sorMax;
        int[] sorDays;
        int sochMax;
        int sochDay;
        int markDay;
    }

    static final class SchoolClass {
        int grade;
        String label;
        List<Pupil> pupils = new ArrayList<>();
        List<TermPlan> plans = new ArrayList<>();
    }

    // ------------------------------------------------------------------------------------------------ run

    Summary generate() throws IOException {
        Path out = o.out();
        Path events = out.resolve("events");
        Path kundelik = out.resolve("sources").resolve("kundelik");
        Files.createDirectories(events);
        Files.createDirectories(kundelik);
        deleteStale(events, "bilimclass-*.csv");
        deleteStale(kundelik, "kundelik-*.csv");

        Rng root = new Rng(o.seed());
        String[][] schools = schools(root);
        writeText(out.resolve("schools.csv"), schoolsCsv(schools));
        writeText(out.resolve("subjects.csv"), subjectsCsv());
        writeText(kundelik.resolve("manifest.json"), manifest());

        List<Path> written = new ArrayList<>();
        written.add(out.resolve("schools.csv"));
        written.add(out.resolve("subjects.csv"));
        written.add(kundelik.resolve("manifest.json"));
        Path studentsPath = out.resolve("students.csv");
        written.add(studentsPath);
        try (ByteSink students = new ByteSink(Files.newOutputStream(studentsPath))) {
            students.put(utf8("iin,last_name,first_name,middle_name,birth_date,sex,school_id,class_label,"
                    + "grade_level,academic_year\n"));
            for (int s = 0; s < schools.length; s++) {
                String id = schools[s][0];
                Path bc = events.resolve("bilimclass-" + id + ".csv");
                Path kd = kundelik.resolve("kundelik-" + id + ".csv");
                written.add(bc);
                written.add(kd);
                long before = bcEvents + kdEvents;
                int pupilsBefore = pupilsTotal;
                new School(s, id, Rng.derive(o.seed(), 1000L + s)).generate(students, bc, kd);
                progress.println(GenerateCommand.PREFIX + "school " + id + " (" + (s + 1) + "/" + schools.length
                        + "): " + (pupilsTotal - pupilsBefore) + " pupils, " + (bcEvents + kdEvents - before)
                        + " events");
            }
        }
        long bytes = 0;
        for (Path p : written) {
            bytes += Files.size(p);
        }
        return new Summary(schools.length, pupilsTotal, bcEvents + kdEvents, bcEvents, kdEvents, corrections,
                kdConflicts, badRows, badByType.clone(), bytes);
    }

    private static void deleteStale(Path dir, String glob) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path p : ds) {
                stale.add(p);
            }
        }
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
    }

    // ------------------------------------------------------------------------------------------------ static files

    /** Rows of {id, name_kk, name_ru, district_id, district_kk, district_ru}. */
    private String[][] schools(Rng rng) {
        int n = o.schools();
        int districts = Math.max(1, Math.min(DISTRICTS.length, (n + 1) / 2));
        int pool = Math.max(n, 200);
        int[] numbers = new int[pool];
        for (int i = 0; i < pool; i++) {
            numbers[i] = i + 1;
        }
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(pool - i);
            int t = numbers[i];
            numbers[i] = numbers[j];
            numbers[j] = t;
        }
        String[][] kinds = {
                {"жалпы білім беретін мектеп-гимназия", "Школа-гимназия"},
                {"жалпы білім беретін мектеп", "Общеобразовательная школа"},
                {"мектеп-лицей", "Школа-лицей"}};
        String[][] rows = new String[n][];
        for (int i = 0; i < n; i++) {
            String[] kind = kinds[rng.nextInt(kinds.length)];
            String[] d = DISTRICTS[i % districts];
            String id = "ALM-" + pad4(i + 1);
            rows[i] = new String[] {id, "№ " + numbers[i] + " " + kind[0], kind[1] + " № " + numbers[i], d[0], d[1], d[2]};
        }
        return rows;
    }

    private static String schoolsCsv(String[][] schools) {
        StringBuilder sb = new StringBuilder("school_id,name_kk,name_ru,district_id,district_name_kk,district_name_ru\n");
        for (String[] r : schools) {
            csvRow(sb, r);
        }
        return sb.toString();
    }

    private static String subjectsCsv() {
        StringBuilder sb = new StringBuilder("subject_code,name_kk,name_ru,name_en,assessment\n");
        for (Subject s : Subject.ALL) {
            csvRow(sb, new String[] {s.code(), s.nameKk(), s.nameRu(), s.nameEn(), s.assessment().name()});
        }
        return sb.toString();
    }

    /** The Kundelik manifest (see README.md): maps the export's columns and values onto the canonical event. */
    static String manifest() {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n");
        sb.append("  \"source\": \"kundelik\",\n");
        sb.append("  \"type\": \"csv\",\n");
        sb.append("  \"files\": \"kundelik-*.csv\",\n");
        sb.append("  \"encoding\": \"windows-1251\",\n");
        sb.append("  \"delimiter\": \";\",\n");
        sb.append("  \"header\": true,\n");
        sb.append("  \"dateFormat\": \"dd.MM.yyyy\",\n");
        sb.append("  \"timestampFormat\": \"dd.MM.yyyy HH:mm:ss\",\n");
        sb.append("  \"decimalSeparator\": \",\",\n");
        sb.append("  \"columns\": {\n");
        for (int i = 0; i < KUNDELIK_COLUMNS.length; i++) {
            sb.append("    ").append(json(KUNDELIK_COLUMNS[i][0])).append(": ").append(json(KUNDELIK_COLUMNS[i][1]));
            sb.append(i + 1 < KUNDELIK_COLUMNS.length ? ",\n" : "\n");
        }
        sb.append("  },\n");
        sb.append("  \"constants\": { \"source\": \"kundelik\" },\n");
        sb.append("  \"valueMaps\": {\n");
        sb.append("    \"subject_code\": {\n");
        TreeMap<String, String> subjects = new TreeMap<>();
        for (Subject s : Subject.ALL) {
            subjects.put(s.nameRu(), s.code());
        }
        int i = 0;
        for (Map.Entry<String, String> e : subjects.entrySet()) {
            sb.append("      ").append(json(e.getKey())).append(": ").append(json(e.getValue()));
            sb.append(++i < subjects.size() ? ",\n" : "\n");
        }
        sb.append("    },\n");
        sb.append("    \"kind\": { \"Годовая\": \"YEAR\", \"СОР\": \"SOR\", \"СОЧ\": \"SOCH\", \"ФО\": \"FO\", "
                + "\"Четвертная\": \"TERM\", \"Экзамен\": \"EXAM\" }\n");
        sb.append("  }\n");
        sb.append("}\n");
        return sb.toString();
    }

    private static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static void csvRow(StringBuilder sb, String[] fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(csv(fields[i]));
        }
        sb.append('\n');
    }

    static String csv(String f) {
        if (f.indexOf(',') < 0 && f.indexOf('"') < 0 && f.indexOf('\n') < 0 && f.indexOf('\r') < 0) {
            return f;
        }
        return '"' + f.replace("\"", "\"\"") + '"';
    }

    private static void writeText(Path p, String text) throws IOException {
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------ one school

    private final class School {
        final int index;
        final String id;
        final Rng rng;
        final List<SchoolClass> classes = new ArrayList<>();
        final byte[] bcPrefix;
        final byte[] kdPrefix;
        final byte[] kdMidSchool;
        long bcSeq;
        long kdSeq;
        long nextBad;
        long nextCorrection;
        long nextDuplicate;
        long nextKdCorrection;
        long nextKdConflict;
        int excellentSeen;
        ByteSink bc;
        ByteSink kd;
        ByteSink deferred;
        ByteSink kdDeferred;

        School(int index, String id, Rng rng) {
            this.index = index;
            this.id = id;
            this.rng = rng;
            this.bcPrefix = ascii("bilimclass,bc-" + id + "-");
            this.kdPrefix = ascii("kd-" + id + "-");
            this.kdMidSchool = ascii(";" + id + ";");
        }

        void generate(ByteSink students, Path bcPath, Path kdPath) throws IOException {
            buildClasses();
            for (SchoolClass c : classes) {
                for (Pupil p : c.pupils) {
                    writeStudent(students, p);
                }
            }
            chooseScenarios();
            nextBad = gap(o.badRate());
            nextCorrection = gap(0.002);
            nextDuplicate = gap(0.001);
            nextKdCorrection = gap(KD_CORRECTION_RATE);
            nextKdConflict = gap(KD_CONFLICT_RATE);
            ByteArrayOutputStream corrections = new ByteArrayOutputStream();
            ByteArrayOutputStream kdCorrections = new ByteArrayOutputStream();
            try (ByteSink b = new ByteSink(Files.newOutputStream(bcPath), 1 << 20);
                 ByteSink k = new ByteSink(Files.newOutputStream(kdPath), 1 << 18)) {
                bc = b;
                kd = k;
                deferred = new ByteSink(corrections, 1 << 12);
                kdDeferred = new ByteSink(kdCorrections, 1 << 12);
                bc.put(utf8(EVENTS_HEADER + "\n"));
                kd.put(KUNDELIK_HEADER.concat("\n").getBytes(CP1251));
                for (SchoolClass c : classes) {
                    for (Pupil p : c.pupils) {
                        pupil(c, p);
                    }
                }
                deferred.flush();
                bc.put(corrections.toByteArray());
                kdDeferred.flush();
                kd.put(kdCorrections.toByteArray());
            }
        }

        private void buildClasses() {
            for (int g : o.grades()) {
                for (int ci = 0; ci < o.classesPerGrade(); ci++) {
                    SchoolClass c = new SchoolClass();
                    c.grade = g;
                    c.label = g + CLASS_LETTERS[ci];
                    boolean kazakhClass = ci % 2 == 1 || rng.chance(0.5);
                    int size = rng.between(o.pupilsMin(), o.pupilsMax());
                    int guaranteedExcellent = rng.nextInt(size);
                    for (int k = 0; k < size; k++) {
                        c.pupils.add(newPupil(c, kazakhClass, k == guaranteedExcellent || rng.chance(0.02)));
                    }
                    if (g >= 2) {
                        for (Subject s : Subject.markedFor(g)) {
                            int si = Subject.ALL.indexOf(s);
                            if (s.assessment() == Subject.Assessment.QUARTER) {
                                for (int t = 1; t <= 4; t++) {
                                    c.plans.add(plan(si, t, quarterDays[t - 1], false));
                                }
                            } else {
                                c.plans.add(plan(si, 2, halfDays[0], true));
                                c.plans.add(plan(si, 4, halfDays[1], true));
                            }
                        }
                    }
                    classes.add(c);
                }
            }
        }

        private TermPlan plan(int subject, int term, int[] days, boolean halfYear) {
            TermPlan p = new TermPlan();
            p.subject = subject;
            p.term = term;
            int n = rng.between(10, 15);
            p.foDays = sampleSorted(days, 0, days.length - 6, n);
            int sors = rng.between(2, 3);
            p.sorMax = new int[sors];
            p.sorDays = new int[sors];
            for (int i = 0; i < sors; i++) {
                p.sorMax[i] = new int[] {10, 15, 20}[rng.nextInt(3)];
                int centre = (int) ((long) days.length * (i + 1) / (sors + 1));
                p.sorDays[i] = days[Math.max(0, Math.min(days.length - 6, centre + rng.between(-3, 3)))];
            }
            boolean noSoch = halfYear && rng.chance(0.15);
            p.sochMax = noSoch ? 0 : (rng.chance(0.5) ? 20 : 25);
            p.sochDay = days[days.length - 1 - rng.between(1, 5)];
            p.markDay = days[days.length - 1];
            return p;
        }

        private int[] sampleSorted(int[] days, int from, int to, int n) {
            int len = to - from;
            n = Math.min(n, len);
            int[] idx = new int[len];
            for (int i = 0; i < len; i++) {
                idx[i] = from + i;
            }
            for (int i = 0; i < n; i++) {
                int j = i + rng.nextInt(len - i);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = days[idx[i]];
            }
            Arrays.sort(out);
            return out;
        }

        private Pupil newPupil(SchoolClass c, boolean kazakhClass, boolean excellent) {
            Pupil p = new Pupil();
            p.grade = c.grade;
            p.label = c.label;
            p.male = rng.chance(0.5);
            boolean kazakhName = rng.chance(kazakhClass ? 0.92 : 0.55);
            int sexIdx = p.male ? 0 : 1;
            if (kazakhName) {
                p.firstName = rng.pick(p.male ? Names.KZ_MALE : Names.KZ_FEMALE);
                p.lastName = Names.KZ_SURNAMES[rng.nextInt(Names.KZ_SURNAMES.length)][sexIdx];
                p.middleName = rng.chance(0.15) ? "" : rng.pick(Names.KZ_FATHERS) + (p.male ? "ұлы" : "қызы");
            } else {
                p.firstName = rng.pick(p.male ? Names.RU_MALE : Names.RU_FEMALE);
                p.lastName = Names.RU_SURNAMES[rng.nextInt(Names.RU_SURNAMES.length)][sexIdx];
                p.middleName = rng.chance(0.1) ? "" : Names.RU_PATRONYMICS[rng.nextInt(Names.RU_PATRONYMICS.length)][sexIdx];
            }
            // age 6 on 1 September of the grade-1 year: born Sep (Y1-6-g) .. Aug (Y1-5-g)
            LocalDate from = LocalDate.of(y1 - 6 - c.grade, 9, 1);
            LocalDate to = LocalDate.of(y1 - 5 - c.grade, 8, 31);
            int span = (int) (to.toEpochDay() - from.toEpochDay() + 1);
            LocalDate birth = from.plusDays(rng.nextInt(span));
            p.birthDay = (int) birth.toEpochDay();
            p.iin = nextIin(birth, p.male);
            p.iinBytes = ascii(p.iin);
            p.excellent = excellent;
            if (excellent) {
                p.ability = 0.93 + 0.05 * rng.nextDouble();
                p.trend = 0;
            } else {
                p.ability = clamp(0.72 + 0.12 * rng.noise(), 0.25, 0.97);
                p.trend = 0.004 * rng.noise();
            }
            p.offset = new double[Subject.ALL.size()];
            for (int i = 0; i < p.offset.length; i++) {
                p.offset[i] = (excellent ? 0.01 : 0.05) * rng.noise();
            }
            p.bcMid = utf8("," + p.iin + "," + id + "," + p.label + "," + p.grade + ",");
            pupilsTotal++;
            return p;
        }

        private void writeStudent(ByteSink s, Pupil p) throws IOException {
            StringBuilder sb = new StringBuilder(128);
            csvRow(sb, new String[] {p.iin, p.lastName, p.firstName, p.middleName, iso(p.birthDay),
                    p.male ? "M" : "F", id, p.label, Integer.toString(p.grade), yearLabel});
            s.put(utf8(sb.toString()));
        }

        /** Picks the pupils of this school's special cases (at least one of each where the school has candidates). */
        private void chooseScenarios() {
            List<Pupil> marked = new ArrayList<>();
            List<Pupil> senior = new ArrayList<>();
            for (SchoolClass c : classes) {
                for (Pupil p : c.pupils) {
                    if (p.grade >= 2) {
                        marked.add(p);
                    }
                    if (p.grade >= 9) {
                        senior.add(p);
                    }
                    if (p.excellent && p.grade >= 2) {
                        if (excellentSeen++ % 3 == 1) {
                            p.injectFour = true;
                        }
                    }
                }
            }
            shuffle(marked);
            int n = marked.size();
            int gaps = n == 0 ? 0 : Math.max(1, (int) Math.round(0.01 * n));
            int reentries = n < 2 ? 0 : Math.max(2, (int) Math.round(0.02 * n));
            int i = 0;
            for (; i < Math.min(gaps, n); i++) {
                marked.get(i).term2Gap = true;
            }
            int conflicts = (reentries + 1) / 2;
            for (int done = 0; i < n && done < reentries; i++) {
                Pupil p = marked.get(i);
                if (p.excellent) {
                    continue;
                }
                List<Subject> subjects = Subject.markedFor(p.grade);
                p.reentrySubject = Subject.ALL.indexOf(subjects.get(rng.nextInt(subjects.size())));
                p.conflict = done < conflicts;
                done++;
            }
            shuffle(senior);
            int historyGaps = senior.isEmpty() ? 0 : Math.max(1, (int) Math.round(0.01 * senior.size()));
            for (int k = 0; k < historyGaps; k++) {
                Pupil p = senior.get(k);
                p.historyGapGrade = rng.between(5, p.grade - 1);
            }
        }

        private void shuffle(List<Pupil> list) {
            for (int i = list.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Pupil t = list.get(i);
                list.set(i, list.get(j));
                list.set(j, t);
            }
        }

        // -------------------------------------------------------------------------------------------- events

        private final int[] evKind = new int[64];
        private final int[] evScore = new int[64];
        private final int[] evMax = new int[64];
        private final int[] evDay = new int[64];
        /** A СОР/СОЧ score with half a point more than {@code evScore} (Kundelik only). */
        private final boolean[] evHalf = new boolean[64];
        private int evCount;

        private void pupil(SchoolClass c, Pupil p) throws IOException {
            if (p.grade < 2) {
                return; // grade 1 is not marked
            }
            int injectSubject = -1;
            // Annual marks of every earlier year from grade 5: a gap in them is reported, so all pupils past grade 5 get them.
            boolean hasHistory = p.grade > 5;
            if (p.injectFour && !hasHistory) {
                List<Subject> subjects = Subject.markedFor(p.grade);
                injectSubject = Subject.ALL.indexOf(subjects.get(rng.nextInt(subjects.size())));
            }
            for (TermPlan plan : c.plans) {
                int term = plan.term;
                double level = level(p, plan.subject, term - 1);
                simulate(p, plan, level);
                if (term <= 2) {
                    if (term == 2 && p.term2Gap) {
                        continue;
                    }
                    boolean reentered = term == 2 && plan.subject == p.reentrySubject;
                    if (!reentered) {
                        halfPoints(); // BilimClass re-enters whole points only, so re-entered works keep them
                    }
                    kundelikWorks(p, plan);
                    // The certified mark is the teacher's: by the rules from the final works, except a few.
                    int mark = mark();
                    int kdMark = mark;
                    if (term == 1 && plan.subject == injectSubject) {
                        kdMark = 4;
                    }
                    if (reentered) {
                        if (p.conflict) {
                            kdMark = neighbour(mark);
                        }
                        writeSimulated(p, plan, true);
                    } else if (!p.excellent && --nextKdConflict <= 0) {
                        // excellent pupils are the medal scenarios, which choose their own 4s
                        nextKdConflict = gap(KD_CONFLICT_RATE);
                        kdMark = neighbour(mark);
                    }
                    if (kdMark != mark) {
                        kdConflicts++;
                    }
                    kdRow(p, yearBytes, p.grade, plan.subject, term, KD_TERM, kdMark, plan.markDay);
                } else {
                    writeSimulated(p, plan, false);
                }
            }
            if (p.grade == 9 || p.grade == 11) {
                int[] exams = examSubjects(p.grade);
                for (int k = 0; k < exams.length; k++) {
                    int day = examDay(y1 + 1, k + (p.grade == 11 ? 1 : 0));
                    int m = markOf(level(p, exams[k], 3) + (p.excellent ? 0.02 : 0.06) * rng.noise());
                    bcEvent(p, exams[k], 4, K_EXAM, m, 5, day, day, time());
                    afterEvent(p, exams[k], 4, K_EXAM, m, 5, day, false);
                }
            }
            if (hasHistory) {
                history(p);
            }
        }

        private void history(Pupil p) throws IOException {
            int injectGrade = -1;
            int injectSubject = -1;
            if (p.injectFour) {
                injectGrade = rng.between(5, p.grade - 1);
                if (injectGrade == p.historyGapGrade) {
                    injectGrade = injectGrade == 5 ? 6 : 5;
                }
                List<Subject> subjects = Subject.markedFor(injectGrade);
                injectSubject = Subject.ALL.indexOf(subjects.get(rng.nextInt(subjects.size())));
            }
            for (int hg = 5; hg < p.grade; hg++) {
                if (hg == p.historyGapGrade) {
                    continue;
                }
                int hy1 = y1 - (p.grade - hg);
                byte[] hyBytes = ascii(Options.yearLabel(hy1));
                int yearDay = lastWeekday(LocalDate.of(hy1 + 1, 5, 25));
                int termIndex = -4 * (p.grade - hg) + 2;
                for (Subject s : Subject.markedFor(hg)) {
                    int si = Subject.ALL.indexOf(s);
                    int m = markOf(level(p, si, termIndex) + (p.excellent ? 0.015 : 0.04) * rng.noise());
                    if (hg == injectGrade && si == injectSubject) {
                        m = 4;
                    }
                    kdRow(p, hyBytes, hg, si, 4, KD_YEAR, m, yearDay);
                }
                if (hg == 9) {
                    int[] exams = examSubjects(9);
                    for (int k = 0; k < exams.length; k++) {
                        int m = markOf(level(p, exams[k], termIndex) + (p.excellent ? 0.02 : 0.06) * rng.noise());
                        kdRow(p, hyBytes, 9, exams[k], 4, KD_EXAM, m, examDay(hy1 + 1, k));
                    }
                }
            }
        }

        private int[] examSubjects(int grade) {
            boolean elective = rng.chance(0.85);
            int[] out = new int[elective ? 4 : 3];
            out[0] = idx("KAZ_LANG");
            out[1] = idx("ALG");
            if (grade == 9) {
                out[2] = rng.chance(0.5) ? idx("RUS_LANG") : idx("ENG");
                if (elective) {
                    out[3] = GRADE9_ELECTIVES[rng.nextInt(GRADE9_ELECTIVES.length)];
                }
            } else {
                out[2] = idx("HIST_KZ");
                if (elective) {
                    out[3] = GRADE11_ELECTIVES[rng.nextInt(GRADE11_ELECTIVES.length)];
                }
            }
            return out;
        }

        /** Draws one pupil's assessments of a term plan into the event buffer. */
        private void simulate(Pupil p, TermPlan plan, double level) {
            double sd = p.excellent ? 0.6 : 1.0;
            evCount = 0;
            int[] fo = plan.foDays;
            for (int i = 0; i < fo.length; i++) {
                if (rng.chance(0.07) && !(i == fo.length - 1 && evCount == 0)) {
                    continue; // absent that day
                }
                int score = (int) Math.round(10 * (level + 0.12 * sd * rng.noise()));
                add(KIND_FO, Math.max(1, Math.min(10, score)), 10, fo[i]);
            }
            for (int i = 0; i < plan.sorMax.length; i++) {
                int max = plan.sorMax[i];
                int pts = (int) Math.round(max * (level + 0.09 * sd * rng.noise()));
                add(KIND_SOR, Math.max(0, Math.min(max, pts)), max, plan.sorDays[i]);
            }
            if (plan.sochMax > 0) {
                int max = plan.sochMax;
                int pts = (int) Math.round(max * (level + 0.08 * sd * rng.noise()));
                add(KIND_SOCH, Math.max(0, Math.min(max, pts)), max, plan.sochDay);
            }
        }

        private void add(int kind, int score, int max, int day) {
            evKind[evCount] = kind;
            evScore[evCount] = score;
            evHalf[evCount] = false;
            evMax[evCount] = max;
            evDay[evCount] = day;
            evCount++;
        }

        /** Some СОР/СОЧ papers are marked in half points, as Kundelik allows (written with a decimal comma). */
        private void halfPoints() {
            for (int i = 0; i < evCount; i++) {
                if (evKind[i] != KIND_FO && rng.chance(0.15)) {
                    if (evScore[i] == evMax[i]) {
                        evScore[i]--;
                    }
                    evHalf[i] = true;
                }
            }
        }

        /**
         * The term mark of the event buffer (the rules file's term weights), in exact integer arithmetic. Every quantity is
         * counted in half points, which leaves each percentage unchanged and keeps half-point scores integral.
         */
        private int mark() {
            long foSum = 0;
            long foN = 0;
            long sorSum = 0;
            long sorMax = 0;
            long soch = 0;
            long sochMax = 0;
            for (int i = 0; i < evCount; i++) {
                long score = 2L * evScore[i] + (evHalf[i] ? 1 : 0);
                switch (evKind[i]) {
                    case KIND_FO -> {
                        foSum += score;
                        foN += 2;
                    }
                    case KIND_SOR -> {
                        sorSum += score;
                        sorMax += 2L * evMax[i];
                    }
                    default -> {
                        soch += score;
                        sochMax += 2L * evMax[i];
                    }
                }
            }
            return termMark(foSum, foN, sorSum, sorMax, soch, sochMax);
        }

        /** A certified mark one off the computed one, still 2–5. */
        private int neighbour(int mark) {
            return mark == 5 ? 4 : mark == 2 ? 3 : mark + (rng.chance(0.5) ? 1 : -1);
        }

        /**
         * The event buffer as Kundelik's journal rows. A few works are corrected later: the first version stays
         * in place and the correction (same code, later change time, the final score) goes to the end of the file.
         */
        private void kundelikWorks(Pupil p, TermPlan plan) throws IOException {
            for (int i = 0; i < evCount; i++) {
                long seq = ++kdSeq;
                int score = evScore[i];
                boolean half = evHalf[i];
                int day = evDay[i];
                byte[] kind = KD_WORKS[evKind[i]];
                if (--nextKdCorrection <= 0) {
                    nextKdCorrection = gap(KD_CORRECTION_RATE);
                    int min = evKind[i] == KIND_FO ? 1 : 0;
                    int first = score + (rng.chance(0.5) ? 1 : -1);
                    int firstHalves = 2 * first + (half ? 1 : 0);
                    if (firstHalves < 2 * min || firstHalves > 2 * evMax[i]) {
                        first = score - (first - score);
                    }
                    kdLine(kd, seq, p, yearBytes, p.grade, plan.subject, plan.term, kind, first, half, evMax[i], day,
                            day, time());
                    kdLine(kdDeferred, seq, p, yearBytes, p.grade, plan.subject, plan.term, kind, score, half,
                            evMax[i], day, day + 1 + rng.nextInt(3), time());
                    corrections++;
                } else {
                    kdLine(kd, seq, p, yearBytes, p.grade, plan.subject, plan.term, kind, score, half, evMax[i], day,
                            day, time());
                }
            }
        }

        private void writeSimulated(Pupil p, TermPlan plan, boolean reentered) throws IOException {
            byte[][] kinds = {K_FO, K_SOR, K_SOCH};
            int recordDay = reentered ? (int) LocalDate.of(y1 + 1, 1, 12).toEpochDay() + rng.nextInt(10) : 0;
            for (int i = 0; i < evCount; i++) {
                byte[] kind = kinds[evKind[i]];
                int day = evDay[i];
                int rec = reentered ? recordDay : day;
                int sec = time();
                bcEvent(p, plan.subject, plan.term, kind, evScore[i], evMax[i], day, rec, sec);
                afterEvent(p, plan.subject, plan.term, kind, evScore[i], evMax[i], day, !reentered);
                if (!reentered && evKind[i] == KIND_FO && --nextDuplicate <= 0) {
                    nextDuplicate = gap(0.001);
                    bcEvent(p, plan.subject, plan.term, kind, evScore[i], evMax[i], day, rec, sec);
                }
            }
        }

        private int time() {
            return 14 * 3600 + rng.nextInt(6 * 3600);
        }

        /** Corrections and bad rows that may follow a canonical event. */
        private void afterEvent(Pupil p, int subject, int term, byte[] kind, int score, int max, int day,
                                boolean correctable) throws IOException {
            if (correctable && --nextCorrection <= 0) {
                nextCorrection = gap(0.002);
                int corrected = score + (rng.chance(0.5) ? 1 : -1);
                int min = kind == K_FO ? 1 : 0;
                if (corrected > max || corrected < min) {
                    corrected = score - (corrected - score);
                }
                int recDay = day + 1 + rng.nextInt(3);
                writeBc(deferred, bcSeq, p, subject, term, kind, corrected, max, day, recDay, time());
                corrections++;
                bcEvents++;
            }
            if (--nextBad <= 0) {
                nextBad = gap(o.badRate());
                badRow(p, subject, term, kind, score, max, day);
            }
        }

        private void bcEvent(Pupil p, int subject, int term, byte[] kind, int score, int max, int day, int recDay,
                             int sec) throws IOException {
            writeBc(bc, ++bcSeq, p, subject, term, kind, score, max, day, recDay, sec);
            bcEvents++;
        }

        private void writeBc(ByteSink s, long seq, Pupil p, int subject, int term, byte[] kind, int score, int max,
                             int day, int recDay, int sec) throws IOException {
            s.put(bcPrefix).putInt(seq).put(',').put(yearBytes).put(p.bcMid).put(subjCode[subject]).put(',')
                    .putInt(term).put(',').put(kind).put(',').putInt(score).put(',').putInt(max).put(',');
            putIso(s, day);
            s.put(',');
            putIso(s, recDay);
            s.put(' ').putTime(sec).put('\n');
        }

        /** A certified mark (term, year, exam): out of 5, recorded on its day. */
        private void kdRow(Pupil p, byte[] year, int grade, int subject, int term, byte[] kind, int mark, int day)
                throws IOException {
            kdLine(kd, ++kdSeq, p, year, grade, subject, term, kind, mark, false, 5, day, day, time());
        }

        private void kdLine(ByteSink s, long seq, Pupil p, byte[] year, int grade, int subject, int term, byte[] kind,
                            int score, boolean half, int max, int day, int recDay, int sec) throws IOException {
            s.put(kdPrefix).putInt(seq).put(';').put(year).put(';').put(p.iinBytes).put(kdMidSchool)
                    .putInt(grade).put(';').put(subjRu1251[subject]).put(';').putInt(term).put(';').put(kind)
                    .put(';').putInt(score);
            if (half) {
                s.put(',').put('5');
            }
            s.put(';').putInt(max).put(';');
            putDmy(s, day);
            s.put(';');
            putDmy(s, recDay);
            s.put(' ').putTime(sec).put('\n');
            kdEvents++;
        }

        private void badRow(Pupil p, int subject, int term, byte[] kind, int score, int max, int day)
                throws IOException {
            BadType type = BadType.values()[(int) (badRows % BadType.values().length)];
            String[] f = {"bilimclass", "bc-" + id + "-" + (++bcSeq), yearLabel, p.iin, id, p.label,
                    Integer.toString(p.grade), Subject.ALL.get(subject).code(), Integer.toString(term),
                    new String(kind, StandardCharsets.US_ASCII), Integer.toString(score), Integer.toString(max),
                    iso(day), iso(day) + " " + hms(time())};
            switch (type) {
                case WRONG_CHECK_DIGIT -> {
                    int d = p.iin.charAt(11) - '0';
                    f[3] = p.iin.substring(0, 11) + (d + 1 + rng.nextInt(9)) % 10;
                }
                case IMPOSSIBLE_BIRTH_DATE -> f[3] = impossibleIin(p.iin);
                case SCORE_ABOVE_MAX -> {
                    if (kind == K_FO) {
                        f[9] = "SOR"; // an FO above 10 would be FO_OUT_OF_RANGE; a SOR with max 10 is not
                    }
                    f[10] = Integer.toString(max + 1 + rng.nextInt(5));
                }
                case FO_OUT_OF_RANGE -> {
                    f[9] = "FO";
                    f[10] = (badByType[type.ordinal()] % 2 == 0) ? "0" : "11";
                    f[11] = "10";
                }
                case UNKNOWN_SUBJECT -> f[7] = new String[] {"ASTRONOMY", "CHESS", "XYZ"}[rng.nextInt(3)];
                case UNKNOWN_SCHOOL -> f[4] = "ALM-9" + pad4(rng.nextInt(10000)).substring(1);
                case DATE_OUTSIDE_YEAR -> {
                    int shifted = day + (rng.chance(0.5) ? 400 : -400);
                    f[12] = iso(shifted);
                    f[13] = iso(shifted) + " " + hms(time());
                }
                case WRONG_COLUMN_COUNT -> {
                    if (badByType[type.ordinal()] % 2 == 0) {
                        String[] shorter = new String[f.length - 1];
                        System.arraycopy(f, 0, shorter, 0, 10);
                        System.arraycopy(f, 11, shorter, 10, f.length - 11);
                        f = shorter; // the score is missing
                    } else {
                        String[] longer = Arrays.copyOf(f, f.length + 1);
                        longer[f.length] = "extra";
                        f = longer;
                    }
                }
                case UNPARSEABLE_NUMBER -> f[10] = "abc";
                case TERM_5 -> f[8] = "5";
                case UNKNOWN_KIND -> f[9] = new String[] {"HOMEWORK", "QUIZ", "BONUS"}[rng.nextInt(3)];
                default -> throw new IllegalStateException(type.name());
            }
            StringBuilder sb = new StringBuilder(160);
            csvRow(sb, f);
            bc.put(utf8(sb.toString()));
            badByType[type.ordinal()]++;
            badRows++;
            bcEvents++;
        }

        /** Mean spacing 1/rate, uniform between 1 and 2/rate − 1 (never for rate 0). */
        private long gap(double rate) {
            if (rate <= 0) {
                return Long.MAX_VALUE;
            }
            double mean = 1.0 / rate;
            return 1 + (long) (rng.nextDouble() * Math.max(0, 2 * mean - 1));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The pupil's expected share of the maximum in a subject, {@code termIndex} terms after term 1 of this year. */
    private static double level(Pupil p, int subject, double termIndex) {
        return clamp(p.ability + p.offset[subject] + p.trend * termIndex, 0.02, 0.995);
    }

    /**
     * The term-mark rule: FO% 25 %, pooled SOR% 25 %, SOCH% 50 % (50/50 without a СОЧ); total rounded half-up to a
     * whole percent; 0–39 → 2, 40–64 → 3, 65–84 → 4, 85–100 → 5.
     */
    static int termMark(long foSum, long foN, long sorSum, long sorMax, long soch, long sochMax) {
        long num;
        long den;
        if (sochMax > 0) {
            den = 10 * foN * sorMax * sochMax;
            num = 25 * foSum * sorMax * sochMax + 25 * sorSum * 10 * foN * sochMax + 50 * soch * 10 * foN * sorMax;
        } else {
            den = 10 * foN * sorMax;
            num = 50 * foSum * sorMax + 50 * sorSum * 10 * foN;
        }
        long pct = (2 * num + den) / (2 * den);
        return markOfPercent((int) pct);
    }

    static int markOfPercent(int pct) {
        return pct >= 85 ? 5 : pct >= 65 ? 4 : pct >= 40 ? 3 : 2;
    }

    private static int markOf(double share) {
        return markOfPercent((int) Math.floor(100 * share + 0.5));
    }

    private String nextIin(LocalDate birth, boolean male) {
        int i = (int) (birth.toEpochDay() - dayBase);
        while (true) {
            int serial = ++serials[i];
            if (serial > 9999) {
                throw new IllegalStateException("more than 9999 pupils born on " + birth);
            }
            String iin = Iin.of(birth, male, serial);
            if (iin != null) {
                if (!Iin.isValid(iin)) {
                    throw new IllegalStateException("generated an invalid IIN " + iin);
                }
                return iin;
            }
        }
    }

    /** The same IIN with an impossible birth month (13–19) and a check digit that matches, so only the date is wrong. */
    private static String impossibleIin(String iin) {
        for (int month = 13; month <= 19; month++) {
            String first11 = iin.substring(0, 2) + month + iin.substring(4, 11);
            int c = Iin.checkDigit(first11);
            if (c >= 0) {
                return first11 + c;
            }
        }
        return iin.substring(0, 2) + "13" + iin.substring(4);
    }

    private int[] schoolDays(LocalDate from, LocalDate to) {
        List<Integer> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                days.add((int) d.toEpochDay());
            }
        }
        return days.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int lastWeekday(LocalDate d) {
        while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
            d = d.minusDays(1);
        }
        return (int) d.toEpochDay();
    }

    /** The k-th exam day of June in a calendar year: every third day from 1 June, moved off weekends. */
    private static int examDay(int year, int k) {
        LocalDate d = LocalDate.of(year, 6, 1).plusDays(3L * k);
        while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
            d = d.plusDays(1);
        }
        return (int) d.toEpochDay();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private void putIso(ByteSink s, int day) throws IOException {
        int v = ymd[(int) (day - dayBase)];
        s.putInt(v / 10000).put('-').put2(v / 100 % 100).put('-').put2(v % 100);
    }

    private void putDmy(ByteSink s, int day) throws IOException {
        int v = ymd[(int) (day - dayBase)];
        s.put2(v % 100).put('.').put2(v / 100 % 100).put('.').putInt(v / 10000);
    }

    private String iso(int day) {
        int v = ymd[(int) (day - dayBase)];
        return (v / 10000) + "-" + pad2(v / 100 % 100) + "-" + pad2(v % 100);
    }

    private static String hms(int sec) {
        return pad2(sec / 3600) + ":" + pad2(sec / 60 % 60) + ":" + pad2(sec % 60);
    }

    private static String pad2(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static String pad4(int v) {
        String s = Integer.toString(v);
        return "0000".substring(s.length()) + s;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static int idx(String code) {
        return Subject.ALL.indexOf(Subject.byCode(code));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
