package kz.baga.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import kz.baga.contract.Table;
import kz.baga.service.warehouse.ParquetTables;
import kz.baga.service.warehouse.ParquetTables.Match;
import kz.baga.service.warehouse.ParquetTables.Row;
import org.junit.jupiter.api.Test;

/** The column-by-column, filter-first reader gives exactly what the record reader gives, filtered. */
class ParquetScanTest {

    private static List<String> rendered(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(Arrays.toString(r.values()));
        }
        out.sort(null);
        return out;
    }

    @Test
    void scanEqualsReadThenFilter() {
        List<String> cols = List.of("academic_year", "term", "grade_level", "subject_code", "n", "n5", "n4", "n3",
                "n2", "success_rate", "quality_rate", "sou", "avg_mark", "school_id", "district_id");
        List<Row> all = ParquetTables.read(Fixture.snapshotDir(), Table.SCHOOL_INDICATORS, Fixture.DISTRICT, cols,
                null);
        assertThat(all).isNotEmpty();
        assertThat(rendered(ParquetTables.scan(Fixture.snapshotDir(), Table.SCHOOL_INDICATORS, Fixture.DISTRICT, cols,
                List.of()))).isEqualTo(rendered(all));

        List<List<Match>> filters = List.of(
                List.of(new Match("academic_year", "2025-2026")),
                List.of(new Match("academic_year", "2025-2026"), new Match("term", 4), new Match("subject_code", "ALL")),
                List.of(new Match("term", 0), new Match("grade_level", 0), new Match("district_id", Fixture.DISTRICT)),
                List.of(new Match("subject_code", "NO-SUCH")),
                List.of(new Match("district_id", "ALM-MEDEU")));
        for (List<Match> f : filters) {
            List<Row> expected = ParquetTables.filter(all, r -> f.stream().allMatch(m -> {
                Object v = r.get(m.column());
                return v instanceof Number n ? n.longValue() == ((Number) m.value()).longValue()
                        : Objects.equals(v, m.value());
            }));
            List<Row> got = ParquetTables.scan(Fixture.snapshotDir(), Table.SCHOOL_INDICATORS, Fixture.DISTRICT, cols, f);
            assertThat(rendered(got)).as(f.toString()).isEqualTo(rendered(expected));
        }
        // an unpartitioned table, filtered by a plain column, with a boolean
        List<String> dcols = List.of("district_id", "academic_year", "term", "grade_level", "subject_code", "n",
                "quality_rate", "suppressed");
        List<Row> dall = ParquetTables.read(Fixture.snapshotDir(), Table.DISTRICT_INDICATORS, null, dcols, null);
        List<Row> dgot = ParquetTables.scan(Fixture.snapshotDir(), Table.DISTRICT_INDICATORS, null, dcols,
                List.of(new Match("district_id", Fixture.DISTRICT), new Match("term", 4)));
        assertThat(rendered(dgot)).isEqualTo(rendered(ParquetTables.filter(dall,
                r -> r.str("district_id").equals(Fixture.DISTRICT) && r.integer("term") == 4)));
        assertThat(dgot).isNotEmpty();
    }

    @Test
    void otherTypesAndNullsComeOutAsTheRecordReaderGivesThem() {
        // dates, decimals, strings, and columns with nulls (rankings without a percentage, annual grades without an
        // exam or, for history years known only by their certified mark, without a computed one), for one school
        for (Table t : List.of(Table.GRADE_DYNAMICS, Table.TERM_GRADES, Table.ANNUAL_GRADES, Table.CLASS_RANKINGS,
                Table.STUDENT_DIRECTORY)) {
            List<Row> read = ParquetTables.read(Fixture.snapshotDir(), t, Fixture.SCHOOL, t.columnNames(), null);
            List<Row> scan = ParquetTables.scan(Fixture.snapshotDir(), t, Fixture.SCHOOL, t.columnNames(), List.of());
            assertThat(read).as(t.toString()).isNotEmpty();
            assertThat(rendered(scan)).as(t.toString()).isEqualTo(rendered(read));
        }
        // (every term mark of the sample has works behind it; the annual marks of history years have none)
        List<Row> all = ParquetTables.read(Fixture.snapshotDir(), Table.ANNUAL_GRADES, Fixture.SCHOOL,
                Table.ANNUAL_GRADES.columnNames(), null);
        List<Row> noMark = ParquetTables.scan(Fixture.snapshotDir(), Table.ANNUAL_GRADES, Fixture.SCHOOL,
                Table.ANNUAL_GRADES.columnNames(), List.of(new Match("computed_mark", null)));
        assertThat(noMark).isNotEmpty().hasSizeLessThan(all.size());
        assertThat(rendered(noMark)).isEqualTo(rendered(ParquetTables.filter(all, r -> r.get("computed_mark") == null)));
    }
}
