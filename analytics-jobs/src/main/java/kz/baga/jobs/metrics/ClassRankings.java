package kz.baga.jobs.metrics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import kz.baga.contract.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Class rankings (docs/rules.md §5): per class, term (0 = year) and subject ({@code ALL} = overall), pupils ordered
 * by average mark, ties broken by average total percentage; standard competition ranking (1, 2, 2, 4).
 *
 * <p>{@code percentile} = 100 · (class_size − rank) / (class_size − 1), one decimal: the share of classmates
 * ranked below the pupil (100 for the top, 0 for the bottom, 100 in a class of one).
 * Term rows use term marks and term totals; year rows use annual marks and the mean of the year's term totals.
 */
public final class ClassRankings {

    public static final String ALL = "ALL";

    private ClassRankings() {
    }

    public static Dataset<Row> build(Dataset<Row> termGrades, Dataset<Row> annualGrades) {
        return ranked(perPupil(termGrades, annualGrades));
    }

    /** The columns of a pupil's own averages, before they are ranked within the class. */
    public static final String[] PER_PUPIL = {"student_id", "academic_year", "term", "subject_code", "school_id",
            "class_label", "grade_level", "avg_mark", "avg_pct"};

    /**
     * Each pupil's averages per term (0 = year) and subject ({@code ALL} too), with the class they count in: what
     * {@link #ranked} orders. An incremental run computes these for the pupils whose marks changed and takes the
     * others' from the previous snapshot's rows ({@link #PER_PUPIL} columns), then ranks whole classes again.
     */
    public static Dataset<Row> perPupil(Dataset<Row> termGrades, Dataset<Row> annualGrades) {
        Dataset<Row> termSubject = termGrades.where(col("class_label").isNotNull())
                .select(col("student_id"), col("academic_year"), col("term"), col("subject_code"), col("school_id"),
                        col("class_label"), col("grade_level"), col("mark").cast("decimal(9,4)").as("avg_mark"),
                        col("total_pct").as("avg_pct"));
        Dataset<Row> termAll = termSubject
                .groupBy("student_id", "academic_year", "term", "school_id", "class_label", "grade_level")
                .agg(avg("avg_mark").as("avg_mark"), avg("avg_pct").as("avg_pct"))
                .withColumn("subject_code", lit(ALL));
        // The annual marks as the pipeline builds them carry the mean of the year's term totals already (taken in
        // the same grouping as the annual mark); the table as written does not, so then it is taken here.
        Dataset<Row> yearSubject = annualGrades.where(col("class_label").isNotNull());
        if (!List.of(annualGrades.columns()).contains("year_pct")) {
            yearSubject = yearSubject.join(termGrades.groupBy("student_id", "subject_code", "academic_year")
                    .agg(avg("total_pct").as("year_pct")), new String[] {"student_id", "subject_code", "academic_year"},
                    "left");
        }
        yearSubject = yearSubject
                .select(col("student_id"), col("academic_year"), lit(0).as("term"), col("subject_code"),
                        col("school_id"), col("class_label"), col("grade_level"),
                        col("mark").cast("decimal(9,4)").as("avg_mark"), col("year_pct").as("avg_pct"));
        // Across subjects the year's % is the mean of the subjects' exact year means, rounded once: a mean of three
        // terms is cut at 8 decimals, and four such cuts can move a value off a half (25.00005 became 25.0000). With
        // at most 4 terms, 12 × a subject's mean in ten-thousandths is a whole number, recovered exactly from the 8
        // decimals; the mean of those is rounded half-up, as docs/rules.md §5 asks.
        Dataset<Row> yearAll = yearSubject
                .groupBy("student_id", "academic_year", "term", "school_id", "class_label", "grade_level")
                .agg(avg("avg_mark").as("avg_mark"),
                        sum(round(col("avg_pct").multiply(120000)).cast("bigint")).as("pct12"),
                        count("avg_pct").as("pct_n"))
                .withColumn("avg_pct", expr("case when pct_n > 0 then cast((2 * pct12 + 12 * pct_n) div (24 * pct_n)"
                        + " as decimal(18,0)) * 0.0001 end"))
                .drop("pct12", "pct_n")
                .withColumn("subject_code", lit(ALL));

        String[] cols = PER_PUPIL;
        return termSubject.selectExpr(cols)
                .unionByName(termAll.selectExpr(cols))
                .unionByName(yearSubject.selectExpr(cols))
                .unionByName(yearAll.selectExpr(cols))
                .withColumn("avg_mark", col("avg_mark").cast("decimal(9,4)"))
                .withColumn("avg_pct", col("avg_pct").cast("decimal(9,4)"));
    }

    /** Ranks, class size, percentile and class averages over whole classes of {@link #perPupil} rows. */
    public static Dataset<Row> ranked(Dataset<Row> all) {
        WindowSpec cls = Window.partitionBy("school_id", "class_label", "academic_year", "term", "subject_code");
        // Rank on the rounded values users see, so two pupils shown with equal averages share a place.
        WindowSpec ordered = cls.orderBy(col("avg_mark").desc(), col("avg_pct").desc_nulls_last());
        Column size = count(lit(1)).over(cls);
        return all.withColumn("rank", rank().over(ordered).cast("int"))
                .withColumn("class_size", size.cast("int"))
                .withColumn("percentile", when(col("class_size").leq(1), lit(100))
                        .otherwise(lit(100).multiply(col("class_size").minus(col("rank")))
                                .divide(col("class_size").minus(1)))
                        .cast("decimal(5,1)"))
                .withColumn("class_avg_mark", avg("avg_mark").over(cls).cast("decimal(9,4)"))
                .withColumn("class_avg_pct", avg("avg_pct").over(cls).cast("decimal(9,4)"))
                .select(Table.CLASS_RANKINGS.columnNames().stream().map(c -> col(c)).toArray(Column[]::new));
    }
}
