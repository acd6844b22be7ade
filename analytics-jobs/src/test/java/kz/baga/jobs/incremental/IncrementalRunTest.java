package kz.baga.jobs.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.Snapshots;
import kz.baga.contract.Table;
import kz.baga.jobs.Pipeline;
import kz.baga.jobs.SparkTestBase;
import kz.baga.jobs.ingest.StudentIds;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.SnapshotDiff;
import kz.baga.jobs.snapshot.SnapshotDiff.TableDiff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An incremental run gives the same tables as a full run on the same input: the same rows and values.
 *
 * <p>Each scenario starts from a copy of the sample district and of a warehouse holding a full run on it. It then
 * changes the input step by step (event files added, corrected, removed; a pupil moving school; an unknown pupil and
 * then the same pupil enrolled; rows that are only rejected; a new academic year; an imported term mark that
 * conflicts), runs the pipeline on the scenario's warehouse W (incremental whenever only event files changed) and,
 * on the same input, a full run ({@code full=true}) on a second warehouse F, and compares the two snapshots table by
 * table with {@link SnapshotDiff}. A pipeline run costs 10–40 s on the sample, so the random sequences run W after
 * every step (and check its kind) but the full run and the comparison only after their last step: a wrong row an
 * earlier step wrote stays in the partitions later runs carry over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IncrementalRunTest extends SparkTestBase {

    static final Charset CP1251 = Charset.forName("windows-1251");
    static final String HEADER = "source,event_id,academic_year,iin,school_id,class_label,grade_level,subject_code,"
            + "term,kind,score,max_score,event_date,recorded_at";
    static final String YEAR = "2025-2026";
    static final String[] SCHOOLS = {"ALM-0001", "ALM-0002"};
    /** Seeds of the random sequences; {@code -Dbaga.incremental.seeds=1,2} replays others. */
    static final long[] SEEDS = Arrays.stream(System.getProperty("baga.incremental.seeds", "20260901").split(","))
            .mapToLong(s -> Long.parseLong(s.trim())).toArray();
    /** Changes per random sequence; W runs after each, the full run and the comparison after the last. */
    static final int STEPS = Integer.getInteger("baga.incremental.steps", 3);

    @TempDir
    static Path tmp;
    /** The sample as copied, and a warehouse with a full run on it: every scenario starts from copies of both. */
    static Path baseInput;
    static Path baseWarehouse;
    static String baseSnapshot;

    @BeforeAll
    static void fullRunOnTheSample() throws IOException {
        baseInput = copyTree(SAMPLE, tmp.resolve("base-input"));
        baseWarehouse = tmp.resolve("base-warehouse");
        long t = System.nanoTime();
        Pipeline.Result r = run(baseInput, baseWarehouse, false, null);
        baseSnapshot = r.snapshotId();
        System.out.printf("baseline: %s (%d ms)%n", r.run().summary(), millis(t));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The tests

    @Test
    @Order(1)
    void theEightChangesOneAfterAnotherGiveTheTablesOfAFullRun() throws IOException {
        Scenario s = new Scenario("fixed", new Random(2026));

        // Nothing changed: incremental, 0 files, and the baseline full run is the full run on this input.
        Step noop = s.runIncremental("nothing changed", true);
        if (noop.run().incremental()) {
            assertThat(noop.run().added() + noop.run().changed() + noop.run().removed()).isZero();
        }
        s.assertSame(noop, baseWarehouse, baseSnapshot);

        // 1. a new day's file for school 1
        String day = s.newDayFile("ALM-0001");
        s.check(day, true);
        assertThat(s.fullTable(Table.GRADE_EVENTS).where("file = 'events/" + fileName(day) + "'").count())
                .as("the day's events are accepted").isEqualTo(35);

        // 2. a corrected event in an old file: same event_id, another score, later recorded_at
        s.check(s.correctEvent("events/bilimclass-ALM-0002.csv", Correction.APPEND_LATER), true);

        // 3. the day-2 file removed again
        s.check(s.removeEventFile("events/" + fileName(day)), true);
        assertThat(s.fullTable(Table.GRADE_EVENTS).where("file = 'events/" + fileName(day) + "'").count()).isZero();

        // 4. a pupil of school 1 moves to school 2: later events in school 2's file
        s.check(s.movePupil("ALM-0001", "ALM-0002"), true);

        // 5. events of a pupil not in students.csv (rejected), then the pupil enrolled (a reference change: full)
        s.check(s.unknownPupil("ALM-0001"), true);
        assertThat(s.fullTable(Table.REJECTED_EVENTS).where("reason = 'UNKNOWN_PUPIL' and file like '%newpupil%'")
                .count()).isEqualTo(10);
        Step enrolled = s.check(s.enrolPupil(), false);
        assertThat(enrolled.run().reason()).isEqualTo("students.csv changed");
        assertThat(s.fullTable(Table.GRADE_EVENTS).where("file like '%newpupil%'").count()).isEqualTo(10);

        // 6. a file of rejected rows only
        String bad = s.rejectedOnly("ALM-0002");
        s.check(bad, true);
        assertThat(s.fullTable(Table.REJECTED_EVENTS).where("file = 'events/" + fileName(bad) + "'").count())
                .isEqualTo(Scenario.BAD_ROWS);

        // 7. the first file of the next academic year (grade + 1; a grade-11 pupil's rows are rejected as grade 12)
        String year = s.newYear("ALM-0001");
        s.check(year, true);
        assertThat(s.fullTable(Table.GRADE_EVENTS).where("academic_year = '2026-2027'").count()).isPositive();
        assertThat(s.fullTable(Table.REJECTED_EVENTS).where("reason = 'GRADE_NOT_MARKED' and file like '%2026-2027%'")
                .count()).isPositive();

        // 8. an imported term mark (Kundelik, windows-1251) corrected to a mark other than the computed one
        s.check(s.termConflict("sources/kundelik/kundelik-ALM-0002.csv"), true);
        assertThat(s.fullTable(Table.RECONCILIATION).where("issue = 'CONFLICT' and " + s.lastConflict).count())
                .as("the corrected term mark conflicts with the computed one").isEqualTo(1);

        System.out.println(s.report());
        s.assertKinds();
    }

    @Test
    @Order(2)
    void seededRandomSequencesGiveTheTablesOfAFullRun() throws IOException {
        List<Scenario> done = new ArrayList<>();
        for (long seed : SEEDS) {
            Scenario s = new Scenario("seed " + seed, new Random(seed));
            for (int i = 1; i <= STEPS; i++) {
                s.randomChange();
                if (i < STEPS) {
                    s.runIncrementalAfterChange();
                } else {
                    s.checkpoint();
                }
            }
            System.out.println(s.report());
            done.add(s);
        }
        done.forEach(Scenario::assertKinds);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Running and comparing

    record Step(String change, Pipeline.Result result, long millis) {
        SnapshotManifest.Run run() {
            return result.run();
        }
    }

    static Pipeline.Result run(Path input, Path warehouse, boolean full, Consumer<String> progress) throws IOException {
        return new Pipeline(spark, new Pipeline.Options(input.toString(), warehouse.toString(), Rules.defaults(),
                "builtin", StudentIds.withKey(TEST_KEY), Map.of(), 5, progress, null, false, full)).run();
    }

    static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static String snapshotDir(Path warehouse, String id) {
        return warehouse.resolve(Snapshots.snapshotPath(id)).toString();
    }

    /** The tables that differ, with their examples, as one message; empty when every table is the same. */
    static String differences(List<TableDiff> diffs) {
        return diffs.stream().filter(d -> !d.same())
                .map(d -> d.table() + ": incremental " + d.rowsA() + " rows, full " + d.rowsB() + " rows; "
                        + d.onlyInA() + " only in the incremental snapshot, " + d.onlyInB() + " only in the full one"
                        + d.examples().stream().map(e -> "\n      " + e.replaceFirst("^a: ", "incremental: ")
                                .replaceFirst("^b: ", "full:        ")).collect(Collectors.joining()))
                .collect(Collectors.joining("\n    "));
    }

    static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    static String fileName(String change) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("events/([^ ,:]+\\.csv)").matcher(change);
        if (!m.find()) {
            throw new IllegalArgumentException("no file named in " + change);
        }
        return m.group(1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading and writing the input's CSV text

    static List<String> lines(Path file, Charset cs) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, cs));
    }

    /** Writes lines with {@code \n} endings and a final newline, as the sample has them. */
    static void write(Path file, List<String> lines, Charset cs) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", cs);
    }

    static void append(Path file, List<String> more, Charset cs) throws IOException {
        List<String> all = lines(file, cs);
        all.addAll(more);
        write(file, all, cs);
    }

    static String event(String id, String year, String iin, String school, String cls, int grade, String subject,
                        int term, String kind, Object score, Object max, String date, String recorded) {
        return String.join(",", "bilimclass", id, year, iin, school, cls, String.valueOf(grade), subject,
                String.valueOf(term), kind, String.valueOf(score), String.valueOf(max), date, recorded);
    }

    /** An IIN (docs/rules.md §7) with a real birth date and a matching check digit; null when no digit fits. */
    static String iin(LocalDate birth, boolean male, int serial) {
        int century = birth.getYear() >= 2000 ? (male ? 5 : 6) : (male ? 3 : 4);
        String first11 = String.format("%02d%02d%02d%d%04d", birth.getYear() % 100, birth.getMonthValue(),
                birth.getDayOfMonth(), century, serial);
        int c = checkSum(first11, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        if (c == 10) {
            c = checkSum(first11, new int[] {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2});
        }
        return c == 10 ? null : first11 + c;
    }

    private static int checkSum(String digits, int[] weights) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += (digits.charAt(i) - '0') * weights[i];
        }
        return sum % 11;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A scenario: an input folder, the warehouse W its incremental runs build on, and F for the full runs

    enum Correction {
        /** another score, later recorded_at, appended to the same file (the sample's way) */
        APPEND_LATER,
        /** the later copy in another event file */
        OTHER_FILE_LATER,
        /** a copy recorded earlier than the original: the original stands */
        STALE_COPY,
        /** the same recorded_at: the later file and line stand */
        SAME_TIME,
        /** the line itself edited: another score and recorded_at, no second copy */
        IN_PLACE,
        /** the line deleted: the event withdrawn (the lines after it move up one) */
        DELETED
    }

    static final class Scenario {
        static final int BAD_ROWS = 11;

        final String name;
        final Random rnd;
        final Path input;
        final Path w;
        final Path f;
        final Set<String> schoolIds;
        final Set<String> subjects;
        final Map<String, String> assessment = new TreeMap<>();
        final List<String> log = new ArrayList<>();
        final List<String> pending = new ArrayList<>();
        /** The changes since the last comparison (random sequences). */
        final List<String> sinceCheck = new ArrayList<>();
        /** W's runs that were full where only event files had changed, or the other way round. */
        final List<String> wrongKinds = new ArrayList<>();
        String wSnapshot;
        String fSnapshot;
        int files;
        int minute;
        int newPupils;
        String lastConflict;
        String lastChange;
        boolean lastChangeEventsOnly;

        Scenario(String name, Random rnd) throws IOException {
            this.name = name;
            this.rnd = rnd;
            Path dir = tmp.resolve(name.replace(' ', '-'));
            input = copyTree(baseInput, dir.resolve("input"));
            w = copyTree(baseWarehouse, dir.resolve("w"));
            f = dir.resolve("f");
            wSnapshot = baseSnapshot;
            schoolIds = Set.of(SCHOOLS);
            for (String line : lines(input.resolve("subjects.csv"), StandardCharsets.UTF_8).stream().skip(1).toList()) {
                String[] fields = line.split(",");
                assessment.put(fields[0], fields[fields.length - 1]);
            }
            subjects = assessment.keySet();
            log.add(name + ": start from the sample and a full run on it (" + baseSnapshot + ")");
        }

        // ---- running

        /** W's run on the input as it is now; a run of another kind than expected is noted in {@link #wrongKinds}. */
        Step runIncremental(String change, boolean expectIncremental) throws IOException {
            long t = System.nanoTime();
            List<String> progress = new ArrayList<>();
            Pipeline.Result r = run(input, w, false, progress::add);
            Step step = new Step(change, r, millis(t));
            wSnapshot = r.snapshotId();
            log.add(String.format("  %-70s W %6d ms  %s", change, step.millis(), r.run().summary()));
            System.out.println(name + ": " + log.get(log.size() - 1).trim());
            progress.stream().filter(l -> l.contains("touched")).forEach(l -> log.add("      " + l.trim()));
            if (r.run().incremental() != expectIncremental) {
                // Noted, not thrown: the tables are compared all the same, and the test fails at its end.
                String wrong = String.format("after \"%s\": the run should be %s; it was: %s", change,
                        expectIncremental ? "incremental" : "full", r.run().summary());
                wrongKinds.add(wrong);
                log.add("      WRONG KIND " + wrong);
            }
            return step;
        }

        /** A full run on the same input into F. */
        String runFull() throws IOException {
            long t = System.nanoTime();
            Pipeline.Result r = run(input, f, true, null);
            fSnapshot = r.snapshotId();
            log.add(String.format("  %-70s F %6d ms  %s", "", millis(t), r.run().summary()));
            return fSnapshot;
        }

        void assertSame(Step step, Path fullWarehouse, String fullSnapshot) {
            long t = System.nanoTime();
            List<TableDiff> diffs = SnapshotDiff.compare(spark, snapshotDir(w, step.result().snapshotId()),
                    snapshotDir(fullWarehouse, fullSnapshot));
            log.add(String.format("  %-70s compared %d tables in %d ms", "", diffs.size(), millis(t)));
            String message = differences(diffs);
            assertThat(message).as("%s: after %s the incremental snapshot (%s) differs from the full one:%n    %s%n"
                            + "  run: %s%n  steps:%n%s", name, sinceCheck.isEmpty() ? "\"" + step.change() + "\""
                            : sinceCheck, step.result().snapshotId(), message, step.run().summary(),
                    String.join("\n", log)).isEmpty();
            sinceCheck.clear();
        }

        /** After a change: W's run (incremental when {@code eventsOnly}), a full run in F, the same tables. */
        Step check(String change, boolean eventsOnly) throws IOException {
            Step step = runIncremental(change, eventsOnly);
            runFull();
            assertSame(step, f, fSnapshot);
            return step;
        }

        void randomChange() throws IOException {
            List<String> kinds = new ArrayList<>(List.of("day", "correct", "remove", "move", "unknown", "enrol", "bad",
                    "year", "conflict"));
            if (removableEventFiles().isEmpty()) {
                kinds.remove("remove");
            }
            if (correctableFiles().isEmpty()) {
                kinds.remove("correct");
            }
            String kind = kinds.get(rnd.nextInt(kinds.size()));
            String school = SCHOOLS[rnd.nextInt(SCHOOLS.length)];
            lastChangeEventsOnly = !kind.equals("enrol");
            lastChange = switch (kind) {
                case "day" -> newDayFile(school);
                case "correct" -> {
                    List<String> files = correctableFiles();
                    yield correctEvent(files.get(rnd.nextInt(files.size())),
                            Correction.values()[rnd.nextInt(Correction.values().length)]);
                }
                case "remove" -> {
                    List<String> files = removableEventFiles();
                    yield removeEventFile(files.get(rnd.nextInt(files.size())));
                }
                case "move" -> movePupil(school, school.equals(SCHOOLS[0]) ? SCHOOLS[1] : SCHOOLS[0]);
                case "unknown" -> unknownPupil(school);
                case "enrol" -> enrolPupil();
                case "bad" -> rejectedOnly(school);
                case "year" -> newYear(school);
                case "conflict" -> termConflict("sources/kundelik/kundelik-" + school + ".csv");
                default -> throw new IllegalStateException(kind);
            };
            sinceCheck.add(lastChange);
        }

        void runIncrementalAfterChange() throws IOException {
            runIncremental(lastChange, lastChangeEventsOnly);
        }

        void checkpoint() throws IOException {
            check(lastChange, lastChangeEventsOnly);
        }

        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> fullTable(Table table) {
            return table(f, fSnapshot, table);
        }

        String report() {
            return String.join("\n", log);
        }

        /** Fails when a run of W was not of the kind its change calls for. */
        void assertKinds() {
            assertThat(wrongKinds).as("%s: runs of the wrong kind (their tables were compared all the same):%n%s",
                    name, report()).isEmpty();
        }

        // ---- what the input holds

        /** The event files of events/ (as the rows name them: events/NAME.csv). */
        List<String> eventFiles() throws IOException {
            try (Stream<Path> list = Files.list(input.resolve("events"))) {
                return list.map(p -> "events/" + p.getFileName()).filter(p -> p.endsWith(".csv")).sorted().toList();
            }
        }

        /** Event files whose removal leaves events/ at least one file (without any, the sources differ: full). */
        List<String> removableEventFiles() throws IOException {
            List<String> all = eventFiles();
            return all.size() > 1 ? all : List.of();
        }

        /** iin → the students.csv row of a pupil in a marked grade. */
        Map<String, String[]> pupils() throws IOException {
            Map<String, String[]> out = new LinkedHashMap<>();
            List<String> rows = lines(input.resolve("students.csv"), StandardCharsets.UTF_8);
            for (String line : rows.subList(1, rows.size())) {
                String[] p = line.split(",");
                if (Integer.parseInt(p[8]) >= 2) {
                    out.put(p[0], p);
                }
            }
            return out;
        }

        /**
         * The accepted-looking FO rows of {@code school}'s pupils in the sample's file of that school, by pupil: the
         * subjects and terms new events are made from (the sample's bad rows are left out: a pupil not in
         * students.csv, a wrong field count, a bad number, kind, term, date, subject or school).
         */
        Map<String, List<String[]>> templates(String school) throws IOException {
            Map<String, String[]> pupils = pupils();
            Map<String, List<String[]>> out = new TreeMap<>();
            Path sample = baseInput.resolve("events/bilimclass-" + school + ".csv");
            for (String line : lines(sample, StandardCharsets.UTF_8)) {
                String[] e = line.split(",", -1);
                if (e.length == 14 && e[9].equals("FO") && pupils.containsKey(e[3])
                        && pupils.get(e[3])[6].equals(school) && e[4].equals(school) && subjects.contains(e[7])
                        && e[8].matches("[34]") && e[10].matches("[1-9]|10") && e[11].equals("10")
                        && e[12].startsWith("2026-")) {
                    out.computeIfAbsent(e[3], k -> new ArrayList<>()).add(e);
                }
            }
            return out;
        }

        String[] pick(List<String[]> rows) {
            return rows.get(rnd.nextInt(rows.size()));
        }

        <T> List<T> some(java.util.Collection<T> all, int n) {
            List<T> list = new ArrayList<>(all);
            Collections.shuffle(list, rnd);
            return list.subList(0, Math.min(n, list.size()));
        }

        String nextTimestamp() {
            minute++;
            return String.format("2026-08-%02d %02d:%02d:00", 1 + minute / 600, 8 + (minute / 60) % 10, minute % 60);
        }

        // ---- the changes

        /** 1. A new day's file for {@code school}: 5 pupils × (6 FO + 1 SOR) in May of term 4, new event ids. */
        String newDayFile(String school) throws IOException {
            int n = ++files;
            String name = "bilimclass-" + school + "-day" + (n + 1) + ".csv";
            Map<String, List<String[]>> templates = templates(school);
            List<String> out = new ArrayList<>(List.of(HEADER));
            int k = 0;
            for (String iin : some(templates.keySet(), 5)) {
                List<String[]> rows = templates.get(iin).stream().filter(e -> e[8].equals("4")).toList();
                rows = rows.isEmpty() ? templates.get(iin) : rows;
                for (int i = 0; i < 7; i++) {
                    String[] t = pick(rows);
                    String date = LocalDate.of(2026, 5, 18).plusDays(i % 5).toString();
                    boolean sor = i == 6;
                    out.add(event("bc-" + school + "-d" + n + "-" + (++k), YEAR, iin, school, t[5],
                            Integer.parseInt(t[6]), t[7], Integer.parseInt(t[8]), sor ? "SOR" : "FO",
                            sor ? rnd.nextInt(16) : 1 + rnd.nextInt(10), sor ? 15 : 10, date,
                            date + String.format(" 17:%02d:%02d", i, k % 60)));
                }
            }
            write(input.resolve("events").resolve(name), out, StandardCharsets.UTF_8);
            return "new file events/" + name + " (" + (out.size() - 1) + " events)";
        }

        /** 2. An accepted FO event of {@code file} delivered again with another score, edited in place or withdrawn. */
        String correctEvent(String file, Correction how) throws IOException {
            Path path = input.resolve(file);
            List<String> all = lines(path, StandardCharsets.UTF_8);
            List<Integer> candidates = correctable(all);
            int at = candidates.get(rnd.nextInt(candidates.size()));
            String[] e = all.get(at).split(",", -1);
            String old = e[10];
            e[10] = String.valueOf(Integer.parseInt(old) == 10 ? 9 : Integer.parseInt(old) + 1);
            String what = file + " event " + e[1] + " score " + old + " -> " + e[10];
            switch (how) {
                case DELETED -> {
                    all.remove(at);
                    write(path, all, StandardCharsets.UTF_8);
                    return "event withdrawn (line " + (at + 1) + " deleted): " + file + " event " + e[1];
                }
                case IN_PLACE -> {
                    e[13] = nextTimestamp();
                    all.set(at, String.join(",", e));
                    write(path, all, StandardCharsets.UTF_8);
                    return "corrected in place: " + what;
                }
                case STALE_COPY -> e[13] = LocalDate.parse(e[13].substring(0, 10)).minusDays(1) + e[13].substring(10);
                case SAME_TIME -> {
                }
                default -> e[13] = nextTimestamp();
            }
            String line = String.join(",", e);
            if (how == Correction.OTHER_FILE_LATER) {
                List<String> others = eventFiles().stream().filter(x -> !x.equals(file)).toList();
                String other = others.isEmpty() ? "events/corrections.csv" : others.get(rnd.nextInt(others.size()));
                Path target = input.resolve(other);
                if (Files.exists(target)) {
                    append(target, List.of(line), StandardCharsets.UTF_8);
                } else {
                    write(target, List.of(HEADER, line), StandardCharsets.UTF_8);
                }
                return "correction (later copy in " + other + "): " + what;
            }
            append(path, List.of(line), StandardCharsets.UTF_8);
            return "correction (" + how.name().toLowerCase().replace('_', ' ') + ", appended): " + what;
        }

        /** Lines of {@code all} (an events/ file) that hold an accepted FO event of 2025-2026. */
        List<Integer> correctable(List<String> all) throws IOException {
            Map<String, String[]> pupils = pupils();
            List<Integer> out = new ArrayList<>();
            for (int i = 1; i < all.size(); i++) {
                String[] e = all.get(i).split(",", -1);
                if (e.length == 14 && e[9].equals("FO") && pupils.containsKey(e[3]) && subjects.contains(e[7])
                        && schoolIds.contains(e[4]) && e[10].matches("[1-9]|10") && e[11].equals("10")
                        && e[8].matches("[34]") && e[2].equals(YEAR) && e[12].startsWith("2026-")
                        && e[13].startsWith("2026-")) {
                    out.add(i);
                }
            }
            return out;
        }

        /** The events/ files with an event {@link #correctEvent} can correct. */
        List<String> correctableFiles() throws IOException {
            List<String> out = new ArrayList<>();
            for (String file : eventFiles()) {
                if (!correctable(lines(input.resolve(file), StandardCharsets.UTF_8)).isEmpty()) {
                    out.add(file);
                }
            }
            return out;
        }

        /** 3. An event file deleted. */
        String removeEventFile(String file) throws IOException {
            Files.delete(input.resolve(file));
            return "removed " + file;
        }

        /**
         * 4. A grade 9–11 pupil of {@code from} moves to {@code to} in the spring: 4 subjects × (3 FO, 1 SOR,
         * 1 SOCH) of term 4 in {@code to}'s class of the same label, appended to {@code to}'s file (or a new one).
         */
        String movePupil(String from, String to) throws IOException {
            Map<String, List<String[]>> templates = templates(from);
            List<String> older = templates.keySet().stream()
                    .filter(iin -> Integer.parseInt(templates.get(iin).get(0)[6]) >= 9).toList();
            String iin = older.get(rnd.nextInt(older.size()));
            String[] pupil = pupils().get(iin);
            List<String> subjectsOfPupil = templates.get(iin).stream().map(e -> e[7])
                    .filter(s -> assessment.get(s).equals("QUARTER")).distinct().sorted().toList();
            int n = ++files;
            List<String> out = new ArrayList<>();
            int k = 0;
            for (String subject : some(subjectsOfPupil, 4)) {
                for (int i = 0; i < 5; i++) {
                    String kind = i < 3 ? "FO" : i == 3 ? "SOR" : "SOCH";
                    int max = kind.equals("FO") ? 10 : kind.equals("SOR") ? 20 : 25;
                    String date = LocalDate.of(2026, 5, 4).plusDays(3L * i).toString();
                    out.add(event("bc-" + to + "-mv" + n + "-" + (++k), YEAR, iin, to, pupil[7],
                            Integer.parseInt(pupil[8]), subject, 4, kind, kind.equals("FO") ? 1 + rnd.nextInt(10)
                                    : rnd.nextInt(max + 1), max, date, date + " 16:" + String.format("%02d:00", k)));
                }
            }
            Path file = input.resolve("events/bilimclass-" + to + ".csv");
            if (Files.exists(file)) {
                append(file, out, StandardCharsets.UTF_8);
            } else {
                file = input.resolve("events/bilimclass-" + to + "-transfer" + n + ".csv");
                out.add(0, HEADER);
                write(file, out, StandardCharsets.UTF_8);
            }
            return "pupil " + iin + " (" + from + " " + pupil[7] + ") moves to " + to + ": " + k + " events in events/"
                    + file.getFileName();
        }

        /** 5a. Ten term-4 events of a grade-10 pupil with a valid IIN that students.csv does not list: rejected. */
        String unknownPupil(String school) throws IOException {
            Map<String, String[]> pupils = pupils();
            Set<String> taken = new java.util.HashSet<>(pupils.keySet());
            pending.forEach(p -> taken.add(iin_(p)));
            LocalDate birth = LocalDate.of(2010, 3, 1).plusDays(rnd.nextInt(300));
            String iin = null;
            for (int serial = 9000 + rnd.nextInt(500); iin == null || taken.contains(iin); serial++) {
                iin = iin(birth, true, serial);
            }
            int n = ++files;
            int number = ++newPupils;
            pending.add(String.join(",", iin, "Жаңаев", "Жаңа" + number, "Жаңаұлы", birth.toString(), "M", school,
                    "10А", "10", YEAR));
            Map<String, List<String[]>> templates = templates(school);
            List<String[]> tenth = templates.values().stream().flatMap(List::stream)
                    .filter(e -> e[6].equals("10")).toList();
            List<String> out = new ArrayList<>(List.of(HEADER));
            for (int k = 1; k <= 10; k++) {
                String[] t = pick(tenth);
                String date = LocalDate.of(2026, 4, 6).plusDays(k).toString();
                out.add(event("bc-" + school + "-new" + n + "-" + k, YEAR, iin, school, "10А", 10, t[7],
                        Integer.parseInt(t[8]), "FO", 1 + rnd.nextInt(10), 10, date, date + " 15:00:0" + (k % 10)));
            }
            String name = "bilimclass-" + school + "-newpupil" + n + ".csv";
            write(input.resolve("events").resolve(name), out, StandardCharsets.UTF_8);
            return "new file events/" + name + ": 10 events of " + iin + ", not in students.csv";
        }

        private static String iin_(String studentRow) {
            return studentRow.substring(0, 12);
        }

        /** 5b. The pupil of the last {@link #unknownPupil} enrolled in students.csv (a reference file: full). */
        String enrolPupil() throws IOException {
            if (pending.isEmpty()) {
                unknownPupil(SCHOOLS[rnd.nextInt(SCHOOLS.length)]);
            }
            String row = pending.remove(pending.size() - 1);
            append(input.resolve("students.csv"), List.of(row), StandardCharsets.UTF_8);
            return "students.csv: pupil " + iin_(row) + " enrolled (" + row.split(",")[6] + " 10А)";
        }

        /** 6. A new file whose rows are all rejected, each for another reason. */
        String rejectedOnly(String school) throws IOException {
            Map<String, List<String[]>> templates = templates(school);
            String iin = some(templates.keySet(), 1).get(0);
            String[] t = pick(templates.get(iin));
            int n = ++files;
            String badIin = iin.substring(0, 11) + ((iin.charAt(11) - '0' + 1) % 10);
            List<String> out = new ArrayList<>(List.of(HEADER));
            // {iin, school, subject, term, kind, score, max, event date}: each row breaks one rule
            String[][] rows = {
                {iin, school, t[7], "4", "SOR", "18", "15", "2026-04-14"},      // score above the maximum
                {iin, school, "ASTRONOMY", "4", "FO", "7", "10", "2026-04-14"}, // unknown subject
                {iin, school, t[7], "4", "FO", "11", "10", "2026-04-14"},       // FO above 10
                {iin, school, t[7], "4", "FO", "7", "10", "2026-02-30"},        // no such date
                {iin, school, t[7], "5", "FO", "7", "10", "2026-04-14"},        // term 5
                {iin, school, t[7], "4", "BONUS", "7", "10", "2026-04-14"},     // unknown kind
                {badIin, school, t[7], "4", "FO", "7", "10", "2026-04-14"},     // wrong IIN check digit
                {iin, "ALM-0099", t[7], "4", "FO", "7", "10", "2026-04-14"},    // unknown school
                {iin, school, t[7], "4", "FO", "7", "", "2026-04-14"},          // a field short (below)
                {iin, school, t[7], "4", "FO", "abc", "10", "2026-04-14"},      // not a number
                {iin, school, t[7], "4", "FO", "7", "10", "2027-03-01"}};       // outside 2025-2026
            for (String[] r : rows) {
                int k = out.size();
                String line = event("bc-" + school + "-bad" + n + "-" + k, YEAR, r[0], r[1], t[5],
                        Integer.parseInt(t[6]), r[2], Integer.parseInt(r[3]), r[4], r[5], r[6], r[7],
                        r[7].substring(0, 8) + "14 12:" + String.format("%02d", k) + ":00");
                out.add(r[6].isEmpty() ? line.replace(",7,,", ",7,") : line);
            }
            String name = "bilimclass-" + school + "-bad" + n + ".csv";
            write(input.resolve("events").resolve(name), out, StandardCharsets.UTF_8);
            return "new file events/" + name + " (" + (out.size() - 1) + " rows, all rejected)";
        }

        /**
         * 7. The first events of 2026-2027 (term 1, September) for 4 pupils of grades 9–10 of {@code school} in
         * grade + 1 and one grade-11 pupil (grade 12: rejected as not marked).
         */
        String newYear(String school) throws IOException {
            Map<String, List<String[]>> templates = templates(school);
            List<String> younger = templates.keySet().stream()
                    .filter(iin -> List.of("9", "10").contains(templates.get(iin).get(0)[6])).toList();
            List<String> eleventh = templates.keySet().stream()
                    .filter(iin -> templates.get(iin).get(0)[6].equals("11")).toList();
            List<String> chosen = new ArrayList<>(some(younger, 4));
            chosen.add(eleventh.get(rnd.nextInt(eleventh.size())));
            int n = ++files;
            List<String> out = new ArrayList<>(List.of(HEADER));
            int k = 0;
            for (String iin : chosen) {
                int grade = Integer.parseInt(templates.get(iin).get(0)[6]) + 1;
                List<String> quarter = templates.get(iin).stream().map(e -> e[7])
                        .filter(s -> assessment.get(s).equals("QUARTER")).distinct().sorted().toList();
                for (String subject : some(quarter, 4)) {
                    String date = LocalDate.of(2026, 9, 7).plusDays(k % 5).toString();
                    out.add(event("bc-" + school + "-y2627-" + n + "-" + (++k), "2026-2027", iin, school, grade + "А",
                            grade, subject, 1, "FO", 1 + rnd.nextInt(10), 10, date, date + " 14:00:" + String.format(
                                    "%02d", k % 60)));
                }
            }
            String name = "bilimclass-" + school + "-2026-2027-" + n + ".csv";
            write(input.resolve("events").resolve(name), out, StandardCharsets.UTF_8);
            return "new file events/" + name + " (" + (out.size() - 1) + " events of 2026-2027)";
        }

        /**
         * 8. A Kundelik TERM mark (Четвертная) delivered again, later, with a mark other than the one its works give
         * (read from W's current term_grades): a CONFLICT. The export is windows-1251 and ;-delimited.
         */
        String termConflict(String file) throws IOException {
            Path path = input.resolve(file);
            List<String> all = lines(path, CP1251);
            Map<String, String[]> pupils = pupils();
            List<String[]> terms = all.stream().skip(1).map(l -> l.split(";", -1))
                    .filter(e -> e.length == 12 && e[7].equals("Четвертная") && pupils.containsKey(e[2])).toList();
            String[] e = pick(terms).clone();
            String subject = subjectCode(e[5]);
            String studentId = StudentIds.withKey(TEST_KEY).of(e[2]);
            String key = String.format(
                    "student_id = '%s' and subject_code = '%s' and academic_year = '%s' and term = %s", studentId,
                    subject, e[1], e[6]);
            List<org.apache.spark.sql.Row> now = table(w, wSnapshot, Table.TERM_GRADES).where(key)
                    .select("computed_mark").collectAsList();
            Integer computed = now.isEmpty() || now.get(0).isNullAt(0) ? null : now.get(0).getInt(0);
            int old = Integer.parseInt(e[8]);
            int mark = computed == null ? (old == 5 ? 4 : old + 1) : computed == 5 ? 4 : computed == 2 ? 3
                    : rnd.nextBoolean() ? computed + 1 : computed - 1;
            e[8] = String.valueOf(mark);
            String ts = nextTimestamp();
            // dd.MM.yyyy HH:mm:ss
            e[11] = ts.substring(8, 10) + "." + ts.substring(5, 7) + "." + ts.substring(0, 4) + ts.substring(10);
            append(path, List.of(String.join(";", e)), CP1251);
            lastConflict = key;
            return "Kundelik TERM " + e[0] + " in " + file + " (" + subject + ", term " + e[6] + ", computed "
                    + computed + ") re-delivered as " + old + " -> " + mark;
        }

        private String subjectCode(String russian) throws IOException {
            var manifest = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(input.resolve("sources/kundelik/manifest.json").toFile());
            return manifest.path("valueMaps").path("subject_code").path(russian).asText();
        }
    }
}
