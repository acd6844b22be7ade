package kz.baga.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.baga.jobs.SparkTestBase;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines without a quote are cut with {@code split}, lines with one go through the CSV parser: both must give the
 * same fields, field counts and line numbers as a person counting in an editor would.
 */
class NumberedCsvTest extends SparkTestBase {

    @TempDir
    Path dir;

    private final Map<String, String> saved = new LinkedHashMap<>();

    @BeforeEach
    void onePartitionPerFile() {
        NumberedCsv.ONE_FILE_PER_PARTITION.forEach((k, v) -> {
            saved.put(k, spark.conf().get(k, null));
            spark.conf().set(k, v);
        });
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) {
                spark.conf().unset(k);
            } else {
                spark.conf().set(k, v);
            }
        });
    }

    private Dataset<Row> read(String text, Charset charset, char delimiter) throws IOException {
        Path file = dir.resolve("a.csv");
        Files.writeString(file, text, charset);
        FileSystem fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
        List<String> header = NumberedCsv.readHeader(fs, p, charset, delimiter, '"');
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("x", "a");
        wanted.put("y", "b");
        wanted.put("z", "c");
        return NumberedCsv.read(spark, new NumberedCsv.FileGroup("events", List.of(p), header, charset, delimiter, '"'),
                wanted);
    }

    @Test
    void plainAndQuotedLinesGiveTheSameFieldsAndCounts() throws IOException {
        String text = String.join("\n",
                "a,b,c",            // line 1: header
                "1,2,3",            // 2: plain
                "\"1,5\",\"x\"\"y\",3", // 3: quoted, a delimiter and a doubled quote inside
                "",                 // 4: blank, not a row
                "1,,",              // 5: empty trailing fields are fields
                "1,2",              // 6: one field short
                "1,2,3,4",          // 7: one too many
                "\"q\",2,3,\"4\"")  // 8: quoted and one too many
                + "\n";
        assertThat(rows(read(text, StandardCharsets.UTF_8, ','), "line", "field_count", "expected_fields", "x", "y", "z"))
                .containsExactly(
                        row(2L, 3, 3, "1", "2", "3"),
                        row(3L, 3, 3, "1,5", "x\"y", "3"),
                        row(5L, 3, 3, "1", "", ""),
                        row(6L, 2, 3, "1", "2", null),
                        row(7L, 4, 3, "1", "2", "3"),
                        row(8L, 4, 3, "q", "2", "3"));
    }

    @Test
    void windows1251WithSemicolonsKeepsTheRawLine() throws IOException {
        String text = "a;b;c\r\nӘлия;Ғ;5,5\r\n";
        Charset cp1251 = Charset.forName("windows-1251");
        // Kazakh letters outside windows-1251 would be lost on write: use Russian ones the code page has.
        text = text.replace("Әлия", "Алия").replace("Ғ", "Б");
        // lines 3 and 4 are blank (the second only spaces): skipped, found on the undecoded bytes
        text += "\r\n   \r\nЮрий;В;4\r\n";
        assertThat(rows(read(text, cp1251, ';'), "line", "field_count", "x", "y", "z", "raw"))
                // CRLF endings are line ends, not data: no stray \r in the last field or the raw text.
                .containsExactly(row(2L, 3, "Алия", "Б", "5,5", "Алия;Б;5,5"), row(5L, 3, "Юрий", "В", "4", "Юрий;В;4"));
    }

    @Test
    void blankLinesAreFoundOnTheBytesOnlyWhereASpaceIsOneAsciiByte() {
        assertThat(NumberedCsv.spaceIsOneAsciiByte(Charset.forName("windows-1251"))).isTrue();
        assertThat(NumberedCsv.spaceIsOneAsciiByte(Charset.forName("ISO-8859-5"))).isTrue();
        assertThat(NumberedCsv.spaceIsOneAsciiByte(StandardCharsets.UTF_16LE)).isFalse();
        assertThat(NumberedCsv.spaceIsOneAsciiByte(Charset.forName("IBM037"))).isFalse(); // EBCDIC: a space is 0x40
    }
}
