package kz.baga.service.warehouse;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import kz.baga.contract.Table;
import kz.baga.service.warehouse.ParquetTables.Eq;
import kz.baga.service.warehouse.ParquetTables.Row;

/**
 * The read model of one school in one snapshot: every table a school- or pupil-level request needs, read from
 * the school's partition folders only, with projections. Immutable; cached per (snapshot, school).
 */
public final class SchoolModel {

    public record Student(String studentId, String lastName, String firstName, String middleName, String classLabel,
                          Integer gradeLevel, String academicYear) {
        public String fullName() {
            StringBuilder b = new StringBuilder();
            for (String s : new String[]{lastName, firstName, middleName}) {
                if (s != null && !s.isBlank()) {
                    if (b.length() > 0) {
                        b.append(' ');
                    }
                    b.append(s);
                }
            }
            return b.toString();
        }
    }

    public record TermGrade(String studentId, String subjectCode, String year, int term, BigDecimal totalPct,
                            int mark, String markSource, Integer computedMark) {
    }

    public record AnnualGrade(String studentId, String subjectCode, String year, int mark, Integer examMark,
                              Integer finalMark, Integer gradeLevel) {
    }

    public record Ranking(String studentId, String year, int term, String subjectCode, String classLabel,
                          Integer gradeLevel, BigDecimal avgMark, BigDecimal avgPct, int rank, int classSize,
                          BigDecimal percentile, BigDecimal classAvgMark, BigDecimal classAvgPct) {
    }

    /**
     * One period of a pupil's subject; {@code sources} are the platforms its works came from, sorted (null when the
     * warehouse does not say: older snapshots have no such column).
     */
    public record Dynamic(String studentId, String subjectCode, String year, LocalDate periodStart, BigDecimal avgPct,
                          BigDecimal classAvgPct, int events, List<String> sources) {
    }

    /**
     * One finding behind a medal status, language-neutral (rendered by {@code i18n.Reasons}); the fields a code
     * does not use are null.
     */
    public record ReasonDetail(String code, String subjectCode, String academicYear, Integer term, Integer mark,
                               BigDecimal pct, BigDecimal pointsShort) {
    }

    /** {@code details} is null when the snapshot has no {@code reason_details} column (then only the English text). */
    public record Medal(String studentId, String year, String award, String status, String reasons,
                        String classLabel, Integer gradeLevel, List<ReasonDetail> details) {
    }

    public record Finding(String studentId, String subjectCode, String year, int term, String issue, String detail,
                          String classLabel) {
    }

    public record Rejected(String source, String file, long line, String reason, String detail, String raw) {
    }

    private final String schoolId;
    private final Map<String, Student> students = new LinkedHashMap<>();
    private final Map<String, List<TermGrade>> termGrades = new HashMap<>();
    private final Map<String, List<AnnualGrade>> annualGrades = new HashMap<>();
    private final Map<String, List<Ranking>> rankingsByStudent = new HashMap<>();
    private final Map<String, List<Ranking>> rankingsByClass = new HashMap<>();
    private final Map<String, List<Dynamic>> dynamics = new HashMap<>();
    private final List<Medal> medals = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private final Set<String> years = new TreeSet<>();
    private final Set<String> classLabels = new TreeSet<>();
    private final int rowCount;

