package kz.baga.service.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import kz.baga.contract.Snapshots;
import kz.baga.contract.Table;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads warehouse tables with parquet-hadoop's low-level API: only the requested columns (projection), only
 * one partition folder when the table is partitioned, and only the row groups whose statistics can match an
 * equality filter. Rows come back as {@link Row}s; no Hadoop paths or file systems are involved.
 */
public final class ParquetTables {

    private static final PlainParquetConfiguration CONF = new PlainParquetConfiguration();

    private ParquetTables() {
    }

    /** A row of a projection: values in the order of the requested column names. */
    public record Row(Map<String, Integer> index, Object[] values) {
        public Object get(String column) {
            Integer i = index.get(column);
            if (i == null) {
                throw new IllegalArgumentException("column " + column + " was not requested");
            }
            return values[i];
        }

        public String str(String column) {
            Object v = get(column);
            return v == null ? null : v.toString();
        }

        public Integer integer(String column) {
            Object v = get(column);
            return v == null ? null : ((Number) v).intValue();
        }

        public Long lng(String column) {
            Object v = get(column);
            return v == null ? null : ((Number) v).longValue();
        }

        public BigDecimal dec(String column) {
            Object v = get(column);
            if (v == null) {
                return null;
            }
            return v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
        }

        public Boolean bool(String column) {
            return (Boolean) get(column);
        }
    }

    /** An optional equality filter on a string column, used to skip row groups and to drop rows. */
    public record Eq(String column, String value) {
    }

