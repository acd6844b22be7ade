package kz.baga.service.view;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kz.baga.service.i18n.Reasons;
import kz.baga.service.warehouse.DistrictModel;
import kz.baga.service.warehouse.SchoolModel;
import kz.baga.service.warehouse.SchoolModel.AnnualGrade;
import kz.baga.service.warehouse.SchoolModel.Dynamic;
import kz.baga.service.warehouse.SchoolModel.Medal;
import kz.baga.service.warehouse.SchoolModel.Ranking;
import kz.baga.service.warehouse.SchoolModel.TermGrade;
import kz.baga.service.warehouse.Snapshot;

/**
 * The views the service answers with (the API's JSON, and what pages and PDFs show), built from read models. No
 * access checks here: callers pass an allowed scope.
 */
@ApplicationScoped
public class ViewBuilder {

    /** The application's mapper, the one Quarkus REST serialises entities with: cached JSON is byte-identical. */
    @Inject
    ObjectMapper mapper;

    /** A view as the JSON bytes an endpoint would send (for answers kept in the render cache). */
    public byte[] json(Object view) {
        try {
            return mapper.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + view.getClass().getSimpleName() + " as JSON: "
                    + e.getMessage(), e);
        }
    }

    public record TermMark(int term, int mark, BigDecimal totalPct, String markSource, Integer computedMark) {
    }

    public record Annual(int mark, Integer examMark, Integer finalMark) {
    }

    public record SubjectMarks(String subjectCode, String subjectName, List<TermMark> terms, Annual annual) {
    }

    public record Grades(String studentId, String name, String schoolId, String classLabel, Integer gradeLevel,
                         String academicYear, String snapshotId, String rulesVersion, List<SubjectMarks> subjects) {
    }

    public record Place(int term, String subjectCode, int rank, int classSize, BigDecimal percentile,
                        BigDecimal avgMark, BigDecimal avgPct, BigDecimal classAvgMark, BigDecimal classAvgPct) {
    }

    /**
     * One period of a dynamics line. {@code sources}: the platforms its works came from, sorted (e.g.
     * {@code ["bilimclass", "kundelik"]}); null when the snapshot does not record them.
     */
    public record Point(LocalDate periodStart, BigDecimal avgPct, BigDecimal classAvgPct, int events,
                        List<String> sources) {
    }

    public record SubjectDynamics(String subjectCode, String subjectName, List<Point> points) {
    }

    /**
     * {@code reasons} in the request's language; {@code reasonDetails} the same findings language-neutral (code,
     * subject, year, term, mark, pct, points short), null when the snapshot has none.
     */
    public record MedalStatus(String award, String status, String reasons,
                              List<SchoolModel.ReasonDetail> reasonDetails) {
    }

    public record Analytics(String studentId, String classLabel, String academicYear, String snapshotId,
                            String rulesVersion, List<Place> places, List<SubjectDynamics> dynamics,
                            List<MedalStatus> medals) {
    }

    public Grades grades(Snapshot snap, SchoolModel school, SchoolModel.Student st, String studentId, String year,
                         String lang) {
        Map<String, List<TermMark>> terms = new TreeMap<>();
        for (TermGrade g : school.termGrades(studentId)) {
            if (g.year().equals(year)) {
                terms.computeIfAbsent(g.subjectCode(), k -> new ArrayList<>())
                        .add(new TermMark(g.term(), g.mark(), g.totalPct(), g.markSource(), g.computedMark()));
            }
        }
        Map<String, Annual> annual = new TreeMap<>();
        for (AnnualGrade g : school.annualGrades(studentId)) {
            if (g.year().equals(year)) {
                annual.put(g.subjectCode(), new Annual(g.mark(), g.examMark(), g.finalMark()));
            }
        }
        java.util.Set<String> codes = new java.util.TreeSet<>(terms.keySet());
        codes.addAll(annual.keySet());
        List<SubjectMarks> subjects = new ArrayList<>();
        for (String c : codes) {
            List<TermMark> t = terms.getOrDefault(c, new ArrayList<>());
            t.sort(Comparator.comparingInt(TermMark::term));
            subjects.add(new SubjectMarks(c, snap.subjectName(c, lang), t, annual.get(c)));
        }
        return new Grades(studentId, st == null ? null : st.fullName(), school.schoolId(),
                st == null ? null : st.classLabel(), st == null ? null : st.gradeLevel(), year, snap.id(),
                snap.rulesVersion(), subjects);
    }

    public Analytics analytics(Snapshot snap, SchoolModel school, SchoolModel.Student st, String studentId,
                               String year, String lang) {
        List<Place> places = new ArrayList<>();
        for (Ranking r : school.rankings(studentId)) {
            if (r.year().equals(year)) {
                places.add(new Place(r.term(), r.subjectCode(), r.rank(), r.classSize(), r.percentile(),
                        r.avgMark(), r.avgPct(), r.classAvgMark(), r.classAvgPct()));
            }
        }
        places.sort(Comparator.comparing((Place p) -> !p.subjectCode().equals("ALL"))
                .thenComparing(Place::subjectCode).thenComparingInt(Place::term));
        Map<String, List<Point>> dyn = new TreeMap<>();
        for (Dynamic d : school.dynamics(studentId)) {
            if (d.year().equals(year)) {
                dyn.computeIfAbsent(d.subjectCode(), k -> new ArrayList<>())
                        .add(new Point(d.periodStart(), d.avgPct(), d.classAvgPct(), d.events(), d.sources()));
            }
        }
        List<SubjectDynamics> dynamics = new ArrayList<>();
        dyn.forEach((c, pts) -> dynamics.add(new SubjectDynamics(c, snap.subjectName(c, lang), pts)));
        List<MedalStatus> medals = new ArrayList<>();
        for (Medal m : school.medals()) {
            if (m.studentId().equals(studentId) && m.year().equals(year)) {
                medals.add(new MedalStatus(m.award(), m.status(), reasons(snap, m, lang), m.details()));
            }
        }
        medals.sort(Comparator.comparing(MedalStatus::award));
        return new Analytics(studentId, st == null ? null : st.classLabel(), year, snap.id(), snap.rulesVersion(),
                places, dynamics, medals);
    }

    /** The pupil's points in one subject, or the average over subjects per period for {@code ALL}. */
    public List<Point> dynamics(SchoolModel school, String studentId, String year, String subject) {
        if (!"ALL".equals(subject)) {
            List<Point> out = new ArrayList<>();
            for (Dynamic d : school.dynamics(studentId)) {
                if (d.year().equals(year) && d.subjectCode().equals(subject)) {
                    out.add(new Point(d.periodStart(), d.avgPct(), d.classAvgPct(), d.events(), d.sources()));
                }
            }
            return out;
        }
        Map<LocalDate, BigDecimal[]> acc = new TreeMap<>();
        Map<LocalDate, java.util.SortedSet<String>> sources = new TreeMap<>();
        for (Dynamic d : school.dynamics(studentId)) {
            if (!d.year().equals(year)) {
                continue;
            }
            if (d.sources() != null) {
                sources.computeIfAbsent(d.periodStart(), k -> new java.util.TreeSet<>()).addAll(d.sources());
            }
            BigDecimal[] a = acc.computeIfAbsent(d.periodStart(),
                    k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
            a[0] = a[0].add(d.avgPct());
            a[1] = a[1].add(BigDecimal.ONE);
            if (d.classAvgPct() != null) {
                a[2] = a[2].add(d.classAvgPct());
                a[3] = a[3].add(BigDecimal.ONE);
            }
        }
        List<Point> out = new ArrayList<>();
        acc.forEach((date, a) -> out.add(new Point(date, a[0].divide(a[1], 2, java.math.RoundingMode.HALF_UP),
                a[3].signum() == 0 ? null : a[2].divide(a[3], 2, java.math.RoundingMode.HALF_UP), a[1].intValue(),
                sources.containsKey(date) ? List.copyOf(sources.get(date)) : null)));
        return out;
    }

    /** {@code reasons} in the request's language, {@code reasonDetails} language-neutral (see {@link MedalStatus}). */
    public record Candidate(String studentId, String name, String classLabel, Integer gradeLevel, String award,
                            String status, String reasons, List<SchoolModel.ReasonDetail> reasonDetails) {
    }

    /** A medal status's reasons in {@code lang}, from its structured findings. */
    public static String reasons(Snapshot snap, Medal m, String lang) {
        return Reasons.medal(m.details(), m.reasons(), lang, c -> snap.subjectName(c, lang));
    }

    public List<Candidate> medalCandidates(Snapshot snap, SchoolModel school, String year, String lang) {
        List<Candidate> out = new ArrayList<>();
        for (Medal m : school.medals()) {
            if (!m.year().equals(year) || "LOST".equals(m.status())) {
                continue;
            }
            Integer g = m.gradeLevel();
            if (g == null || g < 9 || g > 11) {
                continue;
            }
            SchoolModel.Student st = school.student(m.studentId());
            out.add(new Candidate(m.studentId(), st == null ? null : st.fullName(), m.classLabel(), g, m.award(),
                    m.status(), reasons(snap, m, lang), m.details()));
        }
        out.sort(Comparator.comparing(Candidate::gradeLevel).thenComparing(Candidate::classLabel,
                        Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(c -> c.name() == null ? "" : c.name()).thenComparing(Candidate::award));
        return out;
    }

    public record RankRow(int rank, String studentId, String name, BigDecimal avgMark, BigDecimal avgPct,
                          BigDecimal percentile) {
    }

    public record ClassRanking(String schoolId, String classLabel, String academicYear, int term, String subjectCode,
                               Integer classSize, BigDecimal classAvgMark, String snapshotId, List<RankRow> rows) {
    }

    public ClassRanking ranking(Snapshot snap, SchoolModel school, String label, String year, int term, String subj) {
        List<Ranking> rs = school.classRanking(year, term, subj, label);
        List<RankRow> rows = new ArrayList<>();
        for (Ranking r : rs) {
            SchoolModel.Student st = school.student(r.studentId());
            rows.add(new RankRow(r.rank(), r.studentId(), st == null ? null : st.fullName(), r.avgMark(), r.avgPct(),
                    r.percentile()));
        }
        return new ClassRanking(school.schoolId(), label, year, term, subj, rs.isEmpty() ? null : rs.get(0).classSize(),
                rs.isEmpty() ? null : rs.get(0).classAvgMark(), snap.id(), rows);
    }

    /**
     * {@code detail} is the pipeline's text (English); {@code text} the same finding in the request's language,
     * {@code issueName} the issue's name in it.
     */
    public record FindingRow(String studentId, String name, String classLabel, String subjectCode, int term,
                             String issue, String detail, String issueName, String text) {
    }

    public record Reconciliation(String schoolId, String academicYear, String snapshotId, List<FindingRow> conflicts,
                                 List<FindingRow> gaps, List<FindingRow> other, List<SchoolModel.Rejected> rejected) {
    }

    public Reconciliation reconciliation(Snapshot snap, SchoolModel school, String year, String lang) {
        List<FindingRow> conflicts = new ArrayList<>();
        List<FindingRow> gaps = new ArrayList<>();
        List<FindingRow> other = new ArrayList<>();
        for (SchoolModel.Finding f : school.findings()) {
            if (!f.year().equals(year) && !"GAP".equals(f.issue())) {
                continue;
            }
            SchoolModel.Student st = school.student(f.studentId());
            FindingRow row = new FindingRow(f.studentId(), st == null ? null : st.fullName(), f.classLabel(),
                    f.subjectCode(), f.term(), f.issue(), f.detail(), Reasons.issue(f.issue(), lang),
                    Reasons.finding(f.issue(), f.subjectCode(), f.year(), f.term(), f.detail(), lang,
                            c -> snap.subjectName(c, lang)));
            switch (f.issue()) {
                case "CONFLICT" -> conflicts.add(row);
                case "GAP" -> gaps.add(row);
                default -> other.add(row);
            }
        }
        Comparator<FindingRow> order = Comparator.comparing(FindingRow::classLabel,
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(r -> r.name() == null ? "" : r.name())
                .thenComparing(FindingRow::subjectCode).thenComparingInt(FindingRow::term);
        conflicts.sort(order);
        gaps.sort(order);
        other.sort(order);
        List<SchoolModel.Rejected> rejected = new ArrayList<>();
        for (SchoolModel.Rejected r : school.rejected()) {
            rejected.add(new SchoolModel.Rejected(r.source(), r.file(), r.line(), r.reason(), maskIins(r.detail()),
                    maskIins(r.raw())));
        }
        return new Reconciliation(school.schoolId(), year, snap.id(), conflicts, gaps, other, rejected);
    }

    private static final java.util.regex.Pattern TWELVE_DIGITS = java.util.regex.Pattern.compile("(?<!\\d)\\d{12}(?!\\d)");

    /**
     * A rejected row's text with every 12-digit number (an IIN or what looks like one) blanked out: the row may
     * name a pupil of another school or one the school never registered; file and line find it in the export.
     */
    public static String maskIins(String text) {
        return text == null ? null : TWELVE_DIGITS.matcher(text).replaceAll("************");
    }

    public record IndicatorRow(String schoolId, String schoolName, int term, int gradeLevel, String subjectCode,
                               Long n, Long n5, Long n4, Long n3, Long n2, BigDecimal successRate,
                               BigDecimal qualityRate, BigDecimal sou, BigDecimal avgMark, boolean suppressed) {
    }

    public record Indicators(String districtId, String academicYear, Integer term, Integer gradeLevel,
                             String subjectCode, String snapshotId, String rulesVersion, List<IndicatorRow> district,
                             List<IndicatorRow> schools) {
    }

    public Indicators indicators(Snapshot snap, DistrictModel d, String year, Integer term, String subject,
                                 Integer grade, String lang) {
        List<IndicatorRow> dist = new ArrayList<>();
        List<IndicatorRow> sch = new ArrayList<>();
        for (DistrictModel.Cell c : d.districtCells()) {
            if (matches(c, year, term, subject, grade)) {
                dist.add(row(c, null));
            }
        }
        for (DistrictModel.Cell c : d.schoolCells()) {
            if (matches(c, year, term, subject, grade)) {
                Snapshot.School s = snap.schools().get(c.schoolId());
                sch.add(row(c, s == null ? null : s.name(lang)));
            }
        }
        Comparator<IndicatorRow> order = Comparator.comparing((IndicatorRow r) -> r.schoolId() == null ? "" : r.schoolId())
                .thenComparingInt(IndicatorRow::term).thenComparingInt(IndicatorRow::gradeLevel)
                .thenComparing(IndicatorRow::subjectCode);
        dist.sort(order);
        sch.sort(order);
        return new Indicators(d.districtId(), year, term, grade, subject, snap.id(), snap.rulesVersion(), dist, sch);
    }

    static boolean matches(DistrictModel.Cell c, String year, Integer term, String subject, Integer grade) {
        return c.year().equals(year) && (term == null || c.term() == term)
                && (subject == null || c.subjectCode().equals(subject))
                && (grade == null || c.gradeLevel() == grade);
    }

    private static IndicatorRow row(DistrictModel.Cell c, String schoolName) {
        return new IndicatorRow(c.schoolId(), schoolName, c.term(), c.gradeLevel(), c.subjectCode(), c.n(), c.n5(),
                c.n4(), c.n3(), c.n2(), c.successRate(), c.qualityRate(), c.sou(), c.avgMark(), c.suppressed());
    }

    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
