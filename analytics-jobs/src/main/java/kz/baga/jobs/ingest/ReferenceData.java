package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * The reference files: schools, subjects and the pupil directory. Bad reference rows go to
 * {@code rejected_events} with source {@code reference}, like bad events; a missing column fails the run.
 */
public final class ReferenceData {

    public static final String SOURCE = "reference";
    public static final List<String> ASSESSMENTS = List.of("QUARTER", "HALF_YEAR", "PASS_FAIL");

    private final Dataset<Row> schools;
    private final Dataset<Row> subjects;
    private final Dataset<Row> directory;
    private final Dataset<Row> rejected;

    private ReferenceData(Dataset<Row> schools, Dataset<Row> subjects, Dataset<Row> directory, Dataset<Row> rejected) {
        this.schools = schools;
        this.subjects = subjects;
        this.directory = directory;
        this.rejected = rejected;
    }

    /**
     * Reference data as an earlier run loaded it from the same files (kept with its snapshot): what an incremental
     * run validates new files against, without parsing the reference files again. Its rejected rows are not kept.
     */
    public static ReferenceData of(Dataset<Row> schools, Dataset<Row> subjects, Dataset<Row> directory) {
        return new ReferenceData(schools, subjects, directory, null);
    }

    public static ReferenceData load(SparkSession spark, InputFolder input, StudentIds ids) {
        Dataset<Row> schoolRows = read(spark, input, "schools.csv",
                List.of("school_id", "name_kk", "name_ru", "district_id", "district_name_kk", "district_name_ru"));
        Column schoolReason = when(instr(col("raw"), "\u0000").gt(0), lit("BAD_CHARACTER"))
                .when(col("field_count").notEqual(col("expected_fields")), lit("BAD_COLUMN_COUNT"))
                .when(col("school_id").isNull().or(col("district_id").isNull()), lit("MISSING_FIELD"))
                .when(row_number().over(Window.partitionBy("school_id").orderBy("line")).gt(1), lit("DUPLICATE_SCHOOL"));
        Dataset<Row> schoolsChecked = schoolRows.withColumn("reason", schoolReason).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> schools = schoolsChecked.where(col("reason").isNull())
                .select("school_id", "name_kk", "name_ru", "district_id", "district_name_kk", "district_name_ru");

        Dataset<Row> subjectRows = read(spark, input, "subjects.csv",
                List.of("subject_code", "name_kk", "name_ru", "name_en", "assessment"));
        Column subjectReason = when(instr(col("raw"), "\u0000").gt(0), lit("BAD_CHARACTER"))
                .when(col("field_count").notEqual(col("expected_fields")), lit("BAD_COLUMN_COUNT"))
                .when(col("subject_code").isNull().or(col("assessment").isNull()), lit("MISSING_FIELD"))
                .when(col("assessment").isin(ASSESSMENTS.toArray()).equalTo(false), lit("BAD_ASSESSMENT"))
                .when(row_number().over(Window.partitionBy("subject_code").orderBy("line")).gt(1), lit("DUPLICATE_SUBJECT"));
        Dataset<Row> subjectsChecked = subjectRows.withColumn("reason", subjectReason).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> subjects = subjectsChecked.where(col("reason").isNull())
                .select("subject_code", "name_kk", "name_ru", "name_en", "assessment");

        Dataset<Row> studentRows = read(spark, input, "students.csv", List.of("iin", "last_name", "first_name",
                "middle_name", "birth_date", "sex", "school_id", "class_label", "grade_level", "academic_year"));
        Dataset<Row> studentsTyped = FieldChecks.withIinProblem(studentRows, "iin", "iin_problem")
                .withColumn("grade_level_i", col("grade_level").try_cast("int"))
                .withColumn("birth_date_d", col("birth_date").try_cast("date"))
                .join(schools.select(col("school_id").as("known_school")),
                        col("school_id").equalTo(col("known_school")), "left");
        Column studentProblem = when(instr(col("raw"), "\u0000").gt(0), lit("BAD_CHARACTER"))
                .when(col("field_count").notEqual(col("expected_fields")), lit("BAD_COLUMN_COUNT"))
                .when(col("iin").isNull().or(col("school_id").isNull()).or(col("academic_year").isNull()),
                        lit("MISSING_FIELD"))
                .when(col("iin_problem").isNotNull(), lit("BAD_IIN"))
                .when(col("grade_level").isNotNull().and(col("grade_level_i").isNull()), lit("BAD_NUMBER"))
                .when(col("known_school").isNull(), lit("UNKNOWN_SCHOOL"));
        // One row per pupil and academic year (a class history is welcome); the same IIN twice in one year is a
        // duplicate, counted among the rows that are otherwise good, and names the line it repeats.
        org.apache.spark.sql.expressions.WindowSpec sameYear = Window.partitionBy(col("iin"), col("academic_year"),
                col("problem").isNull()).orderBy("line");
        Dataset<Row> studentsChecked = studentsTyped.withColumn("problem", studentProblem)
                .withColumn("reason", coalesce(col("problem"),
                        when(row_number().over(sameYear).gt(1), lit("DUPLICATE_PUPIL"))))
                .withColumn("detail", when(col("reason").equalTo("BAD_IIN"), col("iin_problem"))
                        .when(col("reason").equalTo("DUPLICATE_PUPIL"), concat(lit("the pupil is listed for "),
                                col("academic_year"), lit(" on line "), min(col("line")).over(sameYear).cast("string"),
                                lit(" already"))))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> accepted = studentsChecked.where(col("reason").isNull());
        // The latest year's row is the pupil's current record (the directory); every accepted row is the class and
        // grade of its year, which events without a class or grade of their own take.
        Dataset<Row> years = accepted.groupBy("iin").agg(
                max_by(struct(col("line"), col("last_name"), col("first_name"), col("middle_name"),
                        col("birth_date_d"), col("sex"), col("school_id"), col("class_label"), col("grade_level_i"),
                        col("academic_year")), col("academic_year")).as("cur"),
                map_from_entries(collect_list(struct(col("academic_year"),
                        struct(col("class_label"), col("grade_level_i").as("grade_level"))))).as("years"));
        Dataset<Row> directory = years
                .select(ids.column(col("iin")).as("student_id"), col("iin"), col("cur.last_name"), col("cur.first_name"),
                        col("cur.middle_name"), col("cur.birth_date_d").as("birth_date"), col("cur.sex"),
                        col("cur.school_id"), col("cur.class_label"), col("cur.grade_level_i").as("grade_level"),
                        col("cur.academic_year"), col("years"));

        Dataset<Row> rejected = rejectedOf(schoolsChecked.withColumn("detail", lit(null).cast("string")))
                .unionByName(rejectedOf(subjectsChecked.withColumn("detail", lit(null).cast("string"))))
                .unionByName(rejectedOf(studentsChecked.withColumn("school_id", col("school_id"))));
        return new ReferenceData(schools, subjects, directory.persist(StorageLevel.MEMORY_AND_DISK()), rejected);
    }

