package kz.baga.service.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import kz.baga.contract.Table;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional columns a newer pipeline writes: {@code sources} of grade_dynamics and the list of structs
 * {@code reason_details} of medal_eligibility, laid out as Spark writes them (three-level LIST); absent columns
 * read as null.
 */
class NestedColumnsTest {

    @TempDir
    Path dir;

    @Test
    void listOfStructsAndOptionalStrings() throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType("""
                message spark_schema {
                  required binary student_id (STRING);
                  optional binary sources (STRING);
                  optional group reason_details (LIST) {
                    repeated group list {
                      optional group element {
                        optional binary code (STRING);
                        optional binary subject_code (STRING);
                        optional int32 term;
                        optional int32 pct (DECIMAL(9,4));
                      }
                    }
                  }
                }""");
        Path file = dir.resolve("medal_eligibility/school_id=S1/part-0.parquet");
        Files.createDirectories(file.getParent());
        SimpleGroupFactory f = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema).build()) {
            Group a = f.newGroup().append("student_id", "a").append("sources", "bilimclass,kundelik");
            Group list = a.addGroup("reason_details");
            Group e1 = list.addGroup("list").addGroup("element");
            e1.append("code", "RUNNING_TOTAL_CLOSE").append("subject_code", "ALG").append("term", 3)
                    .append("pct", 869500);
            Group e2 = list.addGroup("list").addGroup("element");
            e2.append("code", "MISSING_YEAR");
            w.write(a);
            Group b = f.newGroup().append("student_id", "b");
            b.addGroup("reason_details"); // an empty list: ON_TRACK
            w.write(b);
            w.write(f.newGroup().append("student_id", "c")); // no list at all
        }
        List<ParquetTables.Row> rows = ParquetTables.read(dir, Table.MEDAL_ELIGIBILITY, "S1",
                List.of("student_id", "sources", "reason_details", "not_in_file"), null);
        assertThat(rows).hasSize(3);
        assertThat(SchoolModel.sources(rows.get(0).str("sources"))).containsExactly("bilimclass", "kundelik");
        assertThat(SchoolModel.sources(rows.get(1).str("sources"))).as("absent: unknown").isNull();
        assertThat(rows.get(0).get("not_in_file")).isNull();

        List<SchoolModel.ReasonDetail> d = SchoolModel.details(rows.get(0).get("reason_details"));
        assertThat(d).containsExactly(
                new SchoolModel.ReasonDetail("RUNNING_TOTAL_CLOSE", "ALG", null, 3, null, new BigDecimal("86.9500"), null),
                new SchoolModel.ReasonDetail("MISSING_YEAR", null, null, null, null, null, null));
        assertThat(SchoolModel.details(rows.get(1).get("reason_details"))).isEmpty();
        assertThat(SchoolModel.details(rows.get(2).get("reason_details"))).as("no list").isNull();
        assertThat(((List<?>) rows.get(0).get("reason_details")).get(0)).isInstanceOf(Map.class);
    }
}
