package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads delimited text files into rows that keep their file name, line number and raw text, so that every bad
 * row can be reported where a person would find it.
 *
 * <p>Line numbers come from {@code monotonically_increasing_id()}, whose low 33 bits count rows inside a
 * partition. That is a line number only while each file is exactly one partition, which
 * {@link #ONE_FILE_PER_PARTITION} arranges; the pipeline applies it only to the action that parses the input
 * (and writes the staged result), so later Parquet reads keep Spark's normal splitting. Lines without a quote
 * are cut with {@code split}; the others go through Spark's built-in {@code from_csv} (RFC 4180 quotes,
 * doubled-quote escapes). A quoted field spanning lines is not supported and shows up as a bad column count.
 */
public final class NumberedCsv {

    /** Session settings under which each input file becomes one partition (no split, no packing). */
    public static final Map<String, String> ONE_FILE_PER_PARTITION = Map.of(
            "spark.sql.files.maxPartitionBytes", String.valueOf(1L << 40),
            "spark.sql.files.openCostInBytes", String.valueOf(1L << 40));

    private static final long ROW_MASK = (1L << 33) - 1;

    private NumberedCsv() {
    }

    /** A set of files with one header, one charset and one delimiter. */
    public record FileGroup(String folder, List<Path> files, List<String> header, Charset charset, char delimiter,
                            char quote) {
    }

    /**
     * Groups files by their header row (read on the driver: one line per file).
     *
     * @param folder the folder name reported in {@code rejected_events.file} (e.g. {@code events})
     */
    public static List<FileGroup> groupByHeader(FileSystem fs, String folder, List<Path> files, Charset charset,
                                                char delimiter, char quote) {
        Map<List<String>, List<Path>> byHeader = new LinkedHashMap<>();
        for (Path file : files) {
            byHeader.computeIfAbsent(readHeader(fs, file, charset, delimiter, quote), h -> new ArrayList<>()).add(file);
        }
        List<FileGroup> groups = new ArrayList<>();
        byHeader.forEach((header, paths) -> groups.add(new FileGroup(folder, paths, header, charset, delimiter, quote)));
        return groups;
    }

