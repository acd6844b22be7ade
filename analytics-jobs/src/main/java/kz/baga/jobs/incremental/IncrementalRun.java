package kz.baga.jobs.incremental;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.not;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import kz.baga.contract.Table;
import kz.baga.jobs.ingest.Duplicates;
import kz.baga.jobs.ingest.EventValidator;
import kz.baga.jobs.ingest.IngestStage;
import kz.baga.jobs.ingest.InputFolder;
import kz.baga.jobs.ingest.ReferenceData;
import kz.baga.jobs.marks.AnnualGrades;
import kz.baga.jobs.marks.EventTotals;
import kz.baga.jobs.marks.Gaps;
import kz.baga.jobs.marks.Placement;
import kz.baga.jobs.marks.TermGrades;
import kz.baga.jobs.metrics.ClassRankings;
import kz.baga.jobs.metrics.GradeDynamics;
import kz.baga.jobs.metrics.Indicators;
import kz.baga.jobs.metrics.MedalEligibility;
import kz.baga.jobs.rules.Rules;
import kz.baga.jobs.snapshot.SnapshotStore;
import kz.baga.jobs.snapshot.SnapshotWriter;
import kz.baga.jobs.snapshot.ValidatedFiles;
import kz.baga.contract.SnapshotManifest.Counts;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A run that recomputes only what changed event files can change, on top of the current snapshot
 * ({@link ChangePlan}). The new snapshot is whole, in the same layout, with the same rows a full run would give:
 *
 * <ul>
 *   <li>Only added and changed files are parsed; every other file's validated rows are read from
 *       {@code _validated/} ({@link ValidatedFiles}).</li>
 *   <li>The events the changes touch are the {@code (source, event_id)} of every accepted row in a changed file,
 *       before and after; their copies anywhere in the input decide again which copy stands.</li>
 *   <li>The pupils affected are those with a row among them. Their term, annual and final marks, gaps,
 *       reconciliation, dynamics and medals are computed again over their whole history from their events.</li>
 *   <li>Every school partition that holds an affected pupil's row, before or after, is rewritten: the other
 *       pupils' rows as they were, the affected pupils' new ones; rankings and class averages are then taken again
 *       over whole classes. Indicators are computed again from the marks of all schools (a small table).</li>
 *   <li>Every other partition, and the reference tables, are carried over without rewriting
 *       ({@link SnapshotStore#carryOver}: hard links on a local disk).</li>
 * </ul>
 */
public final class IncrementalRun {

    /** What the run recomputed, for the manifest and the summary; {@code ingested} as a full run reports it. */
    public record Outcome(IngestStage.Ingested ingested, long schools, long pupils, long classes, long reusedSchools) {
    }

    private final SparkSession spark;
    private final SnapshotWriter tables;
    private final Rules rules;
    private final Map<String, String> env;
    private final Map<String, Long> stageMillis;
    private final Consumer<String> progress;
    private final ValidatedFiles validatedFiles;

    public IncrementalRun(SparkSession spark, SnapshotWriter tables, SnapshotStore store, Rules rules,
                          Map<String, String> env, Map<String, Long> stageMillis, Consumer<String> progress)
            throws IOException {
        this.spark = spark;
        this.tables = tables;
        this.rules = rules;
        this.env = env;
        this.stageMillis = stageMillis;
        this.progress = progress;
        this.validatedFiles = new ValidatedFiles(store);
    }

    public Outcome run(InputFolder input, ChangePlan plan) throws IOException {
        String prev = plan.previous();
        long t = System.nanoTime();
        ReferenceData ref = IngestStage.keptReference(tables, prev);
        tables.carryOverState(prev, IngestStage.REFERENCE_STATE);
        if (plan.toParse().isEmpty() && plan.removed().isEmpty()) {
            // Nothing changed: the previous snapshot's tables and state are this one's.
            for (Table table : Table.values()) {
                tables.carryOver(table, prev);
            }
            tables.carryOverState(prev, IngestStage.DUPLICATES_STATE);
            tables.carryOverState(prev, IngestStage.FILE_COUNTS_STATE);
            stage("ingest", t);
            progress.accept("  nothing changed: every table carried over");
            return new Outcome(new IngestStage.Ingested(ref, plan.previousManifest().counts(), null), 0, 0, 0,
                    ref.schools().count());
        }
        for (Table reference : List.of(Table.SCHOOLS, Table.SUBJECTS, Table.STUDENT_DIRECTORY)) {
            tables.carryOver(reference, prev);
        }

        // The input's validated rows as they are now (unchanged files from the warehouse, the rest parsed) and the
        // changed files' rows as the previous run validated them.
        EventValidator.Validated validated = null;
        Dataset<Row> parsed = null;
        if (!plan.toParse().isEmpty()) {
            progress.accept("ingest: parsing " + plan.toParse().size() + " new or changed file(s)");
            String staged = tables.workPath(IngestStage.STAGED);
            validated = IngestStage.stage(spark, input.only(plan.toParse().stream().map(ValidatedFiles::fileOf)
                    .toList()), env, ref, rules, staged);
            parsed = IngestStage.readStaged(spark, validated, staged);
        }
        Dataset<Row> unchanged = readValidated(plan.context(), plan.unchanged(), plan.files());
        List<String> replaced = new ArrayList<>(plan.changed());
        replaced.addAll(plan.removed());
        Object[] replacedFiles = replaced.stream().map(ValidatedFiles::fileOf).distinct().toArray();
        Dataset<Row> previous = readValidated(plan.context(), replaced,
                plan.previousManifest().run().validatedFiles());
        Dataset<Row> now = union(unchanged, parsed);
        Dataset<Row> template = now != null ? now : previous;
        if (template == null) {
            throw new IllegalStateException("no event file has validated rows; run with --full");
        }
        now = now != null ? now : template.limit(0);
        previous = previous != null ? previous : template.limit(0);
        Dataset<Row> newRows = parsed != null ? parsed : template.limit(0);

        // The events the changes touch: accepted rows that are not in both versions of the input (a changed file's
        // unchanged rows touch nothing), every copy of them in the input, and the pupils they belong to.
        // A row is compared by its place and two hashes of its values (96 bits): far cheaper than comparing every
        // column, and a change that keeps both hashes is beyond any practical chance.
        Column[] compared = java.util.Arrays.stream(rowColumns()).map(c -> col(c)).toArray(Column[]::new);
        String[] place = {"file", "line", "h1", "h2"};
        Dataset<Row> before = accepted(previous).select(col("key_hash"), col("source"), col("event_id"),
                col("student_id"), col("school_id"), col("file"), col("line"), xxhash64(compared).as("h1"),
                hash(compared).as("h2"));
        Dataset<Row> after = accepted(newRows).select(col("key_hash"), col("source"), col("event_id"),
                col("student_id"), col("school_id"), col("file"), col("line"), xxhash64(compared).as("h1"),
                hash(compared).as("h2"));
        Dataset<Row> touched = before.join(after.selectExpr(place), place, "left_anti")
                .unionByName(after.join(before.selectExpr(place), place, "left_anti"))
                .select("key_hash", "source", "event_id", "student_id", "school_id")
                .localCheckpoint();
        Dataset<Row> keys = touched.select("key_hash", "source", "event_id").distinct()
                .localCheckpoint();
        // Copies of the touched events in other files: found by their hashes alone (one column), then only the files
        // that hold one are read whole.
        Set<String> copyFiles = strings(accepted(now).select("key_hash", "file")
                .join(broadcast(keys.select("key_hash")), "key_hash", "left_semi").select("file"));
        Dataset<Row> copies = accepted(now.where(col("file").isin(copyFiles.toArray())))
                .join(broadcast(keys), new String[] {"key_hash", "source", "event_id"}, "left_semi")
                .localCheckpoint();
        // copies of few events, read whole: a database's rows may share their place
        Duplicates resolved = Duplicates.resolve(copies, true);
        Dataset<Row> winners = SnapshotWriter.typed(Table.GRADE_EVENTS, resolved.kept())
                .localCheckpoint();
        Dataset<Row> pupils = touched.select("student_id").union(copies.select("student_id")).distinct()
                .localCheckpoint();
        long pupilCount = pupils.count();
        stage("ingest", t);
        progress.accept("  " + keys.count() + " events touched, " + pupilCount + " pupils affected");

        // grade_events: the touched events' rows replaced by their standing copies, school by school.
        t = System.nanoTime();
        Dataset<Row> eventKeys = keys.select("source", "event_id");
        Dataset<Row> otherEvents = tables.read(prev, Table.GRADE_EVENTS)
                .join(broadcast(eventKeys), new String[] {"source", "event_id"}, "left_anti");
        Set<String> eventSchools = strings(touched.select("school_id").union(copies.select("school_id")));
        tables.writePartitions(Table.GRADE_EVENTS, SnapshotWriter.typed(Table.GRADE_EVENTS,
                        otherEvents.where(col("school_id").isin(eventSchools.toArray())))
                .unionByName(winners).repartition(col("school_id")), eventSchools, prev);

        Dataset<Row> repeated = tables.writeState(IngestStage.DUPLICATES_STATE,
                tables.readState(prev, IngestStage.DUPLICATES_STATE)
                        .join(broadcast(eventKeys), new String[] {"source", "event_id"}, "left_anti")
                        .unionByName(resolved.repeated()));
        Dataset<Row> rejected = tables.read(prev, Table.REJECTED_EVENTS)
                .where(not(col("file").isin(replacedFiles)))
                .unionByName(IngestStage.rejectedColumns(newRows.where(col("reason").isNotNull())));
        tables.write(Table.REJECTED_EVENTS, IngestStage.rejectedTable(rejected));

        // Counts per file are kept with the snapshot: the unchanged files' are taken from there, not counted again.
        Dataset<Row> parsedCounts = parsed == null ? null : parsed.groupBy("file", "source", "reason").count()
                .localCheckpoint();
        if (validated != null) {
            IngestStage.checkStaged(validated, parsedCounts.groupBy("source", "reason").agg(
                    org.apache.spark.sql.functions.sum("count").as("count")).collectAsList());
        }
        Dataset<Row> fileCounts = tables.readState(prev, IngestStage.FILE_COUNTS_STATE)
                .where(not(col("file").isin(replacedFiles)));
        fileCounts = tables.writeState(IngestStage.FILE_COUNTS_STATE,
                parsedCounts == null ? fileCounts : fileCounts.unionByName(parsedCounts));
        List<Row> bySourceAndReason = fileCounts.groupBy("source", "reason")
                .agg(org.apache.spark.sql.functions.sum("count").as("count")).collectAsList();
        Counts counts = IngestStage.counts(bySourceAndReason, Duplicates.mergedBySource(repeated),
                plan.previousManifest().counts().referenceRowsRejected());
        IngestStage.checkAccepted(tables, counts);

        // The affected pupils' marks over their whole history, as the marks stage computes them for everyone.
        Dataset<Row> events = SnapshotWriter.typed(Table.GRADE_EVENTS, otherEvents)
                .join(broadcast(pupils), "student_id", "left_semi")
                .unionByName(winners.join(broadcast(pupils), "student_id", "left_semi"))
                .localCheckpoint();
        Dataset<Row> directory = tables.read(prev, Table.STUDENT_DIRECTORY)
                .join(broadcast(pupils), "student_id", "left_semi").localCheckpoint();
        Dataset<Row> subjects = ref.subjects();
        Dataset<Row> totals = EventTotals.of(events, rules).localCheckpoint();
        Dataset<Row> placement = Placement.of(events, directory).localCheckpoint();
        Dataset<Row> certified = TermGrades.certifiedAll(events).localCheckpoint();
        Dataset<Row> termFull = TermGrades.build(TermGrades.fromTotals(totals, subjects, rules),
                TermGrades.ofKind(certified, "TERM"), placement).localCheckpoint();
        Dataset<Row> termGrades = SnapshotWriter.typed(Table.TERM_GRADES, TermGrades.table(termFull))
                .localCheckpoint();
        Dataset<Row> annualFull = AnnualGrades.fromCertified(termGrades, certified, placement, rules)
                .localCheckpoint();
        Dataset<Row> annual = SnapshotWriter.typed(Table.ANNUAL_GRADES, AnnualGrades.table(annualFull))
                .localCheckpoint();
        Dataset<Row> reconciliation = SnapshotWriter.typed(Table.RECONCILIATION, TermGrades.conflicts(termFull)
                .unionByName(AnnualGrades.conflicts(annualFull))
                .unionByName(Gaps.termGaps(termGrades, subjects))
                .unionByName(Gaps.yearGaps(directory, placement, rules))
                .unionByName(Duplicates.findings(repeated).join(broadcast(pupils), "student_id", "left_semi")))
                .localCheckpoint();
        Dataset<Row> medals = MedalEligibility.build(directory, termGrades, annual,
                reconciliation.where(col("issue").equalTo("GAP")), subjects, rules);
        stage("marks", t);

        t = System.nanoTime();
        Set<String> schools = new HashSet<>(eventSchools);
        schools.addAll(replace(Table.TERM_GRADES, termGrades, pupils, prev));
        schools.addAll(replace(Table.ANNUAL_GRADES, annual, pupils, prev));
        schools.addAll(replace(Table.RECONCILIATION, reconciliation, pupils, prev));
        schools.addAll(replace(Table.MEDAL_ELIGIBILITY, medals, pupils, prev));
        schools.addAll(replaceClasses(Table.GRADE_DYNAMICS, GradeDynamics.perPupil(totals, placement),
                GradeDynamics::withClassAverage, pupils, prev));
        Dataset<Row> rankings = ClassRankings.perPupil(termGrades, annualFull).localCheckpoint();
        Dataset<Row> oldRankings = tables.read(prev, Table.CLASS_RANKINGS);
        long classes = oldRankings.join(broadcast(pupils), "student_id", "left_semi")
                .select("school_id", "class_label", "academic_year")
                .union(rankings.select("school_id", "class_label", "academic_year")).distinct().count();
        schools.addAll(replaceClasses(Table.CLASS_RANKINGS, rankings, ClassRankings::ranked, pupils, prev));

        // Indicators of the schools rewritten, from their marks; the districts' from every school's counts.
        Object[] rewritten = schools.toArray();
        Dataset<Row> marks = Indicators.marks(tables.read(Table.TERM_GRADES).where(col("school_id").isin(rewritten)),
                tables.read(Table.ANNUAL_GRADES).where(col("school_id").isin(rewritten)), ref.schools());
        Dataset<Row> schoolRows = Indicators.school(marks, rules).localCheckpoint();
        Set<String> districts = strings(schoolRows.select("district_id").union(tables.read(prev,
                Table.SCHOOL_INDICATORS).where(col("school_id").isin(rewritten)).select("district_id")));
        Dataset<Row> otherSchools = tables.read(prev, Table.SCHOOL_INDICATORS)
                .where(col("district_id").isin(districts.toArray()).and(not(col("school_id").isin(rewritten))));
        tables.writePartitions(Table.SCHOOL_INDICATORS, SnapshotWriter.typed(Table.SCHOOL_INDICATORS, otherSchools)
                .unionByName(SnapshotWriter.typed(Table.SCHOOL_INDICATORS, schoolRows))
                .repartition(col("district_id")), districts, prev);
        tables.write(Table.DISTRICT_INDICATORS, Indicators.districtFromSchools(tables.read(Table.SCHOOL_INDICATORS),
                rules).coalesce(1));
        stage("metrics", t);
        schools.remove(null);
        long allSchools = ref.schools().count();
        return new Outcome(new IngestStage.Ingested(ref, counts, repeated), schools.size(), pupilCount, classes,
                Math.max(0, allSchools - schools.size()));
    }

    /**
     * A pupil table with the affected pupils' rows replaced: every school partition that holds one of their rows,
     * before or after, is rewritten; the others are carried over.
     *
     * @return the schools rewritten
     */
    private Set<String> replace(Table table, Dataset<Row> fresh, Dataset<Row> pupils, String prev) throws IOException {
        return replaceClasses(table, SnapshotWriter.typed(table, fresh), rows -> rows, pupils, prev);
    }

    /**
     * As {@link #replace}, for a table whose rows also carry class-wide values: {@code fresh} holds the affected
     * pupils' own rows, the others' are taken from the previous snapshot in the same columns, and {@code complete}
     * computes the class-wide values over every row of each rewritten school.
     */
    private Set<String> replaceClasses(Table table, Dataset<Row> fresh,
                                       java.util.function.UnaryOperator<Dataset<Row>> complete, Dataset<Row> pupils,
                                       String prev) throws IOException {
        fresh = fresh.localCheckpoint();
        Dataset<Row> old = tables.read(prev, table);
        Set<String> schools = strings(old.join(broadcast(pupils), "student_id", "left_semi").select("school_id")
                .union(fresh.select("school_id")));
        Dataset<Row> others = old.where(col("school_id").isin(schools.toArray()))
                .join(broadcast(pupils), "student_id", "left_anti")
                .selectExpr(fresh.columns());
        tables.writePartitions(table, complete.apply(others.unionByName(fresh)).repartition(col("school_id")), schools,
                prev);
        return schools;
    }

    /** Validated rows of the named files from the warehouse (file → SHA-256 in {@code shas}); null if none. */
    private Dataset<Row> readValidated(String context, List<String> files, Map<String, String> shas)
            throws IOException {
        List<String> paths = new ArrayList<>();
        for (String f : files) {
            org.apache.hadoop.fs.Path entry = validatedFiles.entry(context, f, shas.get(f));
            if (validatedFiles.hasRows(entry)) {
                paths.add(entry.toString());
            }
        }
        if (paths.isEmpty()) {
            return null;
        }
        // The file and checksum come back from the folder names, as text whatever they look like.
        String key = "spark.sql.sources.partitionColumnTypeInference.enabled";
        String was = spark.conf().get(key);
        spark.conf().set(key, "false");
        try {
            return spark.read().option("basePath", validatedFiles.contextPath(context).toString())
                    .parquet(paths.toArray(String[]::new)).drop("sha256");
        } finally {
            spark.conf().set(key, was);
        }
    }

    /** What an accepted row carries into grade_events, and its key's hash: two rows equal in these are one row. */
    private static String[] rowColumns() {
        List<String> cols = new ArrayList<>(Table.GRADE_EVENTS.columnNames());
        cols.add("key_hash");
        return cols.toArray(String[]::new);
    }

    private static Dataset<Row> union(Dataset<Row> a, Dataset<Row> b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a.unionByName(b);
    }

    private static Dataset<Row> accepted(Dataset<Row> validated) {
        return validated.where(col("reason").isNull());
    }

    /** The distinct values of a one-column dataset of few values (school ids). */
    private static Set<String> strings(Dataset<Row> oneColumn) {
        Set<String> out = new HashSet<>();
        for (Row r : oneColumn.distinct().collectAsList()) {
            out.add(r.isNullAt(0) ? null : String.valueOf(r.get(0)));
        }
        return out;
    }

    private void stage(String name, long startNanos) {
        stageMillis.put(name, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
