package kz.baga.service.warehouse;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.Table;
import kz.baga.service.warehouse.ParquetTables.Row;

/**
 * One committed snapshot: immutable once opened. Requests take a reference at their start, so a request in
 * flight keeps reading the snapshot it started with even when {@code CURRENT} moves on.
 */
public final class Snapshot {

    public record School(String schoolId, String nameKk, String nameRu, String districtId, String districtNameKk,
                         String districtNameRu) {
        public String name(String lang) {
            return "kk".equals(lang) ? nameKk : nameRu;
        }

        public String districtName(String lang) {
            return "kk".equals(lang) ? districtNameKk : districtNameRu;
        }
    }

    public record Subject(String code, String nameKk, String nameRu, String nameEn, String assessment) {
        public String name(String lang) {
            return switch (lang) {
                case "kk" -> nameKk;
                case "en" -> nameEn;
                default -> nameRu;
            };
        }
    }

    private final String id;
    private final Path dir;
    private final SnapshotManifest manifest;
    private final Map<String, School> schools;
    private final Map<String, Subject> subjects;
    private volatile Map<String, String> studentSchool;
    private volatile java.util.SortedSet<String> years;

    Snapshot(String id, Path dir, SnapshotManifest manifest) {
        this.id = id;
        this.dir = dir;
        this.manifest = manifest;
        Map<String, School> s = new LinkedHashMap<>();
        for (Row r : ParquetTables.readAll(dir, Table.SCHOOLS, Table.SCHOOLS.columnNames())) {
            s.put(r.str("school_id"), new School(r.str("school_id"), r.str("name_kk"), r.str("name_ru"),
                    r.str("district_id"), r.str("district_name_kk"), r.str("district_name_ru")));
        }
        this.schools = Collections.unmodifiableMap(s);
        Map<String, Subject> sub = new LinkedHashMap<>();
        for (Row r : ParquetTables.readAll(dir, Table.SUBJECTS, Table.SUBJECTS.columnNames())) {
            sub.put(r.str("subject_code"), new Subject(r.str("subject_code"), r.str("name_kk"), r.str("name_ru"),
                    r.str("name_en"), r.str("assessment")));
        }
        this.subjects = Collections.unmodifiableMap(sub);
    }

    public String id() {
        return id;
    }

    public Path dir() {
        return dir;
    }

    public SnapshotManifest manifest() {
        return manifest;
    }

    public String rulesVersion() {
        return manifest.rules() == null || manifest.rules().version() == null ? "unknown" : manifest.rules().version();
    }

    public String createdAt() {
        return manifest.createdAt();
    }

    public Map<String, School> schools() {
        return schools;
    }

    public Map<String, Subject> subjects() {
        return subjects;
    }

    public String subjectName(String code, String lang) {
        Subject s = subjects.get(code);
        return s == null ? code : s.name(lang);
    }

    public boolean districtExists(String districtId) {
        return schools.values().stream().anyMatch(s -> s.districtId().equals(districtId));
    }

    /** student_id → school_id over the whole snapshot (two columns of student_directory, read once). */
    public String schoolOf(String studentId) {
        return studentIndex().get(studentId);
    }

    /** Academic years the directory knows (the current year of every pupil). */
    public Set<String> directoryYears() {
        studentIndex();
        return years;
    }

    private Map<String, String> studentIndex() {
        Map<String, String> idx = studentSchool;
        if (idx == null) {
            synchronized (this) {
                idx = studentSchool;
                if (idx == null) {
                    List<Row> rows = ParquetTables.readAll(dir, Table.STUDENT_DIRECTORY,
                            List.of("student_id", "school_id", "academic_year"));
                    Map<String, String> m = new HashMap<>(rows.size() * 2);
                    TreeSet<String> y = new TreeSet<>();
                    for (Row r : rows) {
                        m.put(r.str("student_id"), r.str("school_id"));
                        y.add(r.str("academic_year"));
                    }
                    years = Collections.unmodifiableSortedSet(y);
                    idx = Collections.unmodifiableMap(m);
                    studentSchool = idx;
                }
            }
        }
        return idx;
    }

    /** The latest academic year of the directory: the default {@code year} of every endpoint. */
    public String currentYear() {
        Set<String> y = directoryYears();
        return y.isEmpty() ? null : ((java.util.SortedSet<String>) y).last();
    }
}
