package kz.baga.contract;

import static kz.baga.contract.Column.optional;
import static kz.baga.contract.Column.required;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The warehouse tables of a snapshot: names, columns, types and partitioning.
 *
 * <p>This enum is the contract between the pipeline that writes a snapshot and every reader of it.
 * The column names of docs/pipeline.md ("Warehouse") are kept exactly; extra columns are additions, never renames.
 * Types are Spark SQL types; decimals are used wherever a value is compared with a threshold.
 *
 * <p>Tables scoped to a school are partitioned by {@code school_id} (one folder per school), so a reader
 * that serves one school opens one folder; school indicators are partitioned by {@code district_id}
 * for the same reason on the department side.
 */
public enum Table {

    SCHOOLS("schools", null,
            required("school_id", "string"),
            optional("name_kk", "string"),
            optional("name_ru", "string"),
            required("district_id", "string"),
            optional("district_name_kk", "string"),
            optional("district_name_ru", "string")),

    SUBJECTS("subjects", null,
            required("subject_code", "string"),
            optional("name_kk", "string"),
            optional("name_ru", "string"),
            optional("name_en", "string"),
            required("assessment", "string")),

    /** The one restricted table: the only place IINs and names are stored. */
    STUDENT_DIRECTORY("student_directory", "school_id",
            required("student_id", "string"),
            required("iin", "string"),
            optional("last_name", "string"),
            optional("first_name", "string"),
            optional("middle_name", "string"),
            optional("birth_date", "date"),
            optional("sex", "string"),
            required("school_id", "string"),
            optional("class_label", "string"),
            optional("grade_level", "int"),
            required("academic_year", "string")),

    GRADE_EVENTS("grade_events", "school_id",
            required("student_id", "string"),
            required("subject_code", "string"),
            required("academic_year", "string"),
            required("term", "int"),
            required("kind", "string"),
            required("score", "decimal(9,2)"),
            required("max_score", "decimal(9,2)"),
            required("event_date", "date"),
            optional("recorded_at", "timestamp"),
            required("source", "string"),
            required("event_id", "string"),
            required("school_id", "string"),
            optional("class_label", "string"),
            optional("grade_level", "int"),
            optional("file", "string"),
            optional("line", "bigint")),

    REJECTED_EVENTS("rejected_events", null,
            required("source", "string"),
            required("file", "string"),
            required("line", "bigint"),
            required("reason", "string"),
            optional("raw", "string"),
            optional("school_id", "string"),
            optional("detail", "string")),

    RECONCILIATION("reconciliation", "school_id",
            required("student_id", "string"),
            required("subject_code", "string"),
            required("academic_year", "string"),
            required("term", "int"),
            required("issue", "string"),
            optional("detail", "string"),
            required("school_id", "string"),
            optional("class_label", "string")),

    TERM_GRADES("term_grades", "school_id",
            required("student_id", "string"),
            required("subject_code", "string"),
            required("academic_year", "string"),
            required("term", "int"),
            optional("fo_pct", "decimal(9,4)"),
            optional("sor_pct", "decimal(9,4)"),
            optional("soch_pct", "decimal(9,4)"),
            optional("total_pct", "decimal(9,4)"),
            required("mark", "int"),
            required("mark_source", "string"),
            optional("computed_mark", "int"),
            optional("rounded_pct", "int"),
            optional("fo_count", "int"),
            optional("sor_count", "int"),
            optional("soch_count", "int"),
            required("school_id", "string"),
            optional("class_label", "string"),
            optional("grade_level", "int")),

    ANNUAL_GRADES("annual_grades", "school_id",
            required("student_id", "string"),
            required("subject_code", "string"),
            required("academic_year", "string"),
            required("mark", "int"),
            optional("exam_mark", "int"),
            optional("final_mark", "int"),
            required("mark_source", "string"),
            optional("computed_mark", "int"),
            optional("term_count", "int"),
            required("school_id", "string"),
            optional("class_label", "string"),
            optional("grade_level", "int")),

