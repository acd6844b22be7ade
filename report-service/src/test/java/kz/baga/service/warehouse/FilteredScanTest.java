package kz.baga.service.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import kz.baga.contract.Table;
import kz.baga.service.warehouse.ParquetTables.Match;
import kz.baga.service.warehouse.ParquetTables.Row;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filtered reads on files of many row groups and small pages, sorted by the filter columns (row groups and pages
 * are then dropped by statistics and column indexes, and the rows of the pages left are re-aligned across
 * columns) and the same rows shuffled (nothing can be dropped): both give exactly the unfiltered read, filtered,
 * in file order.
 */
class FilteredScanTest {

    private static final MessageType INDICATORS = MessageTypeParser.parseMessageType("""
            message spark_schema {
              optional binary school_id (STRING);
              optional binary academic_year (STRING);
              optional int32 term;
              optional binary subject_code (STRING);
              required int64 n;
              optional int32 quality_rate (DECIMAL(7,2));
            }""");

    private static final MessageType MEDALS = MessageTypeParser.parseMessageType("""
            message spark_schema {
              required binary student_id (STRING);
              optional binary academic_year (STRING);
              optional group reason_details (LIST) {
                repeated group list {
                  optional group element {
                    optional binary code (STRING);
                    optional int32 term;
                  }
                }
              }
            }""");

    private static final List<String> SUBJECTS = List.of("ALG", "ALL", "BIO", "CHEM", "GEOM", "KAZ_LANG");

    @TempDir
    Path dir;

