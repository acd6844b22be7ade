package kz.baga.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A database source's table, partition and growing columns go into SQL text: only plain identifiers pass. */
class SourceSpecTest {

    private static String jdbc(String table, String partitionColumn) {
        return """
                {"type": "jdbc", "urlEnv": "DIARY_URL", "table": "%s", %s
                 "constants": {"source": "diary"},
                 "columns": {"event_id": "id", "academic_year": "year", "iin": "iin", "school_id": "school",
                             "subject_code": "subject", "term": "term", "kind": "kind", "score": "score",
                             "max_score": "max_score", "event_date": "date"}}""".formatted(table,
                partitionColumn == null ? "" : "\"partitionColumn\": \"" + partitionColumn + "\",");
    }

    @Test
    void plainIdentifiersAreAccepted() {
        SourceSpec s = SourceSpec.parse(jdbc("public.marks", "school_id"), "sources/diary/manifest.json");
        assertThat(s.table()).isEqualTo("public.marks");
        assertThat(s.partitionColumn()).isEqualTo("school_id");
        assertThat(SourceSpec.parse(jdbc("marks", null), "m").partitionColumn()).isNull();
    }

    @Test
    void sqlInAPartitionColumnOrTableIsRefusedWithItsField() {
        assertThatThrownBy(() -> SourceSpec.parse(jdbc("marks", "id\\\") as text)) + (select 1"), "m.json"))
                .isInstanceOf(InputException.class).hasMessageContaining("m.json: \"partitionColumn\" must be a column name");
        assertThatThrownBy(() -> SourceSpec.parse(jdbc("marks; drop table users", "id"), "m.json"))
                .isInstanceOf(InputException.class).hasMessageContaining("\"table\" must be a table name");
        assertThatThrownBy(() -> SourceSpec.parse(jdbc("a.b.c", "id"), "m.json"))
                .isInstanceOf(InputException.class);
    }

    @Test
    void aGrowingColumnIsAnIdentifierOfADatabaseSource() {
        String growing = jdbc("marks", "id").replace("\"urlEnv\"", "\"growingColumn\": \"%s\", \"urlEnv\"");
        assertThat(SourceSpec.parse(growing.formatted("recorded_at"), "m.json").growingColumn()).isEqualTo("recorded_at");
        assertThat(SourceSpec.parse(jdbc("marks", "id"), "m.json").growingColumn()).isNull();
        assertThatThrownBy(() -> SourceSpec.parse(growing.formatted("changed' or 1=1 --"), "m.json"))
                .isInstanceOf(InputException.class).hasMessageContaining("m.json: \"growingColumn\" must be a column name");
        assertThatThrownBy(() -> SourceSpec.parse(growing.formatted("recorded_at").replace("\"jdbc\"", "\"csv\""), "m.json"))
                .isInstanceOf(InputException.class).hasMessageContaining("\"growingColumn\" is for jdbc sources only");
    }

    @Test
    void aRangesValuesAreQuotedLiterals() {
        assertThat(new TableRange("changed", null, "2026-02-12 10:00:00").predicate())
                .isEqualTo("(\"changed\" <= '2026-02-12 10:00:00' or \"changed\" is null)");
        assertThat(new TableRange("changed", "a'b", "c").predicate())
                .isEqualTo("(\"changed\" > 'a''b' and \"changed\" <= 'c')");
        assertThat(new TableRange("changed", null, null).predicate()).isEqualTo("\"changed\" is null");
    }
}
