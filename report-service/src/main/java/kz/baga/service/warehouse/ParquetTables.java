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
        String partitionColumn = table.partitionColumn().orElse(null);
        Map<String, Integer> index = indexOf(columns);
        List<Row> rows = new ArrayList<>();
        for (Path file : partFiles(snapshotDir, table, partitionValue)) {
            String partValue = partitionValueOf(file, partitionColumn);
            readFile(file, columns, index, eq, partitionColumn, partValue, rows);
        }
        return rows;
    }

    /** The part files of a table: only the partition's folder when one is named (missing folder: none). */
    private static List<Path> partFiles(Path snapshotDir, Table table, String partitionValue) {
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
        return files;
    }

    /** Column name → position in the requested list. */
    private static Map<String, Integer> indexOf(List<String> columns) {
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i), i);
        }
        return index;
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
                    converters[i] = t.isPrimitive() ? new Value(t.asPrimitiveType(), target[i])
                            : isList(t) ? new ListValue(t.asGroupType(), target[i]) : new Ignore(t);
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

        /**
         * A LIST column (as Spark writes it: {@code group (LIST) { repeated group list { element } }}) as a
         * {@code List}; struct elements become maps of field name → value, nested groups inside them are skipped.
         */
        private final class ListValue extends GroupConverter {
            private final int slot;
            private final Converter repeated;
            private List<Object> items;
            private Object pending;

            ListValue(org.apache.parquet.schema.GroupType type, int slot) {
                this.slot = slot;
                Type rep = type.getType(0);
                boolean threeLevel = !rep.isPrimitive() && rep.asGroupType().getFieldCount() == 1
                        && !rep.getName().equals("array") && !rep.getName().endsWith("_tuple");
                if (threeLevel) {
                    Converter element = element(rep.asGroupType().getType(0));
                    repeated = new GroupConverter() {
                        @Override
                        public Converter getConverter(int fieldIndex) {
                            return element;
                        }

                        @Override
                        public void start() {
                            pending = null;
                        }

                        @Override
                        public void end() {
                            items.add(pending);
                        }
                    };
                } else {
                    repeated = element(rep);
                }
            }

            private Converter element(Type t) {
                if (t.isPrimitive()) {
                    return new Value(t.asPrimitiveType(), -1) {
                        @Override
                        void put(Object v) {
                            pending = v;
                        }
                    };
                }
                org.apache.parquet.schema.GroupType g = t.asGroupType();
                Map<String, Object>[] fields = newMapHolder();
                Converter[] children = new Converter[g.getFieldCount()];
                for (int i = 0; i < children.length; i++) {
                    Type c = g.getType(i);
                    String name = c.getName();
                    children[i] = c.isPrimitive() ? new Value(c.asPrimitiveType(), -1) {
                        @Override
                        void put(Object v) {
                            fields[0].put(name, v);
                        }
                    } : new Ignore(c);
                }
                return new GroupConverter() {
                    @Override
                    public Converter getConverter(int fieldIndex) {
                        return children[fieldIndex];
                    }

                    @Override
                    public void start() {
                        fields[0] = new java.util.HashMap<>();
                    }

                    @Override
                    public void end() {
                        pending = fields[0];
                    }
                };
            }

            @Override
            public Converter getConverter(int fieldIndex) {
                return repeated;
            }

            @Override
            public void start() {
                items = new ArrayList<>();
            }

            @Override
            public void end() {
                current[slot] = items;
            }
        }

        private class Value extends PrimitiveConverter {
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

            void put(Object v) {
                current[slot] = v;
            }

            @Override
            public void addValueFromDictionary(int dictionaryId) {
                put(dict[dictionaryId]);
            }

            @Override
            public void addBinary(Binary value) {
                put(decimal ? new BigDecimal(new BigInteger(value.getBytes()), scale) : value.toStringUsingUTF8());
            }

            @Override
            public void addBoolean(boolean value) {
                put(value);
            }

            @Override
            public void addDouble(double value) {
                put(value);
            }

            @Override
            public void addFloat(float value) {
                put(value);
            }

            @Override
            public void addInt(int value) {
                put(decimal ? BigDecimal.valueOf(value, scale) : date ? LocalDate.ofEpochDay(value) : (Object) value);
            }

            @Override
            public void addLong(long value) {
                put(decimal ? BigDecimal.valueOf(value, scale) : (Object) value);
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

    private static boolean isList(Type t) {
        return t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
                && t.asGroupType().getFieldCount() == 1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object>[] newMapHolder() {
        return (Map<String, Object>[]) new Map[1];
    }

    /** {@code column = value} for {@link #scan}: a String, Integer or Long value (null matches null). */
    public record Match(String column, Object value) {
    }

    /**
     * Like {@link #read}, but column by column and with late materialisation: the filter columns are decoded
     * first, row groups whose statistics exclude a filter value are skipped, and only the rows that pass every
     * filter are materialised (the other values are skipped without building objects). For flat schemas; a
     * requested column that is not a primitive falls back to {@link #read}. {@code filters} may name the
     * partition column (compared with the folder's value) and columns that are not in {@code columns}.
     */
    public static List<Row> scan(Path snapshotDir, Table table, String partitionValue, List<String> columns,
                                 List<Match> filters) {
        String partitionColumn = table.partitionColumn().orElse(null);
        Map<String, Integer> index = indexOf(columns);
        List<Row> rows = new ArrayList<>();
        for (Path file : partFiles(snapshotDir, table, partitionValue)) {
            String partValue = partitionValueOf(file, partitionColumn);
            scanFile(file, columns, index, filters, partitionColumn, partValue, rows);
        }
        return rows;
    }

    private static void scanFile(Path file, List<String> columns, Map<String, Integer> index, List<Match> filters,
                                 String partitionColumn, String partValue, List<Row> out) {
        List<Match> columnFilters = new ArrayList<>();
        for (Match f : filters) {
            if (f.column().equals(partitionColumn)) {
                if (!java.util.Objects.equals(f.value() == null ? null : f.value().toString(), partValue)) {
                    return; // the whole folder is another partition
                }
            } else {
                columnFilters.add(f);
            }
        }
        List<Row> rows = new ArrayList<>();
        try {
            if (scanColumns(file, columns, index, filters, columnFilters, partitionColumn, partValue, rows)) {
                out.addAll(rows);
                return;
            }
        } catch (UnsupportedOperationException e) {
            // a page kind the column decoder does not know: the record reader reads this file
        }
        List<Row> all = new ArrayList<>();
        readFile(file, columns, index, null, partitionColumn, partValue, all);
        for (Row r : all) {
            if (matchesAll(r, filters)) {
                out.add(r);
            }
        }
    }

    /** The column-by-column read of {@link #scanFile}; false: use the record reader for this file instead. */
    private static boolean scanColumns(Path file, List<String> columns, Map<String, Integer> index,
                                       List<Match> filters, List<Match> columnFilters, String partitionColumn,
                                       String partValue, List<Row> out) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(CONF).build())) {
            MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
            List<String> wanted = new ArrayList<>();
            for (Match f : columnFilters) {
                if (!fileSchema.containsField(f.column())) {
                    if (f.value() != null) {
                        return true; // a missing column is null in every row: nothing matches
                    }
                    continue;
                }
                if (!wanted.contains(f.column())) {
                    wanted.add(f.column());
                }
            }
            for (String c : columns) {
                if (fileSchema.containsField(c) && !c.equals(partitionColumn) && !wanted.contains(c)) {
                    wanted.add(c);
                }
            }
            List<Type> fields = new ArrayList<>();
            for (String c : wanted) {
                Type t = fileSchema.getType(c);
                if (!t.isPrimitive()) {
                    return false;
                }
                fields.add(t);
            }
            MessageType requested = new MessageType(fileSchema.getName(), fields);
            reader.setRequestedSchema(requested);
            Integer partIndex = partitionColumn == null ? null : index.get(partitionColumn);
            for (org.apache.parquet.hadoop.metadata.BlockMetaData block : reader.getRowGroups()) {
                if (!mayMatch(block, columnFilters)) {
                    reader.skipNextRowGroup();
                    continue;
                }
                PageReadStore pages = reader.readNextRowGroup();
                if (pages == null) {
                    break;
                }
                PageReadStore store = pages;
                int n = Math.toIntExact(pages.getRowCount());
                boolean[] keep = new boolean[n];
                java.util.Arrays.fill(keep, true);
                int kept = n;
                // a filter column's value in every kept row is the filter's value: it is not read a second time
                Map<String, Object> known = new java.util.HashMap<>();
                for (Match f : columnFilters) {
                    if (!fileSchema.containsField(f.column())) {
                        known.put(f.column(), null);
                        continue; // value null, matched above
                    }
                    if (known.containsKey(f.column())) {
                        throw new IllegalArgumentException("two filters on column " + f.column());
                    }
                    ColumnDecoder d = new ColumnDecoder(store, requested, f.column());
                    known.put(f.column(), d.typed(f.value()));
                    Object want = d.binary && f.value() != null ? Binary.fromString(f.value().toString()) : f.value();
                    for (int i = 0; i < n; i++) {
                        if (keep[i]) {
                            Object v = d.raw();
                            boolean ok = want == null ? v == null
                                    : v != null && (want instanceof Binary ? want.equals(v)
                                    : ((Number) v).longValue() == ((Number) want).longValue());
                            if (!ok) {
                                keep[i] = false;
                                kept--;
                            }
                        } else {
                            d.skip();
                        }
                    }
                }
                if (kept == 0) {
                    continue;
                }
                Object[][] values = new Object[kept][];
                for (int k = 0; k < kept; k++) {
                    values[k] = new Object[columns.size()];
                }
                for (int ci = 0; ci < columns.size(); ci++) {
                    String c = columns.get(ci);
                    if (c.equals(partitionColumn) || !fileSchema.containsField(c)) {
                        continue;
                    }
                    if (known.containsKey(c)) {
                        Object v = known.get(c);
                        for (Object[] row : values) {
                            row[ci] = v;
                        }
                        continue;
                    }
                    ColumnDecoder d = new ColumnDecoder(store, requested, c);
                    int k = 0;
                    for (int i = 0; i < n; i++) {
                        if (keep[i]) {
                            values[k++][ci] = d.value();
                        } else {
                            d.skip();
                        }
                    }
                }
                for (Object[] v : values) {
                    if (partIndex != null) {
                        v[partIndex] = partValue;
                    }
                    out.add(new Row(index, v));
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static boolean matchesAll(Row r, List<Match> filters) {
        for (Match f : filters) {
            Object v = r.index().containsKey(f.column()) ? r.get(f.column()) : null;
            if (f.value() == null ? v != null : v == null || !(v instanceof Number n && f.value() instanceof Number w
                    ? n.longValue() == w.longValue() : v.toString().equals(f.value().toString()))) {
                return false;
            }
        }
        return true;
    }

    /** False when a row group's statistics show that some filter value cannot occur in it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean mayMatch(org.apache.parquet.hadoop.metadata.BlockMetaData block, List<Match> filters) {
        for (Match f : filters) {
            if (f.value() == null) {
                continue;
            }
            for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData c : block.getColumns()) {
                if (c.getPath().size() != 1 || !c.getPath().toArray()[0].equals(f.column())) {
                    continue;
                }
                org.apache.parquet.column.statistics.Statistics st = c.getStatistics();
                if (st == null || st.isEmpty() || !st.hasNonNullValue()) {
                    break;
                }
                Comparable v;
                switch (c.getPrimitiveType().getPrimitiveTypeName()) {
                    case BINARY -> v = Binary.fromString(f.value().toString());
                    case INT32 -> v = ((Number) f.value()).intValue();
                    case INT64 -> v = ((Number) f.value()).longValue();
                    default -> v = null;
                }
                if (v != null && (st.comparator().compare(st.genericGetMin(), v) > 0
                        || st.comparator().compare(st.genericGetMax(), v) < 0)) {
                    return false;
                }
                break;
            }
        }
        return true;
    }

    /**
     * One column of a row group, value by value (flat schema: one value or null per row), decoded straight from
     * its pages (v1 data pages, dictionary or plain values) — the same steps as parquet's ColumnReaderImpl, without
     * its per-value bookkeeping. Other page kinds throw {@link UnsupportedOperationException} (the caller falls
     * back to the record reader).
     */
    private static final class ColumnDecoder {
        private final org.apache.parquet.column.ColumnDescriptor desc;
        private final org.apache.parquet.column.page.PageReader pages;
        private final Dictionary dictionary;
        private final int maxDef;
        private final boolean decimal;
        private final boolean date;
        final boolean binary;
        private final int scale;
        private final PrimitiveType.PrimitiveTypeName kind;
        private final Map<Binary, String> strings = new java.util.HashMap<>();
        private org.apache.parquet.column.values.ValuesReader levels;
        private org.apache.parquet.column.values.ValuesReader values;
        private int left;

        ColumnDecoder(PageReadStore store, MessageType schema, String column) {
            this.desc = schema.getColumnDescription(new String[]{column});
            this.pages = store.getPageReader(desc);
            try {
                org.apache.parquet.column.page.DictionaryPage dp = pages.readDictionaryPage();
                this.dictionary = dp == null ? null : dp.getEncoding().initDictionary(desc, dp);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the dictionary of " + column, e);
            }
            this.maxDef = desc.getMaxDefinitionLevel();
            if (desc.getMaxRepetitionLevel() != 0) {
                throw new UnsupportedOperationException("repeated column " + column);
            }
            PrimitiveType type = desc.getPrimitiveType();
            LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
            this.kind = type.getPrimitiveTypeName();
            this.decimal = a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
            this.scale = decimal ? ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) a).getScale() : 0;
            this.date = a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation;
            this.binary = kind == PrimitiveType.PrimitiveTypeName.BINARY && !decimal;
        }

        private void nextPage() {
            org.apache.parquet.column.page.DataPage page = pages.readPage();
            if (page == null) {
                throw new IllegalStateException("column " + desc + " has fewer values than rows");
            }
            if (!(page instanceof org.apache.parquet.column.page.DataPageV1 v1)) {
                throw new UnsupportedOperationException("data page " + page.getClass().getSimpleName());
            }
            try {
                int count = v1.getValueCount();
                org.apache.parquet.bytes.ByteBufferInputStream in = v1.getBytes().toInputStream();
                org.apache.parquet.column.values.ValuesReader rl = v1.getRlEncoding()
                        .getValuesReader(desc, org.apache.parquet.column.ValuesType.REPETITION_LEVEL);
                org.apache.parquet.column.values.ValuesReader dl = v1.getDlEncoding()
                        .getValuesReader(desc, org.apache.parquet.column.ValuesType.DEFINITION_LEVEL);
                rl.initFromPage(count, in);
                dl.initFromPage(count, in);
                org.apache.parquet.column.Encoding e = v1.getValueEncoding();
                org.apache.parquet.column.values.ValuesReader v;
                if (e.usesDictionary()) {
                    if (dictionary == null) {
                        throw new IllegalStateException("dictionary-encoded page without a dictionary in " + desc);
                    }
                    v = e.getDictionaryBasedValuesReader(desc, org.apache.parquet.column.ValuesType.VALUES,
                            dictionary);
                } else {
                    v = e.getValuesReader(desc, org.apache.parquet.column.ValuesType.VALUES);
                }
                v.initFromPage(count, in);
                levels = dl;
                values = v;
                left = count;
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read a page of " + desc, ex);
            }
        }

        /** Moves to the next row; true when it has a value (which must then be read or skipped). */
        private boolean next() {
            if (left == 0) {
                nextPage();
            }
            left--;
            return levels.readInteger() == maxDef;
        }

        /** A filter value as {@link #value()} would give it for this column (String, Integer, Long). */
        Object typed(Object filterValue) {
            if (filterValue == null) {
                return null;
            }
            if (decimal || date) {
                throw new IllegalArgumentException("filters on decimal or date columns are not supported");
            }
            return switch (kind) {
                case BINARY, FIXED_LEN_BYTE_ARRAY -> filterValue.toString();
                case INT32 -> ((Number) filterValue).intValue();
                case INT64 -> ((Number) filterValue).longValue();
                default -> filterValue;
            };
        }

        /** The current row's value undecoded (Binary, Integer, Long, ...) or null; moves to the next row. */
        Object raw() {
            if (!next()) {
                return null;
            }
            return switch (kind) {
                case BINARY, FIXED_LEN_BYTE_ARRAY -> values.readBytes();
                case INT32 -> values.readInteger();
                case INT64 -> values.readLong();
                case BOOLEAN -> values.readBoolean();
                case FLOAT -> values.readFloat();
                case DOUBLE -> values.readDouble();
                default -> throw new UnsupportedOperationException("column type " + kind);
            };
        }

        /** The current row's value as {@link RowMaterializer} would give it; moves to the next row. */
        Object value() {
            Object v = raw();
            if (v == null) {
                return null;
            }
            if (v instanceof Binary b && !decimal) {
                String s = strings.get(b);
                if (s == null) {
                    s = b.toStringUsingUTF8();
                    strings.put(b.copy(), s);
                }
                return s;
            }
            if (decimal) {
                if (v instanceof Binary b) {
                    return new BigDecimal(new BigInteger(b.getBytes()), scale);
                }
                return BigDecimal.valueOf(((Number) v).longValue(), scale);
            }
            if (date) {
                return LocalDate.ofEpochDay((Integer) v);
            }
            return v;
        }

        /** Moves to the next row without decoding its value. */
        void skip() {
            if (next()) {
                values.skip();
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