    private static Dataset<Row> rejectedOf(Dataset<Row> checked) {
        Column schoolId = List.of(checked.columns()).contains("school_id") ? col("school_id") : lit(null).cast("string");
        // IINs, names and birth dates never appear in rejected rows' raw text for the directory: the line is kept
        // with those fields as '*' (the rest locates the row: school, class, grade, year; file and line find it).
        boolean isStudents = List.of(checked.columns()).contains("iin");
        Column raw = isStudents ? concat_ws(",", lit("*"), lit("*"), lit("*"), lit("*"), lit("*"),
                coalesce(col("sex"), lit("")), coalesce(col("school_id"), lit("")),
                coalesce(col("class_label"), lit("")), coalesce(col("grade_level"), lit("")),
                coalesce(col("academic_year"), lit(""))) : col("raw");
        return checked.where(col("reason").isNotNull()).select(lit(SOURCE).as("source"), col("file"),
                col("line"), col("reason"), FieldChecks.capText(raw).as("raw"),
                schoolId.as("school_id"), col("detail"));
    }

    private static Dataset<Row> read(SparkSession spark, InputFolder input, String name, List<String> columns) {
        NumberedCsv.requireUtf8(input.fs(), input.reference(name), name);
        List<String> header = NumberedCsv.readHeader(input.fs(), input.reference(name), StandardCharsets.UTF_8, ',', '"');
        for (String c : columns) {
            if (!header.contains(c)) {
                throw new InputException(name + " has no column '" + c + "' (expected " + String.join(",", columns) + ")");
            }
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        columns.forEach(c -> wanted.put(c, c));
        NumberedCsv.FileGroup group = new NumberedCsv.FileGroup("", List.of(input.reference(name)), header,
                StandardCharsets.UTF_8, ',', '"');
        Dataset<Row> rows = NumberedCsv.read(spark, group, wanted);
        // One select, not a withColumn per column: each withColumn re-analyses the whole plan.
        java.util.List<Column> cols = new java.util.ArrayList<>(List.of(lit(name).as("file"), col("line"), col("raw"),
                col("field_count"), col("expected_fields")));
        for (String c : columns) {
            cols.add(nullif(trim(col(c)), lit("")).as(c));
        }
        return rows.select(cols.toArray(Column[]::new));
    }

    public Dataset<Row> schools() {
        return schools;
    }

    public Dataset<Row> subjects() {
        return subjects;
    }

    /**
     * student_id, iin, names, birth_date, sex, school_id, class_label, grade_level, academic_year: one row per pupil,
     * their latest year's; and {@code years}, academic year → (class_label, grade_level) of every accepted row.
     */
    public Dataset<Row> directory() {
        return directory;
    }

    /** Bad reference rows in the {@code rejected_events} layout. */
    public Dataset<Row> rejected() {
        return rejected;
    }
}