    /** The header row of a file, split and unquoted; a byte-order mark is tolerated. */
    public static List<String> readHeader(FileSystem fs, Path file, Charset charset, char delimiter, char quote) {
        try (InputStream in = fs.open(file)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (line.size() > 1 << 20) {
                    throw new InputException(file + ": the first line is longer than 1 MB; is this a CSV file?");
                }
                line.write(b);
            }
            String text = line.toString(charset);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.isBlank()) {
                throw new InputException(file + ": the file is empty or has no header row");
            }
            List<String> header = splitHeader(text, delimiter, quote);
            requireUniqueNames(file, header);
            return header;
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a file that is not valid UTF-8, naming the first bad line: a reference file read in the wrong encoding
     * would turn every name and class label into U+FFFD, so it is not read at all. Streams the file once.
     */
    public static void requireUtf8(FileSystem fs, Path file, String name) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader in = new InputStreamReader(fs.open(file), decoder)) {
            char[] buf = new char[1 << 14];
            long line = 1;
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            line++;
                        }
                    }
                }
            } catch (CharacterCodingException e) {
                // The reader decodes ahead, so the bad bytes are on this line or a little later.
                throw new InputException(name + " is not valid UTF-8 (near line " + line + "); save it as UTF-8,"
                        + " e.g. iconv -f windows-1251 -t utf-8");
            }
        } catch (IOException e) {
            throw new InputException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a header that names a column twice: columns are found by name, so one of the two would be read and
     * the other ignored without a word, and every value of the wrong one taken for the right one. Blank
     * names (trailing delimiters) are not compared: nothing is read by them.
     */
    static void requireUniqueNames(Path file, List<String> header) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (name.isEmpty()) {
                continue;
            }
            Integer first = seen.putIfAbsent(name, i);
            if (first != null) {
                throw new InputException(file + ": the header names column '" + name + "' twice (columns "
                        + (first + 1) + " and " + (i + 1) + "); rename or remove one, the file is not read");
            }
        }
    }

    static List<String> splitHeader(String text, char delimiter, char quote) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuotes = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == quote) {
                if (inQuotes && i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    cur.append(quote);
                    i++;
                } else {
                    inQuotes = !inQuotes;
                }
            } else if (c == delimiter && !inQuotes) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }

    /** Whether the charset writes a space as the single byte 0x20 and nothing else as that byte (single-byte, ASCII-based). */
    static boolean spaceIsOneAsciiByte(Charset charset) {
        if (!charset.canEncode() || charset.newEncoder().maxBytesPerChar() != 1.0f) {
            return false;
        }
        byte[] space = " ".getBytes(charset);
        return space.length == 1 && space[0] == 0x20;
    }

    /**
     * The delimiter as a pattern that Java's {@code String.split} handles without compiling a regular expression
     * (one plain character, or a backslash and a punctuation character); {@code Pattern.quote} would compile one
     * per line.
     */
    static String splitPattern(char delimiter) {
        return ".$|()[{^?*+\\".indexOf(delimiter) >= 0 ? "\\" + delimiter : String.valueOf(delimiter);
    }

    /**
     * The data rows of a group: {@code file}, {@code line} (1-based; the header is line 1), {@code raw},
     * {@code field_count}, {@code expected_fields}, and one string column per requested header name, aliased
     * to the given output name. Blank lines are not rows and are skipped.
     *
     * @param wanted output column → header name
     */
    public static Dataset<Row> read(SparkSession spark, FileGroup group, Map<String, String> wanted) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < group.header().size(); i++) {
            index.putIfAbsent(group.header().get(i), i);
        }
        StringBuilder schema = new StringBuilder();
        for (int i = 0; i < group.header().size(); i++) {
            schema.append("_c").append(i).append(" string, ");
        }
        schema.append("_extra string");

        String[] paths = group.files().stream().map(Path::toString).toArray(String[]::new);
        Dataset<Row> lines = spark.read().text(paths)
                .select(col("value"), col("_metadata.file_name").as("file_name"),
                        monotonically_increasing_id().as("row_id"));
        boolean utf8 = StandardCharsets.UTF_8.equals(group.charset());
        Column text = utf8 ? col("value") : expr("decode(cast(value as binary), '" + group.charset().name() + "')");
        Column line = col("row_id").bitwiseAND(ROW_MASK).plus(1);
        // Blank lines are found on the bytes as read where a space is the same byte in the file's charset: a filter
        // on the decoded text would decode every line twice (once to filter it, once for the row).
        Column notBlank = utf8 || spaceIsOneAsciiByte(group.charset()) ? trim(col("value")).notEqual("")
                : trim(text).notEqual("");
        Dataset<Row> numbered = lines
                .where(line.gt(1).and(notBlank))
                .select(text.as("raw"), concat(lit(group.folder() + "/"), col("file_name")).as("file"),
                        line.as("line"));

        Map<String, String> options = new HashMap<>();
        options.put("sep", String.valueOf(group.delimiter()));
        options.put("quote", String.valueOf(group.quote()));
        options.put("escape", String.valueOf(group.quote()));
        options.put("mode", "PERMISSIVE");
        options.put("ignoreLeadingWhiteSpace", "false");
        options.put("ignoreTrailingWhiteSpace", "false");
        String quoted = Pattern.quote(String.valueOf(group.quote()));
        String notQuote = "[^" + (group.quote() == '\\' ? "\\\\" : String.valueOf(group.quote())) + "]";
        Column unquoted = regexp_replace(col("raw"), quoted + notQuote + "*" + quoted, "");
        Column delim = lit(String.valueOf(group.delimiter()));
        // Most lines have no quote at all: those are cut with split(), and only lines with a quoted field pay for
        // the CSV parser and the regular expression that counts their fields (the parser costs much more than
        // split). A quoted field starts with the quote (RFC 4180), so a line needs the
        // parser only if one of its first header-many pieces does; a quote further right means more fields than
        // the header either way (the count is then reported from the pieces). One byte compare per field, not a
        // substring search over the whole line.
        Column pieces = split(col("raw"), splitPattern(group.delimiter()), -1);
        Column hasQuote = lit(false);
        for (int i = 0; i < group.header().size(); i++) {
            hasQuote = hasQuote.or(coalesce(try_element_at(col("parts"), lit(i + 1)).startsWith(
                    String.valueOf(group.quote())), lit(false)));
        }
        Column fieldCount = when(col("has_quote"),
                length(unquoted).minus(length(replace(unquoted, delim, lit("")))).plus(1))
                .otherwise(size(col("parts")));

        List<Column> out = new ArrayList<>(List.of(col("file"), col("line"), col("raw"),
                fieldCount.cast("int").as("field_count"), lit(group.header().size()).as("expected_fields")));
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            Integer i = index.get(e.getValue());
            if (i == null) {
                throw new InputException(group.folder() + "/" + group.files().get(0).getName()
                        + ": the header has no column '" + e.getValue() + "' (header: "
                        + String.join(String.valueOf(group.delimiter()), group.header()) + ")");
            }
            // The CSV parser's field i for a quoted line, else the i-th piece (null past the end, like from_csv).
            out.add(when(col("has_quote"), col("f._c" + i)).otherwise(try_element_at(col("parts"), lit(i + 1)))
                    .as(e.getKey()));
        }
        return numbered
                .withColumn("parts", pieces)
                .withColumn("has_quote", hasQuote)
                .withColumn("f", when(col("has_quote"), from_csv(col("raw"), lit(schema.toString()), options)))
                .select(out.toArray(Column[]::new));
    }
}