    /**
     * Reads a table of a snapshot. If the table is partitioned and {@code partitionValue} is given, only that
     * folder is opened (a missing folder means no rows); otherwise every part file is read.
     */
    public static List<Row> read(Path snapshotDir, Table table, String partitionValue, List<String> columns, Eq eq) {
        Path tableDir = snapshotDir.resolve(table.tableName());
        List<Path> files = new ArrayList<>();
        String partitionColumn = table.partitionColumn().orElse(null);
        if (partitionColumn != null && partitionValue != null) {
            Path dir = tableDir.resolve(partitionColumn + "=" + partitionValue);
            if (Files.isDirectory(dir)) {
                collect(dir, files);
            }
        } else if (Files.isDirectory(tableDir)) {
            collect(tableDir, files);
        }
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i), i);
        }
        List<Row> rows = new ArrayList<>();
        for (Path file : files) {
            String partValue = partitionValueOf(file, partitionColumn);
            readFile(file, columns, index, eq, partitionColumn, partValue, rows);
        }
        return rows;
    }

    /** Convenience: a snapshot-relative read of a whole, unpartitioned table. */
    public static List<Row> readAll(Path snapshotDir, Table table, List<String> columns) {
        return read(snapshotDir, table, null, columns, null);
    }

    static String snapshotRelative(String snapshotId, Table table) {
        return Snapshots.tablePath(snapshotId, table);
    }

    private static void collect(Path dir, List<Path> out) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            List<Path> sorted = new ArrayList<>();
            for (Path p : ds) {
                sorted.add(p);
            }
            sorted.sort(null);
            for (Path p : sorted) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || name.startsWith("_")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    collect(p, out);
                } else if (name.endsWith(".parquet")) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String partitionValueOf(Path file, String partitionColumn) {
        if (partitionColumn == null) {
            return null;
        }
        String prefix = partitionColumn + "=";
        for (Path p = file.getParent(); p != null; p = p.getParent()) {
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (name.startsWith(prefix)) {
                return unescape(name.substring(prefix.length()));
            }
        }
        return null;
    }

    /** Hive escapes a few characters in partition folder names as %XX. */
    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void readFile(Path file, List<String> columns, Map<String, Integer> index, Eq eq,
                                 String partitionColumn, String partValue, List<Row> out) {
        ParquetReadOptions.Builder options = ParquetReadOptions.builder(CONF);
        if (eq != null && !eq.column().equals(partitionColumn)) {
            options.withRecordFilter(FilterCompat.get(
                    FilterApi.eq(FilterApi.binaryColumn(eq.column()), Binary.fromString(eq.value()))));
        }
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options.build())) {
            MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
            List<Type> fields = new ArrayList<>();
            int[] target = new int[columns.size()];
            int n = 0;
            for (String c : columns) {
                if (fileSchema.containsField(c) && !c.equals(partitionColumn)) {
                    fields.add(fileSchema.getType(c));
                    target[n++] = index.get(c);
                }
            }
            Integer partIndex = partitionColumn == null ? null : index.get(partitionColumn);
            Integer eqIndex = eq == null ? null : index.get(eq.column());
            if (eq != null && eq.column().equals(partitionColumn) && !eq.value().equals(partValue)) {
                return;
            }
            MessageType requested = new MessageType(fileSchema.getName(), fields);
            reader.setRequestedSchema(requested);
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(requested, fileSchema);
            PageReadStore pages;
            while ((pages = (eq != null ? reader.readNextFilteredRowGroup() : reader.readNextRowGroup())) != null) {
                long count = pages.getRowCount();
                RowMaterializer m = new RowMaterializer(requested, target, columns.size());
                RecordReader<Object[]> rr = io.getRecordReader(pages, m);
                for (long i = 0; i < count; i++) {
                    Object[] values = rr.read();
                    if (partIndex != null) {
                        values[partIndex] = partValue;
                    }
                    if (eqIndex != null && !eq.value().equals(values[eqIndex])) {
                        continue;
                    }
                    out.add(new Row(index, values));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Materialises flat records straight into Object[] (no Group objects); nested columns are skipped. */
    private static final class RowMaterializer extends RecordMaterializer<Object[]> {
        private Object[] current;
        private final Root root;

        RowMaterializer(MessageType schema, int[] target, int width) {
            this.root = new Root(schema, target, width);
        }

        @Override
        public Object[] getCurrentRecord() {
            return current;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }

        private final class Root extends GroupConverter {
            private final Converter[] converters;
            private final int width;

            Root(MessageType schema, int[] target, int width) {
                this.width = width;
                converters = new Converter[schema.getFieldCount()];
                for (int i = 0; i < converters.length; i++) {
                    Type t = schema.getType(i);
                    converters[i] = t.isPrimitive() ? new Value(t.asPrimitiveType(), target[i]) : new Ignore(t);
                }
            }

            @Override
            public Converter getConverter(int fieldIndex) {
                return converters[fieldIndex];
            }

            @Override
            public void start() {
                current = new Object[width];
            }

            @Override
            public void end() {
            }
        }

        private final class Value extends PrimitiveConverter {
            private final int slot;
            private final int scale;
            private final boolean decimal;
            private final boolean date;
            private final boolean string;
            private String[] dict;

            Value(PrimitiveType type, int slot) {
                this.slot = slot;
                LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
                this.decimal = a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
                this.scale = decimal ? ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) a).getScale() : 0;
                this.date = a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation;
                this.string = type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY && !decimal;
            }

            @Override
            public boolean hasDictionarySupport() {
                return string;
            }

            @Override
            public void setDictionary(Dictionary dictionary) {
                dict = new String[dictionary.getMaxId() + 1];
                for (int i = 0; i < dict.length; i++) {
                    dict[i] = dictionary.decodeToBinary(i).toStringUsingUTF8();
                }
            }

            @Override
            public void addValueFromDictionary(int dictionaryId) {
                current[slot] = dict[dictionaryId];
            }

            @Override
            public void addBinary(Binary value) {
                current[slot] = decimal ? new BigDecimal(new BigInteger(value.getBytes()), scale) : value.toStringUsingUTF8();
            }

            @Override
            public void addBoolean(boolean value) {
                current[slot] = value;
            }

            @Override
            public void addDouble(double value) {
                current[slot] = value;
            }

            @Override
            public void addFloat(float value) {
                current[slot] = value;
            }

            @Override
            public void addInt(int value) {
                current[slot] = decimal ? BigDecimal.valueOf(value, scale) : date ? LocalDate.ofEpochDay(value) : (Object) value;
            }

            @Override
            public void addLong(long value) {
                current[slot] = decimal ? BigDecimal.valueOf(value, scale) : (Object) value;
            }
        }

        private static final class Ignore extends GroupConverter {
            private final Converter[] children;

            Ignore(Type type) {
                var g = type.asGroupType();
                children = new Converter[g.getFieldCount()];
                for (int i = 0; i < children.length; i++) {
                    Type c = g.getType(i);
                    children[i] = c.isPrimitive() ? new PrimitiveConverter() { } : new Ignore(c);
                }
            }

            @Override
            public Converter getConverter(int fieldIndex) {
                return children[fieldIndex];
            }

            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        }
    }

    /** Keeps rows matching a predicate (a small helper for in-memory filters). */
    public static List<Row> filter(List<Row> rows, Predicate<Row> p) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (p.test(r)) {
                out.add(r);
            }
        }
        return out;
    }
}
