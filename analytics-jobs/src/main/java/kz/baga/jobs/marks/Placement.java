package kz.baga.jobs.marks;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where a pupil studied in a year: school, class and grade level per {@code (student_id, academic_year)}.
 * The directory is authoritative for its own year; other years take the pupil's latest event that names a
 * class (a pupil who changed class mid-year is ranked in the class they ended in).
 */
public final class Placement {

    private Placement() {
    }

    public static Dataset<Row> of(Dataset<Row> events, Dataset<Row> directory) {
        // Two steps so that the pass over every event is a hash aggregation with a fixed-width buffer (a
        // max(struct) over the events would sort them all): the latest date per place the pupil was seen in,
        // then the latest of those few per pupil and year. The maximum of per-place maxima is the maximum over the
        // events, with the same order: events naming a class first, then the latest date.
        Dataset<Row> perPlace = events.groupBy("student_id", "academic_year", "school_id", "class_label", "grade_level")
                .agg(max("event_date").as("last_date"));
        Dataset<Row> fromEvents = perPlace.groupBy("student_id", "academic_year")
                .agg(max(struct(col("class_label").isNotNull().as("has_class"), col("last_date"), col("school_id"),
                        col("class_label"), col("grade_level"))).as("p"))
                .select(col("student_id"), col("academic_year"), col("p.school_id").as("ev_school"),
                        col("p.class_label").as("ev_class"), col("p.grade_level").as("ev_grade"));
        Dataset<Row> dir = directory.select(col("student_id").as("d_student"), col("academic_year").as("d_year"),
                col("school_id").as("d_school"), col("class_label").as("d_class"), col("grade_level").as("d_grade"));
        return fromEvents.join(dir, col("student_id").equalTo(col("d_student"))
                        .and(col("academic_year").equalTo(col("d_year"))), "left")
                .select(col("student_id"), col("academic_year"),
                        coalesce(col("d_school"), col("ev_school")).as("school_id"),
                        when(col("d_student").isNotNull(), col("d_class")).otherwise(col("ev_class")).as("class_label"),
                        coalesce(col("d_grade"), col("ev_grade")).as("grade_level"));
    }
}
