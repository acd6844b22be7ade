package kz.baga.jobs.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kz.baga.contract.Table;
import kz.baga.jobs.SparkTestBase;
import kz.baga.jobs.snapshot.SnapshotDiff.TableDiff;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SnapshotDiff} on two tiny snapshots written side by side: the same rows in another file layout are the
 * same, a changed value, a repeated row or a missing table is a difference.
 */
class SnapshotDiffTest extends SparkTestBase {

    @TempDir
    Path dir;

    /** A term_grades row of pupil {@code student} in school {@code school} with the given mark. */
    private static Row grade(String student, String school, int mark) {
        return row(student, "MATH", "2025-2026", 1, dec("80.0000"), dec("75.0000"), null, dec("77.5000"), mark,
                "computed", mark, 78, 4, 2, 0, school, "10А", 10);
    }

    private static final List<Row> GRADES = List.of(grade("a1", "S1", 4), grade("a2", "S1", 5), grade("a3", "S2", 3),
            grade("a4", "S2", 4));

    /** Writes {@code rows} as {@code table} of snapshot folder {@code name}, in {@code files} tasks, as given. */
    private String write(String name, Table table, List<Row> rows, int files) {
        Path snapshot = dir.resolve(name);
        df(table.ddl(), rows).repartition(files).write().partitionBy(table.partitionColumn().orElseThrow())
                .parquet(snapshot.resolve(table.tableName()).toString());
        return snapshot.toString();
    }

    private String write(String name, List<Row> grades, int files) {
        return write(name, Table.TERM_GRADES, grades, files);
    }

    private static List<Row> reversed(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        Collections.reverse(out);
        return out;
    }

    private static List<Row> with(List<Row> rows, Row... more) {
        return Stream.concat(rows.stream(), Stream.of(more)).toList();
    }

    private static Map<String, TableDiff> byTable(List<TableDiff> diffs) {
        return diffs.stream().collect(Collectors.toMap(TableDiff::table, Function.identity()));
    }

