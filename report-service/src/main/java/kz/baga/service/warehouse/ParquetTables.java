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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import kz.baga.contract.Table;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads warehouse tables with parquet-java (no Hadoop paths or file systems): only the requested columns, only
 * one partition folder when the table is partitioned, and with equality filters pushed into parquet's filter2
 * API, so that row groups are dropped by their statistics and dictionaries and pages by their column index
 * (which pays once a table is written sorted by its filter columns; no order is relied on). The rows left are
 * filtered row by row. Rows come back as {@link Row}s, in file order.
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

    /** {@code column = value} for {@link #scan}: a String, Integer, Long or Boolean value (null matches null). */
    public record Match(String column, Object value) {
    }

    /**
     * Reads a table of a snapshot. If the table is partitioned and {@code partitionValue} is given, only that
     * folder is opened (a missing folder means no rows); otherwise every part file is read.
     */
    public static List<Row> read(Path snapshotDir, Table table, String partitionValue, List<String> columns, Eq eq) {
        return scan(snapshotDir, table, partitionValue, columns,
                eq == null ? List.of() : List.of(new Match(eq.column(), eq.value())));
    }

    /** Convenience: a snapshot-relative read of a whole, unpartitioned table. */
    public static List<Row> readAll(Path snapshotDir, Table table, List<String> columns) {
        return read(snapshotDir, table, null, columns, null);
    }

    /**
     * Like {@link #read}, with any number of equality filters: only the rows matching all of them come back.
     * {@code filters} may name the partition column (compared with the folder's value) and columns that are
     * not in {@code columns}; a filter on a column a file lacks matches null only.
     */
    public static List<Row> scan(Path snapshotDir, Table table, String partitionValue, List<String> columns,
                                 List<Match> filters) {
        String partitionColumn = table.partitionColumn().orElse(null);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i), i);
        }
        List<Row> rows = new ArrayList<>();
        for (Path file : partFiles(snapshotDir, table, partitionValue)) {
            readFile(file, columns, index, filters, partitionColumn, rows);
        }
        return rows;
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

    /** The part files of a table, sorted: only the partition's folder when one is named (missing folder: none). */
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

    private static void readFile(Path file, List<String> columns, Map<String, Integer> index, List<Match> filters,
                                 String partitionColumn, List<Row> out) {
        String partValue = partitionValueOf(file, partitionColumn);
        for (Match f : filters) {
            if (f.column().equals(partitionColumn)
                    && !Objects.equals(f.value() == null ? null : f.value().toString(), partValue)) {
                return; // the whole folder is another partition
            }
        }
        InputFile in = new LocalInputFile(file);
        SeekableInputStream stream = null;
        try {
            stream = in.newStream();
            // the footer first, since the filter's value types come from the file's schema; one open for both
            ParquetMetadata footer = ParquetFileReader.readFooter(in, ParquetReadOptions.builder(CONF).build(), stream);
            MessageType fileSchema = footer.getFileMetaData().getSchema();
            FilterPredicate predicate = null;
            List<Match> columnFilters = new ArrayList<>();
            for (Match f : filters) {
                if (f.column().equals(partitionColumn)) {
                    continue;
                }
                if (!fileSchema.containsField(f.column())) {
                    if (f.value() != null) {
                        return; // a missing column is null in every row: nothing matches
                    }
                    continue;
                }
                FilterPredicate p = eq(fileSchema.getType(f.column()), f.value());
                if (p == null) {
                    return;
                }
                columnFilters.add(f);
                predicate = predicate == null ? p : FilterApi.and(predicate, p);
            }
            ParquetReadOptions options = ParquetReadOptions.builder(CONF)
                    .withRecordFilter(predicate == null ? FilterCompat.NOOP : FilterCompat.get(predicate))
                    .useStatsFilter(true) // row groups whose min/max exclude a value
                    .useDictionaryFilter(true) // row groups whose dictionaries lack a value
                    .useColumnIndexFilter(true) // pages whose min/max exclude a value (pays when sorted)
                    .useRecordFilter(true) // and the rows left, one by one
                    .build();
            ParquetFileReader reader = new ParquetFileReader(in, footer, options, stream);
            stream = null; // the reader closes it
            try (reader) {
                FilterCompat.Filter rows = options.useRecordFilter() ? options.getRecordFilter() : FilterCompat.NOOP;
                readRows(reader, fileSchema, rows, columnFilters, columns, index, partitionColumn, partValue, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } finally {
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException e) {
                    // nothing was read from it that matters any more
                }
            }
        }
    }

    /**
     * The rows of the row groups and pages that the reader's filter keeps. A flat projection is read column by
     * column ({@link #readColumns}); one with nested columns by parquet's record reader with the record filter.
     */
    private static void readRows(ParquetFileReader reader, MessageType fileSchema, FilterCompat.Filter filter,
                                 List<Match> filters, List<String> columns, Map<String, Integer> index,
                                 String partitionColumn, String partValue, List<Row> out) throws IOException {
        // the requested columns, then the filters' own: rows can be filtered only on columns that are read
        List<Type> fields = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (String c : columns) {
            if (fileSchema.containsField(c) && !c.equals(partitionColumn) && !containsField(fields, c)) {
                fields.add(fileSchema.getType(c));
                slots.add(index.get(c));
            }
        }
        for (Match f : filters) {
            if (!containsField(fields, f.column())) {
                fields.add(fileSchema.getType(f.column()));
                slots.add(-1);
            }
        }
        MessageType requested = new MessageType(fileSchema.getName(), fields);
        reader.setRequestedSchema(requested);
        String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
        Integer partIndex = partitionColumn == null ? null : index.get(partitionColumn);
        RowMaterializer m = new RowMaterializer(requested, slots, columns.size(), partIndex, partValue);
        boolean flat = true;
        for (Type t : fields) {
            flat &= t.isPrimitive();
        }
        MessageColumnIO io = flat ? null : new ColumnIOFactory(createdBy).getColumnIO(requested, fileSchema);
        PageReadStore pages;
        while ((pages = reader.readNextFilteredRowGroup()) != null) {
            if (flat) {
                readColumns(pages, requested, createdBy, m, filters, index, out);
                continue;
            }
            RecordReader<Object[]> rr = io.getRecordReader(pages, m, filter);
            for (long i = 0, n = pages.getRowCount(); i < n; i++) {
                Object[] values = rr.read();
                if (values != null && !rr.shouldSkipCurrentRecord()) {
                    out.add(new Row(index, values));
                }
            }
        }
    }

    /**
     * A row group of flat columns, column by column with parquet's column readers: the filter columns first,
     * row by row; then the other columns at the rows that passed only ({@link KeptRows}), so a selective filter
     * costs the filter columns' decoding, the other columns' skipping, and objects for the kept rows only.
     */
    private static void readColumns(PageReadStore pages, MessageType requested, String createdBy,
                                    RowMaterializer m, List<Match> filters, Map<String, Integer> index,
                                    List<Row> out) {
        int n = Math.toIntExact(pages.getRowCount());
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, m.getRootConverter(), requested, createdBy);
        boolean[] dropped = new boolean[n];
        int kept = n;
        // a filter column's value in every kept row is the filter's value: it is not read a second time
        Map<Integer, Object> known = new HashMap<>();
        for (Match f : filters) {
            int field = requested.getFieldIndex(f.column());
            ColumnReader r = store.getColumnReader(requested.getColumns().get(field));
            int maxDef = r.getDescriptor().getMaxDefinitionLevel();
            Predicate<ColumnReader> test = f.value() == null ? null : test(r.getDescriptor().getPrimitiveType(),
                    f.value());
            boolean wanted = m.slot(field) >= 0;
            for (int i = 0; i < n; i++) {
                boolean hasValue = r.getCurrentDefinitionLevel() == maxDef;
                if (!dropped[i]) {
                    if (test == null ? hasValue : !hasValue || !test.test(r)) {
                        dropped[i] = true;
                        kept--;
                    } else if (wanted) {
                        wanted = false;
                        known.put(field, hasValue ? m.convert(field, r) : null);
                    }
                }
                if (hasValue) {
                    r.skip();
                }
                r.consume();
            }
        }
        if (kept == 0) {
            return;
        }
        Object[][] rows = new Object[kept][];
        for (int k = 0; k < kept; k++) {
            rows[k] = m.newRow();
        }
        // the other columns at the kept rows only: parquet's synchronizing column readers skip the rest themselves
        PageReadStore keptRows = kept == n ? pages : new KeptRows(pages, keptRowIndexes(pages, dropped, kept));
        ColumnReadStoreImpl values = new ColumnReadStoreImpl(keptRows, m.getRootConverter(), requested, createdBy);
        for (int field = 0; field < requested.getFieldCount(); field++) {
            int slot = m.slot(field);
            if (slot < 0) {
                continue;
            }
            if (known.containsKey(field)) {
                Object v = known.get(field);
                for (Object[] row : rows) {
                    row[slot] = v;
                }
                continue;
            }
            ColumnReader r = values.getColumnReader(requested.getColumns().get(field));
            int maxDef = r.getDescriptor().getMaxDefinitionLevel();
            for (int k = 0; k < kept; k++) {
                if (r.getCurrentDefinitionLevel() == maxDef) {
                    rows[k][slot] = m.convert(field, r);
                }
                if (k + 1 < kept) {
                    r.consume(); // not past the last kept row (see KeptRows)
                }
            }
        }
        for (Object[] row : rows) {
            out.add(new Row(index, row));
        }
    }

    /** The row group's row indexes of the rows not dropped (the pages may already leave some rows out). */
    private static long[] keptRowIndexes(PageReadStore pages, boolean[] dropped, int kept) {
        long[] rows = new long[kept];
        PrimitiveIterator.OfLong all = pages.getRowIndexes().orElse(null);
        for (int i = 0, k = 0; i < dropped.length; i++) {
            long row = all == null ? i : all.nextLong();
            if (!dropped[i]) {
                rows[k++] = row;
            }
        }
        return rows;
    }

    /**
     * A row group's pages with only the kept rows as its row indexes, in the form parquet's column-index filtering
     * hands pages over (pages without a kept row left out, each page knowing its first row): its column readers
     * then skip the other rows in their own loop. Pages read without the column index do not know their first
     * row; for flat columns it follows from the rows of the pages before.
     */
    private record KeptRows(PageReadStore pages, long[] rows) implements PageReadStore {
        @Override
        public PageReader getPageReader(ColumnDescriptor column) {
            PageReader in = pages.getPageReader(column);
            return new PageReader() {
                private long next;
                private int kept;

                @Override
                public DictionaryPage readDictionaryPage() {
                    return in.readDictionaryPage();
                }

                @Override
                public long getTotalValueCount() {
                    return in.getTotalValueCount();
                }

                @Override
                public DataPage readPage() {
                    for (DataPage p = in.readPage(); p != null; p = in.readPage()) {
                        long first = p.getFirstRowIndex().orElse(next);
                        int count = p.getIndexRowCount().orElse(p instanceof DataPageV2 v2 ? v2.getRowCount()
                                : p.getValueCount());
                        next = first + count;
                        while (kept < rows.length && rows[kept] < first) {
                            kept++;
                        }
                        if (kept == rows.length || rows[kept] >= first + count) {
                            continue; // no kept row in it: the column reader expects no such page
                        }
                        if (p.getFirstRowIndex().isPresent()) {
                            return p;
                        }
                        if (p instanceof DataPageV1 v1) {
                            return new DataPageV1(v1.getBytes(), v1.getValueCount(), v1.getUncompressedSize(),
                                    first, count, v1.getStatistics(), v1.getRlEncoding(), v1.getDlEncoding(),
                                    v1.getValueEncoding());
                        }
                        DataPageV2 v2 = (DataPageV2) p;
                        return DataPageV2.uncompressed(v2.getRowCount(), v2.getNullCount(), v2.getValueCount(),
                                first, v2.getRepetitionLevels(), v2.getDefinitionLevels(), v2.getDataEncoding(),
                                v2.getData(), v2.getStatistics());
                    }
                    return null;
                }
            };
        }

        @Override
        public long getRowCount() {
            return rows.length;
        }

        @Override
        public Optional<Long> getRowIndexOffset() {
            return pages.getRowIndexOffset();
        }

        /**
         * The kept rows and one past them all: parquet's column reader takes the end of its row indexes for the end
         * of the column, even where the last row is pages ahead. The readers here stop at the last kept row.
         */
        @Override
        public Optional<PrimitiveIterator.OfLong> getRowIndexes() {
            return Optional.of(LongStream.concat(Arrays.stream(rows), LongStream.of(Long.MAX_VALUE)).iterator());
        }
    }

    /** {@code value = filter value} on the reader's current (non-null) value, as parquet's eq compares. */
    private static Predicate<ColumnReader> test(PrimitiveType type, Object value) {
        return switch (type.getPrimitiveTypeName()) {
            case BINARY, FIXED_LEN_BYTE_ARRAY -> {
                Binary want = Binary.fromString(value.toString());
                yield r -> want.equals(r.getBinary());
            }
            case INT32 -> {
                int want = ((Number) value).intValue();
                yield r -> r.getInteger() == want;
            }
            case INT64 -> {
                long want = ((Number) value).longValue();
                yield r -> r.getLong() == want;
            }
            case BOOLEAN -> {
                boolean want = (Boolean) value;
                yield r -> r.getBoolean() == want;
            }
            case FLOAT -> {
                float want = ((Number) value).floatValue();
                yield r -> Float.compare(r.getFloat(), want) == 0;
            }
            case DOUBLE -> {
                double want = ((Number) value).doubleValue();
                yield r -> Double.compare(r.getDouble(), want) == 0;
            }
            default -> throw new IllegalArgumentException("filters on " + type.getPrimitiveTypeName()
                    + " columns are not supported: " + type.getName());
        };
    }

    /** {@code column = value} as a filter2 predicate of the column's physical type; null: no value can match. */
    private static FilterPredicate eq(Type type, Object value) {
        if (!type.isPrimitive()) {
            throw new IllegalArgumentException("filters on nested columns are not supported: " + type.getName());
        }
        PrimitiveType p = type.asPrimitiveType();
        String name = p.getName();
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        if (value != null && (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation
                || a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation)) {
            throw new IllegalArgumentException("filters on decimal or date columns are not supported: " + name);
        }
        return switch (p.getPrimitiveTypeName()) {
            case BINARY, FIXED_LEN_BYTE_ARRAY -> FilterApi.eq(FilterApi.binaryColumn(name),
                    value == null ? null : Binary.fromString(value.toString()));
            case INT32 -> {
                Long v = number(name, value);
                if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
                    yield null;
                }
                yield FilterApi.eq(FilterApi.intColumn(name), v == null ? null : (int) (long) v);
            }
            case INT64 -> FilterApi.eq(FilterApi.longColumn(name), number(name, value));
            case BOOLEAN -> FilterApi.eq(FilterApi.booleanColumn(name), (Boolean) value);
            case FLOAT -> FilterApi.eq(FilterApi.floatColumn(name),
                    value == null ? null : ((Number) value).floatValue());
            case DOUBLE -> FilterApi.eq(FilterApi.doubleColumn(name),
                    value == null ? null : ((Number) value).doubleValue());
            default -> throw new IllegalArgumentException("filters on " + p.getPrimitiveTypeName()
                    + " columns are not supported: " + name);
        };
    }

    private static Long number(String column, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException("column " + column + " is numeric; filter value " + value);
        }
        return n.longValue();
    }

    private static boolean containsField(List<Type> fields, String name) {
        for (Type t : fields) {
            if (t.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** One column's value in the record being read; converted to an object only for the records kept. */
    private interface Cell {
        void reset();

        Object value();
    }

    /**
     * Builds a row's {@code Object[]} only for the records that pass the filter: while a record is read, its
     * values wait undecoded in their cells (dictionary ids, primitives, binaries), so the records the filter
     * drops cost no objects.
     */
    private static final class RowMaterializer extends RecordMaterializer<Object[]> {
        private final Cell[] cells;
        private final int[] slots;
        private final int width;
        private final Integer partIndex;
        private final String partValue;
        private final GroupConverter root;

        RowMaterializer(MessageType schema, List<Integer> slots, int width, Integer partIndex, String partValue) {
            this.cells = new Cell[schema.getFieldCount()];
            this.slots = new int[cells.length];
            this.width = width;
            this.partIndex = partIndex;
            this.partValue = partValue;
            Converter[] converters = new Converter[cells.length];
            for (int i = 0; i < cells.length; i++) {
                Type t = schema.getType(i);
                this.slots[i] = slots.get(i);
                cells[i] = this.slots[i] < 0 ? ignore(t) : cell(t);
                converters[i] = (Converter) cells[i];
            }
            this.root = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return converters[fieldIndex];
                }

                @Override
                public void start() {
                    for (Cell c : cells) {
                        c.reset();
                    }
                }

                @Override
                public void end() {
                }
            };
        }

        /** Where field {@code field} of the requested schema goes in a row (-1: nowhere). */
        int slot(int field) {
            return slots[field];
        }

        /** An empty row: only the partition value, if requested. */
        Object[] newRow() {
            Object[] values = new Object[width];
            if (partIndex != null) {
                values[partIndex] = partValue;
            }
            return values;
        }

        /** The current (non-null) value of a column reader of flat field {@code field}, as rows give it. */
        Object convert(int field, ColumnReader r) {
            r.writeCurrentValueToConverter();
            return cells[field].value();
        }

        @Override
        public Object[] getCurrentRecord() {
            Object[] values = newRow();
            for (int i = 0; i < cells.length; i++) {
                if (slots[i] >= 0) {
                    values[slots[i]] = cells[i].value();
                }
            }
            return values;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }

    /** A primitive column's cell, a Spark LIST's, or (other groups) a column read as null. */
    private static Cell cell(Type t) {
        if (t.isPrimitive()) {
            return new Slot(t.asPrimitiveType());
        }
        GroupType g = t.asGroupType();
        if (g.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
                && g.getFieldCount() == 1 && !g.getType(0).isPrimitive()) {
            GroupType rep = g.getType(0).asGroupType();
            // three levels, as Spark writes lists: group (LIST) { repeated group list { element } }
            if (rep.isRepetition(Type.Repetition.REPEATED) && rep.getFieldCount() == 1
                    && !rep.getName().equals("array") && !rep.getName().endsWith("_tuple")) {
                return new ListCell(rep);
            }
        }
        return new Ignore(g);
    }

    /**
     * A primitive value as the rows give it: strings (dictionary entries decoded once), Integer/Long,
     * BigDecimal for decimals, LocalDate for dates, Boolean, Float, Double.
     */
    private static final class Slot extends PrimitiveConverter implements Cell {
        private static final int NULL = 0, DICT = 1, INT = 2, LONG = 3, BINARY = 4, BOOLEAN = 5, FLOAT = 6, DOUBLE = 7;
        private final PrimitiveType.PrimitiveTypeName kind;
        private final boolean decimal;
        private final boolean date;
        private final int scale;
        private Dictionary dictionary;
        private String[] strings;
        private Binary lastBinary;
        private String lastString;
        private int state;
        private int dictId;
        private int i;
        private long l;
        private Binary binary;
        private boolean b;
        private float f;
        private double d;

        Slot(PrimitiveType type) {
            this.kind = type.getPrimitiveTypeName();
            LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
            this.decimal = a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
            this.scale = decimal ? ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) a).getScale() : 0;
            this.date = a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary dictionary) {
            this.dictionary = dictionary;
            this.strings = null;
        }

        @Override
        public void addValueFromDictionary(int dictionaryId) {
            dictId = dictionaryId;
            state = DICT;
        }

        @Override
        public void addInt(int value) {
            i = value;
            state = INT;
        }

        @Override
        public void addLong(long value) {
            l = value;
            state = LONG;
        }

        @Override
        public void addBinary(Binary value) {
            binary = value;
            state = BINARY;
        }

        @Override
        public void addBoolean(boolean value) {
            b = value;
            state = BOOLEAN;
        }

        @Override
        public void addFloat(float value) {
            f = value;
            state = FLOAT;
        }

        @Override
        public void addDouble(double value) {
            d = value;
            state = DOUBLE;
        }

        @Override
        public void reset() {
            state = NULL;
        }

        @Override
        public Object value() {
            return switch (state) {
                case NULL -> null;
                case DICT -> fromDictionary();
                case INT -> ofInt(i);
                case LONG -> ofLong(l);
                case BINARY -> ofBinary(binary);
                case BOOLEAN -> b;
                case FLOAT -> f;
                default -> d;
            };
        }

        private Object fromDictionary() {
            return switch (kind) {
                case INT32 -> ofInt(dictionary.decodeToInt(dictId));
                case INT64 -> ofLong(dictionary.decodeToLong(dictId));
                case BOOLEAN -> dictionary.decodeToBoolean(dictId);
                case FLOAT -> dictionary.decodeToFloat(dictId);
                case DOUBLE -> dictionary.decodeToDouble(dictId);
                default -> decimal ? ofBinary(dictionary.decodeToBinary(dictId)) : dictionaryString(dictId);
            };
        }

        private String dictionaryString(int id) {
            if (strings == null) {
                strings = new String[dictionary.getMaxId() + 1];
            }
            String s = strings[id];
            if (s == null) {
                s = dictionary.decodeToBinary(id).toStringUsingUTF8();
                strings[id] = s;
            }
            return s;
        }

        private Object ofInt(int v) {
            return decimal ? BigDecimal.valueOf(v, scale) : date ? LocalDate.ofEpochDay(v) : (Object) v;
        }

        private Object ofLong(long v) {
            return decimal ? BigDecimal.valueOf(v, scale) : (Object) v;
        }

        private Object ofBinary(Binary v) {
            if (decimal) {
                return new BigDecimal(new BigInteger(v.getBytes()), scale);
            }
            // a filter column's values arrive decoded (no dictionary ids), and in the kept rows they repeat
            if (!v.equals(lastBinary)) {
                lastString = v.toStringUsingUTF8();
                lastBinary = v.copy();
            }
            return lastString;
        }
    }

    /** The elements of a three-level LIST; struct elements become maps of field name → value (nulls left out). */
    private static final class ListCell extends GroupConverter implements Cell {
        private final Converter repeated;
        private List<Object> items;

        ListCell(GroupType repeatedGroup) {
            Type e = repeatedGroup.getType(0);
            Cell element = e.isPrimitive() ? new Slot(e.asPrimitiveType()) : new StructCell(e.asGroupType());
            Converter elementConverter = (Converter) element;
            this.repeated = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return elementConverter;
                }

                @Override
                public void start() {
                    element.reset();
                }

                @Override
                public void end() {
                    items.add(element.value());
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
        }

        @Override
        public void reset() {
            items = null;
        }

        @Override
        public Object value() {
            return items;
        }
    }

    /** A struct as a map of field name → value (null fields left out; nested groups skipped). */
    private static final class StructCell extends GroupConverter implements Cell {
        private final String[] names;
        private final Cell[] fields;
        private boolean present;

        StructCell(GroupType type) {
            names = new String[type.getFieldCount()];
            fields = new Cell[names.length];
            for (int i = 0; i < names.length; i++) {
                Type t = type.getType(i);
                names[i] = t.getName();
                fields[i] = t.isPrimitive() ? new Slot(t.asPrimitiveType()) : new Ignore(t.asGroupType());
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return (Converter) fields[fieldIndex];
        }

        @Override
        public void start() {
            present = true;
            for (Cell c : fields) {
                c.reset();
            }
        }

        @Override
        public void end() {
        }

        @Override
        public void reset() {
            present = false;
        }

        @Override
        public Object value() {
            if (!present) {
                return null;
            }
            Map<String, Object> m = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                Object v = fields[i].value();
                if (v != null) {
                    m.put(names[i], v);
                }
            }
            return m;
        }
    }

    /** A column that is read but not returned (a filter's own column, or a group that is not mapped): null. */
    private static Cell ignore(Type t) {
        return t.isPrimitive() ? Skip.SKIP : new Ignore(t.asGroupType());
    }

    /** Takes a primitive value and keeps nothing (dictionary ids are not even decoded). */
    private static final class Skip extends PrimitiveConverter implements Cell {
        static final Skip SKIP = new Skip();

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary dictionary) {
        }

        @Override
        public void addValueFromDictionary(int dictionaryId) {
        }

        @Override
        public void addBinary(Binary value) {
        }

        @Override
        public void addBoolean(boolean value) {
        }

        @Override
        public void addDouble(double value) {
        }

        @Override
        public void addFloat(float value) {
        }

        @Override
        public void addInt(int value) {
        }

        @Override
        public void addLong(long value) {
        }

        @Override
        public void reset() {
        }

        @Override
        public Object value() {
            return null;
        }
    }

    private static final class Ignore extends GroupConverter implements Cell {
        private final Converter[] children;

        Ignore(GroupType g) {
            children = new Converter[g.getFieldCount()];
            for (int i = 0; i < children.length; i++) {
                children[i] = (Converter) ignore(g.getType(i));
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

        @Override
        public void reset() {
        }

        @Override
        public Object value() {
            return null;
        }
    }
}
