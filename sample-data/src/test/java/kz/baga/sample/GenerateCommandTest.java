package kz.baga.sample;

import kz.baga.contract.Iin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTest {

    /** The command documented in README.md that produced the committed sample. */
    static final String SAMPLE_ARGS = "--schools 2 --grades 1,9,10,11 --classes-per-grade 1 --pupils 9-11 --seed 2026";
    static final Path SAMPLE = Path.of("district-small");
    static final Charset CP1251 = Charset.forName("windows-1251");

    @TempDir
    static Path tmp;

    static Path small;

    @BeforeAll
    static void generateSmall() {
        small = tmp.resolve("small");
        assertThat(gen(small, "--schools", "2", "--grades", "1,2,5,9,10,11", "--classes-per-grade", "2",
                "--pupils", "4-6", "--seed", "7")).isZero();
    }

    static int gen(Path out, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--out";
        all[1] = out.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return GenerateCommand.run(all, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
    }

    static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return files;
    }

    static void assertSameTree(Map<String, byte[]> a, Map<String, byte[]> b) {
        assertThat(a.keySet()).isEqualTo(b.keySet());
        for (String k : a.keySet()) {
            assertThat(Arrays.equals(a.get(k), b.get(k))).as("file %s identical", k).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------------ determinism

    @Test
    void sameSeedGivesSameBytesAndDifferentSeedDiffers() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        String[] args = {"--schools", "2", "--grades", "2,9,11", "--classes-per-grade", "1", "--pupils", "5-7"};
        assertThat(gen(a, args)).isZero();
        assertThat(gen(b, args)).isZero();
        String[] other = Arrays.copyOf(args, args.length + 2);
        other[args.length] = "--seed";
        other[args.length + 1] = "99";
        assertThat(gen(c, other)).isZero();
        assertSameTree(tree(a), tree(b));
        Map<String, byte[]> ta = tree(a);
        Map<String, byte[]> tc = tree(c);
        // the Kundelik journal draws from the seed as well: same seed same bytes, another seed other works
        assertThat(Arrays.equals(ta.get("sources/kundelik/kundelik-ALM-0001.csv"),
                tc.get("sources/kundelik/kundelik-ALM-0001.csv"))).isFalse();
        assertThat(Arrays.equals(ta.get("students.csv"), tc.get("students.csv"))).isFalse();
        assertThat(Arrays.equals(ta.get("events/bilimclass-ALM-0001.csv"), tc.get("events/bilimclass-ALM-0001.csv")))
                .isFalse();
    }

    @Test
    void committedSampleEqualsAFreshGeneration() throws IOException {
        assertThat(Files.readString(Path.of("README.md"))).contains(SAMPLE_ARGS);
        Path fresh = tmp.resolve("fresh");
        assertThat(gen(fresh, SAMPLE_ARGS.split(" "))).isZero();
        assertSameTree(tree(SAMPLE), tree(fresh));
        long total = tree(SAMPLE).values().stream().mapToLong(x -> x.length).sum();
        // The sample is committed: it must stay small for the repository.
        assertThat(total).isLessThanOrEqualTo(8L * 1024 * 1024);
    }

    @Test
    void overwritingAnExistingFolderRemovesStaleSchoolFiles() throws IOException {
        Path d = tmp.resolve("over");
        assertThat(gen(d, "--schools", "3", "--grades", "2", "--classes-per-grade", "1", "--pupils", "2")).isZero();
        assertThat(gen(d, "--schools", "1", "--grades", "2", "--classes-per-grade", "1", "--pupils", "2")).isZero();
        assertThat(tree(d).keySet()).containsExactly("events/bilimclass-ALM-0001.csv", "schools.csv",
                "sources/kundelik/kundelik-ALM-0001.csv", "sources/kundelik/manifest.json", "students.csv",
                "subjects.csv");
    }

    // ------------------------------------------------------------------------------------------------ contents

    record Student(String iin, String school, String label, int grade) {
    }

    static List<String[]> csv(Path p) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            rows.add(line.split(",", -1)); // the generator writes no quoted commas
        }
        return rows;
    }

    static Map<String, Student> students(Path dir) throws IOException {
        Map<String, Student> out = new HashMap<>();
        List<String[]> rows = csv(dir.resolve("students.csv"));
        assertThat(String.join(",", rows.get(0))).isEqualTo(
                "iin,last_name,first_name,middle_name,birth_date,sex,school_id,class_label,grade_level,academic_year");
        for (String[] r : rows.subList(1, rows.size())) {
            assertThat(r).hasSize(10);
            assertThat(Iin.isValid(r[0])).as("valid IIN %s", r[0]).isTrue();
            assertThat(Iin.birthDate(r[0])).isEqualTo(LocalDate.parse(r[4]));
            assertThat(Iin.sex(r[0])).isEqualTo(r[5]);
            assertThat(out.put(r[0], new Student(r[0], r[6], r[7], Integer.parseInt(r[8])))).as("unique %s", r[0])
                    .isNull();
        }
        return out;
    }

    @Test
    void studentsHaveValidUniqueIinsAndClassesWithinRange() throws IOException {
        Map<String, Student> st = students(small);
        Map<String, Integer> perClass = new TreeMap<>();
        for (Student s : st.values()) {
            perClass.merge(s.school() + "/" + s.label(), 1, Integer::sum);
        }
        assertThat(perClass).hasSize(2 * 6 * 2);
        assertThat(perClass.values()).allSatisfy(n -> assertThat(n).isBetween(4, 6));
        assertThat(perClass.keySet()).contains("ALM-0001/11А", "ALM-0001/11Ә", "ALM-0002/1А");
        Map<String, Student> sample = students(SAMPLE);
        assertThat(sample.values().stream().map(Student::school).distinct()).hasSize(2);
    }

    /** Why a canonical row would be rejected, or null if it is a good row. */
    static String reject(String[] r, Map<String, Student> st, Set<String> schools, Map<String, Subject> subjects,
                         int y1) {
        if (r.length != 14) {
            return "WRONG_COLUMN_COUNT";
        }
        if (!Iin.isValid(r[3])) {
            return Iin.birthDate(r[3]) == null ? "IMPOSSIBLE_BIRTH_DATE" : "WRONG_CHECK_DIGIT";
        }
        if (!schools.contains(r[4])) {
            return "UNKNOWN_SCHOOL";
        }
        if (!subjects.containsKey(r[7])) {
            return "UNKNOWN_SUBJECT";
        }
        if (!Set.of("FO", "SOR", "SOCH", "TERM", "YEAR", "EXAM").contains(r[9])) {
            return "UNKNOWN_KIND";
        }
        int score;
        int max;
        int term;
        try {
            score = Integer.parseInt(r[10]);
            max = Integer.parseInt(r[11]);
            term = Integer.parseInt(r[8]);
        } catch (NumberFormatException e) {
            return "UNPARSEABLE_NUMBER";
        }
        if (term < 1 || term > 4) {
            return "TERM_5";
        }
        if (r[9].equals("FO") && (score < 1 || score > 10)) {
            return "FO_OUT_OF_RANGE";
        }
        if (score > max || score < 0) {
            return "SCORE_ABOVE_MAX";
        }
        LocalDate d = LocalDate.parse(r[12]);
        if (d.isBefore(LocalDate.of(y1, 9, 1)) || d.isAfter(LocalDate.of(y1 + 1, 8, 31))) {
            return "DATE_OUTSIDE_YEAR";
        }
        return null;
    }

    static Map<String, Subject> subjects(Path dir) throws IOException {
        Map<String, Subject> out = new HashMap<>();
        List<String[]> rows = csv(dir.resolve("subjects.csv"));
        assertThat(String.join(",", rows.get(0))).isEqualTo("subject_code,name_kk,name_ru,name_en,assessment");
        for (String[] r : rows.subList(1, rows.size())) {
            out.put(r[0], Subject.byCode(r[0]));
            assertThat(r[4]).isIn("QUARTER", "HALF_YEAR", "PASS_FAIL");
        }
        return out;
    }

    static Set<String> schools(Path dir) throws IOException {
        Set<String> out = new TreeSet<>();
        List<String[]> rows = csv(dir.resolve("schools.csv"));
        for (String[] r : rows.subList(1, rows.size())) {
            out.add(r[0]);
        }
        return out;
    }

    /** Checks every canonical row; returns the count of rejected rows by reason. */
    static Map<String, Integer> checkEvents(Path dir) throws IOException {
        Map<String, Student> st = students(dir);
        Set<String> schools = schools(dir);
        Map<String, Subject> subjects = subjects(dir);
        Map<String, Integer> rejected = new TreeMap<>();
        Set<String> gradesWithEvents = new HashSet<>();
        Map<String, String> firstContent = new HashMap<>();
        int rows = 0;
        for (String school : schools) {
            List<String> lines = Files.readAllLines(dir.resolve("events/bilimclass-" + school + ".csv"));
            assertThat(lines.get(0)).isEqualTo(Generator.EVENTS_HEADER);
            for (String line : lines.subList(1, lines.size())) {
                rows++;
                String[] r = line.split(",", -1);
                String why = reject(r, st, schools, subjects, 2025);
                if (why != null) {
                    rejected.merge(why, 1, Integer::sum);
                    continue;
                }
                Student s = st.get(r[3]);
                assertThat(s).as("pupil of %s", line).isNotNull();
                assertThat(r[0]).isEqualTo("bilimclass");
                assertThat(r[1]).startsWith("bc-" + school + "-");
                assertThat(r[2]).isEqualTo("2025-2026");
                assertThat(r[4]).isEqualTo(s.school()).isEqualTo(school);
                assertThat(r[5]).isEqualTo(s.label());
                assertThat(Integer.parseInt(r[6])).isEqualTo(s.grade());
                Subject subject = subjects.get(r[7]);
                assertThat(subject.marked() && subject.taughtIn(s.grade())).as("subject of %s", line).isTrue();
                if (subject.assessment() == Subject.Assessment.HALF_YEAR) {
                    assertThat(r[8]).isIn("2", "4");
                }
                assertThat(r[9]).isIn("FO", "SOR", "SOCH", "EXAM");
                if (r[9].equals("EXAM")) {
                    assertThat(s.grade()).isIn(9, 11);
                    assertThat(r[11]).isEqualTo("5");
                }
                assertThat(r[13]).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
                assertThat(r[13].substring(0, 10).compareTo(r[12])).isGreaterThanOrEqualTo(0);
                gradesWithEvents.add(r[6]);
                String prev = firstContent.putIfAbsent(r[1], line);
                if (prev != null) { // a correction: same id, later recorded_at, other score
                    String[] p = prev.split(",", -1);
                    assertThat(r[13].compareTo(p[13])).isPositive();
                    assertThat(r[10]).isNotEqualTo(p[10]);
                }
            }
        }
        assertThat(gradesWithEvents).doesNotContain("1");
        assertThat(rows).isPositive();
        return rejected;
    }

    @Test
    void canonicalEventsReferenceKnownPupilsSchoolsAndSubjects() throws IOException {
        Map<String, Integer> bad = checkEvents(small);
        assertThat(bad).isNotEmpty();
    }

    @Test
    void committedSampleHasEveryKindOfBadRowAndTheScenarioCases() throws IOException {
        Map<String, Integer> bad = checkEvents(SAMPLE);
        assertThat(bad.keySet()).containsExactlyInAnyOrder(
                Arrays.stream(Generator.BadType.values()).map(Enum::name).toArray(String[]::new));

        Map<String, Student> st = students(SAMPLE);
        // Kundelik TERM marks by pupil/subject/term, and which pupils have any term-2 rows.
        Map<String, String> subjectByRu = new HashMap<>();
        for (Subject s : Subject.ALL) {
            subjectByRu.put(s.nameRu(), s.code());
        }
        Map<String, Integer> kdTerm = new HashMap<>();
        Set<String> withTerm1 = new HashSet<>();
        Set<String> withTerm2 = new HashSet<>();
        Map<String, Set<String>> historyYears = new HashMap<>();
        Map<String, Boolean> allFives = new HashMap<>();
        for (String school : schools(SAMPLE)) {
            List<String> lines = Files.readAllLines(
                    SAMPLE.resolve("sources/kundelik/kundelik-" + school + ".csv"), CP1251);
            for (String line : lines.subList(1, lines.size())) {
                String[] r = line.split(";", -1);
                assertThat(r).hasSize(12);
                String code = subjectByRu.get(r[5]);
                assertThat(code).isNotNull();
                if (KD_WORKS.contains(r[7])) {
                    continue; // the works of terms 1-2: kundelikJournalOfTermsOneAndTwo
                }
                if (r[7].equals("Четвертная")) {
                    kdTerm.put(r[2] + "/" + code + "/" + r[6], Integer.parseInt(r[8]));
                    (r[6].equals("1") ? withTerm1 : withTerm2).add(r[2]);
                } else {
                    historyYears.computeIfAbsent(r[2], k -> new TreeSet<>()).add(r[1]);
                }
                allFives.merge(r[2], r[8].equals("5"), Boolean::logicalAnd);
            }
        }
        // a term-2 gap
        assertThat(withTerm1.stream().filter(i -> !withTerm2.contains(i))).isNotEmpty();
        // a history gap: a grade-11 pupil has 6 earlier years (grades 5-10) unless one is missing
        assertThat(st.values().stream().filter(s -> s.grade() == 11)
                .filter(s -> historyYears.getOrDefault(s.iin(), Set.of()).size() < 6)).isNotEmpty();
        // medal candidates: a grade-11 pupil with nothing but 5s on the old platform
        assertThat(st.values().stream().filter(s -> s.grade() == 11)
                .filter(s -> allFives.getOrDefault(s.iin(), false))).isNotEmpty();

        // re-entered term 2 on BilimClass; at least one computed mark disagrees with Kundelik's
        Map<String, long[]> term2 = new TreeMap<>();
        for (String school : schools(SAMPLE)) {
            List<String> lines = Files.readAllLines(SAMPLE.resolve("events/bilimclass-" + school + ".csv"));
            for (String line : lines.subList(1, lines.size())) {
                String[] r = line.split(",", -1);
                if (r.length == 14 && r[8].equals("2") && Iin.isValid(r[3])) {
                    long[] a = term2.computeIfAbsent(r[3] + "/" + r[7] + "/2", k -> new long[6]);
                    int score = Integer.parseInt(r[10]);
                    int max = Integer.parseInt(r[11]);
                    switch (r[9]) {
                        case "FO" -> { a[0] += score; a[1]++; }
                        case "SOR" -> { a[2] += score; a[3] += max; }
                        default -> { a[4] += score; a[5] += max; }
                    }
                }
            }
        }
        assertThat(term2).isNotEmpty();
        int agree = 0;
        int conflict = 0;
        for (Map.Entry<String, long[]> e : term2.entrySet()) {
            Integer imported = kdTerm.get(e.getKey());
            assertThat(imported).as("kundelik TERM for %s", e.getKey()).isNotNull();
            int computed = referenceMark(e.getValue());
            if (computed == imported) {
                agree++;
            } else {
                assertThat(Math.abs(computed - imported)).isEqualTo(1);
                conflict++;
            }
        }
        assertThat(agree).isPositive();
        assertThat(conflict).isPositive();
    }

    static final List<String> KD_WORKS = List.of("ФО", "СОР", "СОЧ");

    /**
     * The committed sample's Kundelik journal: works of terms 1-2 with score and maximum (some in half points,
     * written with a decimal comma), a few corrected later under the same code, and certified term marks that
     * follow the final works by the term-mark rule (docs/pipeline.md, Rules) except a few.
     */
    @Test
    void kundelikJournalOfTermsOneAndTwo() throws IOException {
        Map<String, String[]> latest = new HashMap<>();   // code -> the row with the latest change time
        Map<String, Integer> versions = new HashMap<>();
        Map<String, Integer> certified = new TreeMap<>();  // iin/subject/term -> certified mark
        int halves = 0;
        for (String school : schools(SAMPLE)) {
            List<String> lines = Files.readAllLines(SAMPLE.resolve("sources/kundelik/kundelik-" + school + ".csv"),
                    CP1251);
            for (String line : lines.subList(1, lines.size())) {
                String[] r = line.split(";", -1);
                if (r[7].equals("Четвертная")) {
                    assertThat(r[9]).isEqualTo("5");
                    certified.put(r[2] + "/" + r[5] + "/" + r[6], Integer.parseInt(r[8]));
                    continue;
                }
                if (!KD_WORKS.contains(r[7])) {
                    continue;
                }
                assertThat(r[1]).isEqualTo("2025-2026");
                assertThat(r[6]).isIn("1", "2");
                assertThat(r[8]).matches("\\d+(,5)?");
                assertThat(r[9]).matches(r[7].equals("ФО") ? "10" : "10|15|20|25");
                assertThat(new BigDecimal(r[8].replace(',', '.'))).isLessThanOrEqualTo(new BigDecimal(r[9]));
                halves += r[8].contains(",") ? 1 : 0;
                versions.merge(r[0], 1, Integer::sum);
                latest.merge(r[0], r, (a, b) -> changed(b).isAfter(changed(a)) ? b : a);
            }
        }
        assertThat(halves).isPositive();
        long corrected = versions.values().stream().filter(n -> n == 2).count();
        assertThat(versions.values()).allMatch(n -> n <= 2);
        assertThat(corrected).isBetween(20L, 200L);
        // the certified marks against the final works, in half points so that every sum is an integer
        Map<String, long[]> works = new TreeMap<>();
        for (String[] r : latest.values()) {
            long[] a = works.computeIfAbsent(r[2] + "/" + r[5] + "/" + r[6], k -> new long[6]);
            long score = new BigDecimal(r[8].replace(',', '.')).multiply(BigDecimal.valueOf(2)).longValueExact();
            long max = 2L * Integer.parseInt(r[9]);
            switch (r[7]) {
                case "ФО" -> { a[0] += score; a[1] += 2; }
                case "СОР" -> { a[2] += score; a[3] += max; }
                default -> { a[4] += score; a[5] += max; }
            }
        }
        assertThat(works.keySet()).isEqualTo(certified.keySet());
        long differ = works.entrySet().stream()
                .filter(e -> referenceMark(e.getValue()) != certified.get(e.getKey())).count();
        assertThat(differ).isPositive().isLessThan(certified.size() / 50);
    }

    static java.time.LocalDateTime changed(String[] kundelikRow) {
        return java.time.LocalDateTime.parse(kundelikRow[11],
                java.time.format.DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss"));
    }

    /** The term-mark rule (docs/pipeline.md, Rules) with BigDecimal, independent of the generator's integer arithmetic. */
    static int referenceMark(long[] a) {
        BigDecimal hundred = BigDecimal.valueOf(100);
        BigDecimal fo = BigDecimal.valueOf(a[0]).multiply(hundred).divide(BigDecimal.valueOf(10 * a[1]), 20, RoundingMode.HALF_UP);
        BigDecimal sor = BigDecimal.valueOf(a[2]).multiply(hundred).divide(BigDecimal.valueOf(a[3]), 20, RoundingMode.HALF_UP);
        BigDecimal total;
        if (a[5] > 0) {
            BigDecimal soch = BigDecimal.valueOf(a[4]).multiply(hundred).divide(BigDecimal.valueOf(a[5]), 20, RoundingMode.HALF_UP);
            total = fo.multiply(new BigDecimal("0.25")).add(sor.multiply(new BigDecimal("0.25")))
                    .add(soch.multiply(new BigDecimal("0.5")));
        } else {
            total = fo.multiply(new BigDecimal("0.5")).add(sor.multiply(new BigDecimal("0.5")));
        }
        int pct = total.setScale(0, RoundingMode.HALF_UP).intValue();
        return pct >= 85 ? 5 : pct >= 65 ? 4 : pct >= 40 ? 3 : 2;
    }

    @Test
    void termMarkFollowsTheDomainExample() {
        // FO 8,8,8,8,8; SOR 12/15 + 9/15; SOCH 18/25 → 73.5 → 74 → 4
        assertThat(Generator.termMark(40, 5, 21, 30, 18, 25)).isEqualTo(4);
        assertThat(referenceMark(new long[] {40, 5, 21, 30, 18, 25})).isEqualTo(4);
        // The scale's edges: a rounded 85 is a 5, 84 a 4, 40 a 3, 39 a 2.
        assertThat(Generator.markOfPercent(85)).isEqualTo(5);
        assertThat(Generator.markOfPercent(84)).isEqualTo(4);
        assertThat(Generator.markOfPercent(39)).isEqualTo(2);
        assertThat(Generator.markOfPercent(40)).isEqualTo(3);
    }

    // ------------------------------------------------------------------------------------------------ kundelik

    static String strictDecode(byte[] bytes, Charset cs) throws CharacterCodingException {
        return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    @Test
    void kundelikFilesAreWindows1251AndMatchTheManifest() throws IOException {
        for (Path dir : List.of(small, SAMPLE)) {
            String manifest = strictDecode(Files.readAllBytes(dir.resolve("sources/kundelik/manifest.json")),
                    StandardCharsets.UTF_8);
            assertThat(manifest).contains("\"encoding\": \"windows-1251\"", "\"delimiter\": \";\"",
                    "\"files\": \"kundelik-*.csv\"");
            Matcher block = Pattern.compile("\"columns\": \\{(.*?)}", Pattern.DOTALL).matcher(manifest);
            assertThat(block.find()).isTrue();
            List<String> columns = new ArrayList<>();
            Matcher m = Pattern.compile("\"([a-z_]+)\": \"([^\"]+)\"").matcher(block.group(1));
            while (m.find()) {
                columns.add(m.group(2));
            }
            assertThat(columns).containsExactly("Код", "Учебный год", "ИИН", "Школа", "Параллель", "Предмет",
                    "Четверть", "Вид оценки", "Оценка", "Макс. балл", "Дата", "Изменено");
            assertThat(manifest).contains("\"decimalSeparator\": \",\"", "\"ФО\": \"FO\"", "\"СОР\": \"SOR\"",
                    "\"СОЧ\": \"SOCH\"", "\"Четвертная\": \"TERM\"");
            // every subject's Russian name is mapped
            for (Subject s : Subject.ALL) {
                assertThat(manifest).contains("\"" + s.nameRu() + "\": \"" + s.code() + "\"");
            }
            for (String school : schools(dir)) {
                byte[] bytes = Files.readAllBytes(dir.resolve("sources/kundelik/kundelik-" + school + ".csv"));
                assertThat(bytes.length).isPositive();
                String text = strictDecode(bytes, CP1251);
                assertThat(Arrays.equals(text.getBytes(CP1251), bytes)).isTrue();
                String header = text.substring(0, text.indexOf('\n'));
                assertThat(Arrays.asList(header.split(";"))).isEqualTo(columns);
                String firstRow = text.split("\n")[1];
                assertThat(firstRow).matches("kd-" + school + "-\\d+;\\d{4}-\\d{4};\\d{12};" + school
                        + ";\\d+;[^;]+;[1-4];(ФО|СОР|СОЧ|Четвертная|Годовая|Экзамен);\\d+(,5)?;\\d+;"
                        + "\\d{2}\\.\\d{2}\\.\\d{4};"
                        + "\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}:\\d{2}");
            }
        }
    }

    @Test
    void russianSubjectNamesAreEncodableAndUnique() {
        Set<String> names = new HashSet<>();
        for (Subject s : Subject.ALL) {
            assertThat(CP1251.newEncoder().canEncode(s.nameRu())).as(s.nameRu()).isTrue();
            assertThat(names.add(s.nameRu())).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------------ arguments

    static String[] runCapture(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GenerateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void badArgumentsGiveExitCode2AndOneLine() {
        String o = tmp.resolve("bad").toString();
        List<String[]> cases = List.of(
                new String[] {},
                new String[] {"--out", o, "--schools", "zero"},
                new String[] {"--out", o, "--schools", "0"},
                new String[] {"--out", o, "--year", "2025-2027"},
                new String[] {"--out", o, "--year", "2025/26"},
                new String[] {"--out", o, "--grades", "0-12"},
                new String[] {"--out", o, "--pupils", "30-25"},
                new String[] {"--out", o, "--bad-rate", "2"},
                new String[] {"--out", o, "--seed", "x"},
                new String[] {"--out", o, "--frobnicate", "1"},
                new String[] {"--out"});
        for (String[] args : cases) {
            String[] r = runCapture(args);
            assertThat(r[0]).as(String.join(" ", args)).isEqualTo("2");
            assertThat(r[2]).startsWith("baga generate: ").endsWith("\n");
            assertThat(r[2].strip().lines().count()).isEqualTo(1);
            assertThat(r[1]).isEmpty();
        }
        assertThat(Files.exists(tmp.resolve("bad"))).isFalse();
    }

    @Test
    void helpAndSummary() {
        String[] help = runCapture("--help");
        assertThat(help[0]).isEqualTo("0");
        assertThat(help[1]).contains("--out DIR", "--grades");
        String[] ok = runCapture("--out", tmp.resolve("sum").toString(), "--schools", "1", "--grades", "1,2",
                "--classes-per-grade", "1", "--pupils", "3");
        assertThat(ok[0]).isEqualTo("0");
        assertThat(ok[1].lines().count()).isEqualTo(1);
        assertThat(ok[1]).startsWith("generated 1 schools, 6 pupils, ");
        assertThat(ok[2]).contains("school ALM-0001 (1/1)");
    }
}
