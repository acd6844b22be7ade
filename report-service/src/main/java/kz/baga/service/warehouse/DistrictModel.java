package kz.baga.service.warehouse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import kz.baga.contract.Table;
import kz.baga.service.warehouse.ParquetTables.Eq;
import kz.baga.service.warehouse.ParquetTables.Row;

/**
 * Indicators of one district in one snapshot: its school_indicators partition folder and its rows of
 * district_indicators (row groups skipped by statistics). Aggregates only: nothing here names a pupil.
 */
public final class DistrictModel {

    /** One indicator cell; {@code schoolId} is null for district-level cells. */
    public record Cell(String schoolId, String year, int term, int gradeLevel, String subjectCode, Long n, Long n5,
                       Long n4, Long n3, Long n2, BigDecimal successRate, BigDecimal qualityRate, BigDecimal sou,
                       BigDecimal avgMark, boolean suppressed) {
    }

    private final String districtId;
    private final List<Cell> schoolCells = new ArrayList<>();
    private final List<Cell> districtCells = new ArrayList<>();
    private final Set<String> years = new TreeSet<>();

    /**
     * Which cells to read; null fields match everything. {@link #ALL} is the whole district (the cached read
     * model); a narrower filter reads the same files but materialises only the matching cells.
     */
    public record Filter(String year, Integer term, String subject, Integer grade) {
        public static final Filter ALL = new Filter(null, null, null, null);

        List<ParquetTables.Match> matches() {
            List<ParquetTables.Match> m = new ArrayList<>();
            if (year != null) {
                m.add(new ParquetTables.Match("academic_year", year));
            }
            if (term != null) {
                m.add(new ParquetTables.Match("term", term));
            }
            if (subject != null) {
                m.add(new ParquetTables.Match("subject_code", subject));
            }
            if (grade != null) {
                m.add(new ParquetTables.Match("grade_level", grade));
            }
            return m;
        }
    }

    private final Filter filter;

    public DistrictModel(Snapshot snapshot, String districtId, int suppressBelow) {
        this(snapshot, districtId, suppressBelow, Filter.ALL);
    }

    /**
     * Reads the district's cells that match {@code filter}: column by column, only the columns used here, row
     * groups skipped by statistics, and objects built for matching rows only ({@link ParquetTables#scan}).
     */
    public DistrictModel(Snapshot snapshot, String districtId, int suppressBelow, Filter filter) {
        this.districtId = districtId;
        this.filter = filter;
        List<String> values = List.of("academic_year", "term", "grade_level", "subject_code", "n", "n5", "n4", "n3",
                "n2", "success_rate", "quality_rate", "sou", "avg_mark");
        List<String> sc = new ArrayList<>(values);
        sc.add("school_id");
        sc.add("district_id");
        List<ParquetTables.Match> schoolMatches = filter.matches();
        schoolMatches.add(new ParquetTables.Match("district_id", districtId));
        for (Row r : ParquetTables.scan(snapshot.dir(), Table.SCHOOL_INDICATORS, districtId, sc, schoolMatches)) {
            Cell c = cell(r, r.str("school_id"), false);
            // a school-level cell that describes fewer pupils than the threshold is suppressed as well
            if (c.n() != null && c.n() < suppressBelow) {
                c = new Cell(c.schoolId(), c.year(), c.term(), c.gradeLevel(), c.subjectCode(), null, null, null,
                        null, null, null, null, null, null, true);
            }
            schoolCells.add(c);
            years.add(c.year());
        }
        List<String> dc = new ArrayList<>(values);
        dc.add("district_id");
        dc.add("suppressed");
        List<ParquetTables.Match> districtMatches = filter.matches();
        districtMatches.add(new ParquetTables.Match("district_id", districtId));
        for (Row r : ParquetTables.scan(snapshot.dir(), Table.DISTRICT_INDICATORS, null, dc, districtMatches)) {
            Boolean s = r.bool("suppressed");
            districtCells.add(cell(r, null, s != null && s));
            years.add(r.str("academic_year"));
        }
    }

    /** The academic years of a district's cells: one dictionary-encoded column of its partition folder. */
    public static Set<String> years(Snapshot snapshot, String districtId) {
        Set<String> y = new TreeSet<>();
        for (Row r : ParquetTables.scan(snapshot.dir(), Table.SCHOOL_INDICATORS, districtId,
                List.of("academic_year"), List.of(new ParquetTables.Match("district_id", districtId)))) {
            y.add(r.str("academic_year"));
        }
        for (Row r : ParquetTables.scan(snapshot.dir(), Table.DISTRICT_INDICATORS, null, List.of("academic_year"),
                List.of(new ParquetTables.Match("district_id", districtId)))) {
            y.add(r.str("academic_year"));
        }
        return java.util.Collections.unmodifiableSet(y);
    }

    /** What this model holds ({@link Filter#ALL} for the cached, whole-district model). */
    public Filter filter() {
        return filter;
    }

    private static Cell cell(Row r, String schoolId, boolean suppressed) {
        return new Cell(schoolId, r.str("academic_year"), r.integer("term"), r.integer("grade_level"),
                r.str("subject_code"), r.lng("n"), r.lng("n5"), r.lng("n4"), r.lng("n3"), r.lng("n2"),
                r.dec("success_rate"), r.dec("quality_rate"), r.dec("sou"), r.dec("avg_mark"), suppressed);
    }

    public String districtId() {
        return districtId;
    }

    public List<Cell> schoolCells() {
        return schoolCells;
    }

    public List<Cell> districtCells() {
        return districtCells;
    }

    public Set<String> years() {
        return years;
    }

    public int rowCount() {
        return schoolCells.size() + districtCells.size();
    }
}
