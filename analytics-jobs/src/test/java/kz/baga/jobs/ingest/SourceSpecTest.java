package kz.baga.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A database source's table and partition column go into SQL text: only plain identifiers pass. */
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
}