    @Test
    void sortedAndShuffledFilesGiveTheFilteredRows() throws Exception {
        List<Group> rows = new ArrayList<>();
        SimpleGroupFactory f = new SimpleGroupFactory(INDICATORS);
        int i = 0;
        for (String year : List.of("2023-2024", "2024-2025", "2025-2026")) {
            for (int term = 0; term <= 4; term++) {
                for (String subject : SUBJECTS) {
                    for (int s = 1; s <= 60; s++, i++) {
                        Group g = f.newGroup().append("school_id", String.format("S-%03d", s))
                                .append("academic_year", year).append("subject_code", subject).append("n", 10L + s);
                        if (i % 97 != 0) {
                            g.append("term", term); // a few rows without a term, to filter on null
                        }
                        if (i % 5 != 0) {
                            g.append("quality_rate", (i * 37) % 10001);
                        }
                        rows.add(g);
                    }
                }
            }
        }
        write(dir.resolve("school_indicators/district_id=SORTED/part-0.parquet"), INDICATORS, rows);
        List<Group> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(7));
        write(dir.resolve("school_indicators/district_id=SHUFFLED/part-0.parquet"), INDICATORS, shuffled);
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(
                dir.resolve("school_indicators/district_id=SORTED/part-0.parquet")))) {
            assertThat(r.getRowGroups()).as("several row groups").hasSizeGreaterThan(2);
            BlockMetaData first = r.getRowGroups().get(0);
            assertThat(r.readOffsetIndex(first.getColumns().get(1)).getPageCount()).as("several pages")
                    .isGreaterThan(2);
        }

        List<String> cols = List.of("school_id", "academic_year", "term", "subject_code", "n", "quality_rate",
                "district_id");
        List<List<Match>> filters = List.of(
                List.of(),
                List.of(new Match("academic_year", "2024-2025"), new Match("term", 3),
                        new Match("subject_code", "ALL")),
                List.of(new Match("term", 0)),
                List.of(new Match("subject_code", "KAZ_LANG"), new Match("n", 70L)),
                List.of(new Match("term", null)),
                List.of(new Match("quality_rate", null), new Match("academic_year", "2023-2024")),
                List.of(new Match("academic_year", "1999-2000")),
                List.of(new Match("district_id", "SORTED"), new Match("term", 4)),
                List.of(new Match("not_in_file", null), new Match("term", 2)),
                List.of(new Match("not_in_file", "x")));
        for (String district : List.of("SORTED", "SHUFFLED")) {
            List<Row> all = ParquetTables.read(dir, Table.SCHOOL_INDICATORS, district, cols, null);
            assertThat(all).hasSize(rows.size());
            assertThat(all.get(1).get("quality_rate")).isInstanceOf(BigDecimal.class);
            for (List<Match> filter : filters) {
                List<Row> got = ParquetTables.scan(dir, Table.SCHOOL_INDICATORS, district, cols, filter);
                assertThat(rendered(got)).as(district + " " + filter)
                        .isEqualTo(rendered(ParquetTables.filter(all, r -> matches(r, filter))));
            }
            assertThat(ParquetTables.scan(dir, Table.SCHOOL_INDICATORS, district, cols,
                    filters.get(1))).hasSize(60);
            // a filter column that is not returned
            assertThat(rendered(ParquetTables.scan(dir, Table.SCHOOL_INDICATORS, district, List.of("school_id"),
                    List.of(new Match("term", 1), new Match("subject_code", "BIO")))))
                    .isEqualTo(ParquetTables.filter(all, r -> Objects.equals(r.get("term"), 1)
                            && r.get("subject_code").equals("BIO")).stream()
                            .map(r -> "[" + r.get("school_id") + "]").toList());
        }
    }

    @Test
    void nestedColumnsAreFilteredByTheRecordReader() throws Exception {
        SimpleGroupFactory f = new SimpleGroupFactory(MEDALS);
        List<Group> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Group g = f.newGroup().append("student_id", "p" + i).append("academic_year", "20" + (20 + i / 1000));
            if (i % 3 != 0) {
                Group list = g.addGroup("reason_details");
                list.addGroup("list").addGroup("element").append("code", "C" + i % 7).append("term", i % 4);
            }
            rows.add(g);
        }
        write(dir.resolve("medal_eligibility/school_id=S1/part-0.parquet"), MEDALS, rows);
        List<String> cols = List.of("student_id", "reason_details", "school_id");
        List<Row> all = ParquetTables.read(dir, Table.MEDAL_ELIGIBILITY, "S1",
                List.of("student_id", "reason_details", "school_id", "academic_year"), null);
        List<Row> got = ParquetTables.scan(dir, Table.MEDAL_ELIGIBILITY, "S1", cols,
                List.of(new Match("academic_year", "2021")));
        List<String> expected = new ArrayList<>();
        for (Row r : all) {
            if ("2021".equals(r.get("academic_year"))) {
                expected.add(Arrays.asList(r.get("student_id"), r.get("reason_details"), r.get("school_id"))
                        .toString());
            }
        }
        assertThat(got).hasSize(1000);
        assertThat(rendered(got)).isEqualTo(expected);
        assertThat(got.get(1).get("reason_details")).isEqualTo(List.of(java.util.Map.of("code", "C0", "term", 1)));
        assertThat(got.get(2).get("reason_details")).as("no list").isNull();
        assertThat(got.get(2).get("school_id")).isEqualTo("S1");
    }

    private static boolean matches(Row r, List<Match> filter) {
        for (Match m : filter) {
            Object v = r.index().containsKey(m.column()) ? r.get(m.column()) : null;
            boolean ok = v instanceof Number n && m.value() instanceof Number w ? n.longValue() == w.longValue()
                    : Objects.equals(v, m.value());
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Rows as text, in the order read (file order is part of what is checked). */
    private static List<String> rendered(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(Arrays.toString(r.values()));
        }
        return out;
    }

    private static void write(Path file, MessageType schema, List<Group> rows) throws Exception {
        Files.createDirectories(file.getParent());
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema)
                .withRowGroupSize(16 * 1024L).withPageRowCountLimit(100).withDictionaryEncoding(true).build()) {
            for (Group g : rows) {
                w.write(g);
            }
        }
    }
}