    CLASS_RANKINGS("class_rankings", "school_id",
            required("student_id", "string"),
            required("academic_year", "string"),
            required("term", "int"),
            required("subject_code", "string"),
            required("school_id", "string"),
            required("class_label", "string"),
            optional("grade_level", "int"),
            required("avg_mark", "decimal(9,4)"),
            optional("avg_pct", "decimal(9,4)"),
            required("rank", "int"),
            required("class_size", "int"),
            required("percentile", "decimal(5,1)"),
            optional("class_avg_mark", "decimal(9,4)"),
            optional("class_avg_pct", "decimal(9,4)")),

    GRADE_DYNAMICS("grade_dynamics", "school_id",
            required("student_id", "string"),
            required("subject_code", "string"),
            required("academic_year", "string"),
            required("period_start", "date"),
            required("avg_pct", "decimal(9,4)"),
            optional("class_avg_pct", "decimal(9,4)"),
            required("events", "int"),
            required("school_id", "string"),
            optional("class_label", "string"),
            /* the distinct sources of the period's works, sorted, comma-separated: "bilimclass,kundelik" */
            optional("sources", "string")),

    MEDAL_ELIGIBILITY("medal_eligibility", "school_id",
            required("student_id", "string"),
            required("academic_year", "string"),
            required("award", "string"),
            required("status", "string"),
            optional("reasons", "string"),
            optional("reason_details",
                    "array<struct<code:string,subject_code:string,academic_year:string,term:int,"
                            + "mark:int,pct:decimal(9,4),points_short:decimal(9,4)>>"),
            required("school_id", "string"),
            optional("class_label", "string"),
            optional("grade_level", "int")),

    SCHOOL_INDICATORS("school_indicators", "district_id",
            required("school_id", "string"),
            required("academic_year", "string"),
            required("term", "int"),
            required("grade_level", "int"),
            required("subject_code", "string"),
            required("n", "bigint"),
            required("n5", "bigint"),
            required("n4", "bigint"),
            required("n3", "bigint"),
            required("n2", "bigint"),
            optional("success_rate", "decimal(7,2)"),
            optional("quality_rate", "decimal(7,2)"),
            optional("sou", "decimal(7,2)"),
            optional("avg_mark", "decimal(7,2)"),
            required("district_id", "string")),

    /** Cells that describe fewer pupils than the rules' threshold carry {@code suppressed} and no numbers. */
    DISTRICT_INDICATORS("district_indicators", null,
            required("district_id", "string"),
            required("academic_year", "string"),
            required("term", "int"),
            required("grade_level", "int"),
            required("subject_code", "string"),
            optional("n", "bigint"),
            optional("n5", "bigint"),
            optional("n4", "bigint"),
            optional("n3", "bigint"),
            optional("n2", "bigint"),
            optional("success_rate", "decimal(7,2)"),
            optional("quality_rate", "decimal(7,2)"),
            optional("sou", "decimal(7,2)"),
            optional("avg_mark", "decimal(7,2)"),
            required("suppressed", "boolean"));

    private final String tableName;
    private final String partitionColumn;
    private final List<Column> columns;

    Table(String tableName, String partitionColumn, Column... columns) {
        this.tableName = tableName;
        this.partitionColumn = partitionColumn;
        this.columns = List.of(columns);
    }

    /** The folder name inside a snapshot, e.g. {@code term_grades}. */
    public String tableName() {
        return tableName;
    }

    /** The Hive-style partition column ({@code school_id=...} folders), if any. */
    public Optional<String> partitionColumn() {
        return Optional.ofNullable(partitionColumn);
    }

    public List<Column> columns() {
        return columns;
    }

    /**
     * The columns whose order the rows of every file follow: the service's filters (one year, term, subject, grade)
     * then skip row groups and pages by their min/max statistics instead of reading them. Empty: no order.
     */
    public List<String> sortColumns() {
        return switch (this) {
            case SCHOOL_INDICATORS -> List.of("academic_year", "term", "subject_code", "grade_level", "school_id");
            case DISTRICT_INDICATORS -> List.of("district_id", "academic_year", "term", "subject_code", "grade_level");
            default -> List.of();
        };
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).collect(Collectors.toList());
    }

    public Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(tableName + " has no column " + name));
    }

    /** The column list as Spark DDL, e.g. {@code `student_id` string NOT NULL, ...}. */
    public String ddl() {
        return columns.stream().map(Column::ddl).collect(Collectors.joining(", "));
    }

    public static Table byName(String name) {
        for (Table t : values()) {
            if (t.tableName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown table " + name);
    }
}