    public SchoolModel(Snapshot snapshot, String schoolId) {
        this.schoolId = schoolId;
        var dir = snapshot.dir();
        int rows = 0;
        for (Row r : ParquetTables.read(dir, Table.STUDENT_DIRECTORY, schoolId,
                List.of("student_id", "last_name", "first_name", "middle_name", "class_label", "grade_level",
                        "academic_year"), null)) {
            Student s = new Student(r.str("student_id"), r.str("last_name"), r.str("first_name"),
                    r.str("middle_name"), r.str("class_label"), r.integer("grade_level"), r.str("academic_year"));
            students.put(s.studentId(), s);
            years.add(s.academicYear());
            if (s.classLabel() != null) {
                classLabels.add(s.classLabel());
            }
            rows++;
        }
        for (Row r : ParquetTables.read(dir, Table.TERM_GRADES, schoolId,
                List.of("student_id", "subject_code", "academic_year", "term", "total_pct", "mark", "mark_source",
                        "computed_mark"), null)) {
            TermGrade g = new TermGrade(r.str("student_id"), r.str("subject_code"), r.str("academic_year"),
                    r.integer("term"), r.dec("total_pct"), r.integer("mark"), r.str("mark_source"),
                    r.integer("computed_mark"));
            termGrades.computeIfAbsent(g.studentId(), k -> new ArrayList<>()).add(g);
            years.add(g.year());
            rows++;
        }
        for (Row r : ParquetTables.read(dir, Table.ANNUAL_GRADES, schoolId,
                List.of("student_id", "subject_code", "academic_year", "mark", "exam_mark", "final_mark",
                        "grade_level"), null)) {
            AnnualGrade g = new AnnualGrade(r.str("student_id"), r.str("subject_code"), r.str("academic_year"),
                    r.integer("mark"), r.integer("exam_mark"), r.integer("final_mark"), r.integer("grade_level"));
            annualGrades.computeIfAbsent(g.studentId(), k -> new ArrayList<>()).add(g);
            years.add(g.year());
            rows++;
        }
        for (Row r : ParquetTables.read(dir, Table.CLASS_RANKINGS, schoolId,
                List.of("student_id", "academic_year", "term", "subject_code", "class_label", "grade_level",
                        "avg_mark", "avg_pct", "rank", "class_size", "percentile", "class_avg_mark",
                        "class_avg_pct"), null)) {
            Ranking k = new Ranking(r.str("student_id"), r.str("academic_year"), r.integer("term"),
                    r.str("subject_code"), r.str("class_label"), r.integer("grade_level"), r.dec("avg_mark"),
                    r.dec("avg_pct"), r.integer("rank"), r.integer("class_size"), r.dec("percentile"),
                    r.dec("class_avg_mark"), r.dec("class_avg_pct"));
            rankingsByStudent.computeIfAbsent(k.studentId(), x -> new ArrayList<>()).add(k);
            rankingsByClass.computeIfAbsent(classKey(k.year(), k.term(), k.subjectCode(), k.classLabel()),
                    x -> new ArrayList<>()).add(k);
            rows++;
        }
        rankingsByClass.values().forEach(l -> l.sort(Comparator.comparingInt(Ranking::rank)
                .thenComparing(Ranking::studentId)));
        for (Row r : ParquetTables.read(dir, Table.GRADE_DYNAMICS, schoolId,
                List.of("student_id", "subject_code", "academic_year", "period_start", "avg_pct", "class_avg_pct",
                        "events", "sources"), null)) {
            Dynamic d = new Dynamic(r.str("student_id"), r.str("subject_code"), r.str("academic_year"),
                    (LocalDate) r.get("period_start"), r.dec("avg_pct"), r.dec("class_avg_pct"),
                    r.integer("events"), sources(r.str("sources")));
            dynamics.computeIfAbsent(d.studentId(), x -> new ArrayList<>()).add(d);
            rows++;
        }
        dynamics.values().forEach(l -> l.sort(Comparator.comparing(Dynamic::subjectCode)
                .thenComparing(Dynamic::periodStart)));
        for (Row r : ParquetTables.read(dir, Table.MEDAL_ELIGIBILITY, schoolId,
                List.of("student_id", "academic_year", "award", "status", "reasons", "class_label", "grade_level",
                        "reason_details"), null)) {
            medals.add(new Medal(r.str("student_id"), r.str("academic_year"), r.str("award"), r.str("status"),
                    r.str("reasons"), r.str("class_label"), r.integer("grade_level"),
                    details(r.get("reason_details"))));
            rows++;
        }
        for (Row r : ParquetTables.read(dir, Table.RECONCILIATION, schoolId,
                List.of("student_id", "subject_code", "academic_year", "term", "issue", "detail", "class_label"),
                null)) {
            findings.add(new Finding(r.str("student_id"), r.str("subject_code"), r.str("academic_year"),
                    r.integer("term"), r.str("issue"), r.str("detail"), r.str("class_label")));
            rows++;
        }
        for (Row r : ParquetTables.read(dir, Table.REJECTED_EVENTS, null,
                List.of("source", "file", "line", "reason", "detail", "raw", "school_id"),
                new Eq("school_id", schoolId))) {
            rejected.add(new Rejected(r.str("source"), r.str("file"), r.lng("line"), r.str("reason"),
                    r.str("detail"), r.str("raw")));
            rows++;
        }
        rejected.sort(Comparator.comparing(Rejected::file).thenComparingLong(Rejected::line));
        this.rowCount = rows;
    }

    /** {@code "bilimclass,kundelik"} → its names; null or blank (column absent, or no value) → null: unknown. */
    static List<String> sources(String csv) {
        if (csv == null || csv.isBlank()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        Collections.sort(out);
        return List.copyOf(out);
    }

    /** The list of structs as read by {@link ParquetTables} (null: the snapshot has no such column). */
    @SuppressWarnings("unchecked")
    static List<ReasonDetail> details(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        List<ReasonDetail> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> m) {
                Map<String, Object> f = (Map<String, Object>) m;
                out.add(new ReasonDetail((String) f.get("code"), (String) f.get("subject_code"),
                        (String) f.get("academic_year"), num(f.get("term")), num(f.get("mark")),
                        (BigDecimal) f.get("pct"), (BigDecimal) f.get("points_short")));
            }
        }
        return List.copyOf(out);
    }

    private static Integer num(Object v) {
        return v == null ? null : ((Number) v).intValue();
    }

    static String classKey(String year, int term, String subject, String classLabel) {
        return year + '|' + term + '|' + subject + '|' + classLabel;
    }

    public String schoolId() {
        return schoolId;
    }

    public int rowCount() {
        return rowCount;
    }

    public Student student(String id) {
        return students.get(id);
    }

    public Map<String, Student> students() {
        return Collections.unmodifiableMap(students);
    }

    public List<TermGrade> termGrades(String studentId) {
        return termGrades.getOrDefault(studentId, List.of());
    }

    public List<AnnualGrade> annualGrades(String studentId) {
        return annualGrades.getOrDefault(studentId, List.of());
    }

    public List<Ranking> rankings(String studentId) {
        return rankingsByStudent.getOrDefault(studentId, List.of());
    }

    public List<Ranking> classRanking(String year, int term, String subject, String classLabel) {
        return rankingsByClass.getOrDefault(classKey(year, term, subject, classLabel), List.of());
    }

    public List<Dynamic> dynamics(String studentId) {
        return dynamics.getOrDefault(studentId, List.of());
    }

    public List<Medal> medals() {
        return medals;
    }

    public List<Finding> findings() {
        return findings;
    }

    public List<Rejected> rejected() {
        return rejected;
    }

    public Set<String> years() {
        return years;
    }

    public Set<String> classLabels() {
        return classLabels;
    }
}