    private static long parquetFiles(String snapshot) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(snapshot))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
        }
    }

    @Test
    void theSameRowsInAnotherLayoutAreTheSameAndTablesMissingOnBothSidesAreEmpty() throws IOException {
        String a = write("a", GRADES, 1);
        String b = write("b", reversed(GRADES), 3);
        // one file per school folder against several, rows in another order
        assertThat(parquetFiles(a)).isEqualTo(2);
        assertThat(parquetFiles(b)).isGreaterThan(2);

        List<TableDiff> diffs = SnapshotDiff.compare(spark, a, b);
        assertThat(diffs).extracting(TableDiff::table)
                .containsExactlyElementsOf(Stream.of(Table.values()).map(Table::tableName).toList());
        assertThat(diffs).allMatch(TableDiff::same);
        TableDiff grades = byTable(diffs).get("term_grades");
        assertThat(grades).isEqualTo(new TableDiff("term_grades", 4, 4, 0, 0, List.of()));
        assertThat(byTable(diffs).get("schools")).isEqualTo(new TableDiff("schools", 0, 0, 0, 0, List.of()));
    }

    @Test
    void aChangedValueIsOneRowOnlyInEachSide() {
        String a = write("a", GRADES, 1);
        String b = write("b", List.of(GRADES.get(0), GRADES.get(1), grade("a3", "S2", 4), GRADES.get(3)), 2);

        TableDiff d = byTable(SnapshotDiff.compare(spark, a, b)).get("term_grades");
        assertThat(d.same()).isFalse();
        assertThat(d.rowsA()).isEqualTo(4);
        assertThat(d.rowsB()).isEqualTo(4);
        assertThat(d.onlyInA()).isEqualTo(1);
        assertThat(d.onlyInB()).isEqualTo(1);
        // the partition column comes back as a contract column, in the contract's place (after soch_count)
        assertThat(d.examples()).containsExactly(
                "a: [a3,MATH,2025-2026,1,80.0000,75.0000,null,77.5000,3,computed,3,78,4,2,0,S2,10А,10]",
                "b: [a3,MATH,2025-2026,1,80.0000,75.0000,null,77.5000,4,computed,4,78,4,2,0,S2,10А,10]");
    }

    @Test
    void rowsAreCountedAsAMultiset() {
        String a = write("a", GRADES, 1);
        String b = write("b", with(GRADES, GRADES.get(2)), 1);
        TableDiff d = byTable(SnapshotDiff.compare(spark, a, b)).get("term_grades");
        assertThat(d).extracting(TableDiff::same, TableDiff::rowsA, TableDiff::rowsB, TableDiff::onlyInA,
                TableDiff::onlyInB).containsExactly(false, 4L, 5L, 0L, 1L);

        // the same distinct rows and the same row count, each side repeating another row
        String c = write("c", with(GRADES, GRADES.get(0)), 1);
        d = byTable(SnapshotDiff.compare(spark, b, c)).get("term_grades");
        assertThat(d).extracting(TableDiff::same, TableDiff::rowsA, TableDiff::rowsB, TableDiff::onlyInA,
                TableDiff::onlyInB).containsExactly(false, 5L, 5L, 1L, 1L);
        assertThat(d.examples()).hasSize(2).satisfiesExactly(e -> assertThat(e).startsWith("a: [a3,"),
                e -> assertThat(e).startsWith("b: [a1,"));
    }

    @Test
    void aTableMissingOnOneSideIsADifferenceOfTheOtherSidesRows() throws IOException {
        String a = write("a", GRADES, 1);
        Path b = Files.createDirectories(dir.resolve("b"));
        TableDiff d = byTable(SnapshotDiff.compare(spark, a, b.toString())).get("term_grades");
        assertThat(d).extracting(TableDiff::same, TableDiff::rowsA, TableDiff::rowsB, TableDiff::onlyInA,
                TableDiff::onlyInB).containsExactly(false, 4L, 0L, 4L, 0L);
        assertThat(d.examples()).hasSize(3).allMatch(e -> e.startsWith("a: "));
    }

    @Test
    void folderValuesAreComparedAsTheirTextNotAsTheNumberSparkInfers() {
        // Spark's partition discovery reads school_id=007 as the int 7; cast back it would be "7", the other school.
        String a = write("a", List.of(grade("a1", "007", 4)), 1);
        String b = write("b", List.of(grade("a1", "7", 4)), 1);
        TableDiff d = byTable(SnapshotDiff.compare(spark, a, b)).get("term_grades");
        assertThat(d.same()).isFalse();
        assertThat(d.examples()).satisfiesExactly(e -> assertThat(e).contains(",007,"),
                e -> assertThat(e).contains(",7,"));
    }

    private static Row medal(String student, String status, int mark) {
        return row(student, "2025-2026", "altyn_belgi", status, "LOW_MARK",
                List.of(row("LOW_MARK", "MATH", "2025-2026", 2, mark, dec("64.0000"), dec("1.0000"))), "S1", "11А", 11);
    }

    @Test
    void nestedValuesAreCompared() {
        List<Row> medals = List.of(medal("a1", "not_eligible", 4), medal("a2", "not_eligible", 3));
        String a = write("a", Table.MEDAL_ELIGIBILITY, medals, 1);
        String b = write("b", Table.MEDAL_ELIGIBILITY, reversed(medals), 2);
        String c = write("c", Table.MEDAL_ELIGIBILITY, List.of(medals.get(0), medal("a2", "not_eligible", 2)), 1);
        assertThat(byTable(SnapshotDiff.compare(spark, a, b)).get("medal_eligibility").same()).isTrue();
        TableDiff d = byTable(SnapshotDiff.compare(spark, a, c)).get("medal_eligibility");
        assertThat(d).extracting(TableDiff::same, TableDiff::onlyInA, TableDiff::onlyInB)
                .containsExactly(false, 1L, 1L);
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SnapshotDiff.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCommandExitsZeroWhenAllAreTheSameOneOnADifferenceTwoOnBadArguments() {
        String a = write("a", GRADES, 1);
        String b = write("b", reversed(GRADES), 3);
        String c = write("c", with(GRADES, GRADES.get(0)), 1);

        Outcome same = run("--a", a, "--b", b);
        assertThat(same.code()).isEqualTo(0);
        assertThat(same.out().lines()).hasSize(Table.values().length).contains("same  term_grades 4 rows",
                "same  schools 0 rows");
        assertThat(same.err()).isEmpty();

        Outcome diff = run("--b", c, "--a", a);
        assertThat(diff.code()).isEqualTo(1);
        assertThat(diff.out().lines()).contains("DIFF  term_grades a 4 b 5: 0 only in a, 1 only in b",
                "      b: [a1,MATH,2025-2026,1,80.0000,75.0000,null,77.5000,4,computed,4,78,4,2,0,S1,10А,10]",
                "same  schools 0 rows");

        for (String[] bad : new String[][] {{}, {"--a", a}, {"--a", a, "--b"}, {"--a", a, "--b", b, "--c", "x"},
                {"--a", a, "--b", dir.resolve("nonexistent").toString()}}) {
            Outcome o = run(bad);
            assertThat(o.code()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(o.out()).isEmpty();
            assertThat(o.err()).startsWith("snapshot diff: ").hasLineCount(1);
        }
        // the test's session is the command's too, and still running
        assertThat(spark.sparkContext().isStopped()).isFalse();
    }
}
