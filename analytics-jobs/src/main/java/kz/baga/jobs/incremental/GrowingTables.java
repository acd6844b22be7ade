package kz.baga.jobs.incremental;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import kz.baga.contract.SnapshotManifest.DatabaseRead;
import kz.baga.jobs.ingest.EventSources;
import kz.baga.jobs.ingest.InputException;
import kz.baga.jobs.ingest.InputFolder;
import kz.baga.jobs.ingest.SourceSpec;
import kz.baga.jobs.ingest.TableRange;
import kz.baga.jobs.snapshot.ValidatedFiles;

/**
 * Database sources whose manifest names a {@code growingColumn}: a column whose value only grows as rows are added
 * (rows are never changed or deleted; a correction is a new row). Each run reads the rows above the last value read
 * and up to the highest value now; each such read is kept as one validated "file", {@code jdbc:TABLE@UPTO}, so that
 * later runs read it from the warehouse.
 *
 * <p>Before building on earlier reads, a run checks that the table still holds exactly as many rows up to the last
 * value as were read then: a row deleted, changed so that its value moved, or added late below it makes the run
 * full, with that reason. A change that keeps the column's value cannot be seen from here: such a table must not
 * name a growing column (or be run with {@code --full}).
 */
public final class GrowingTables {

    /**
     * What a run reads of the database sources and what it records for the next one.
     *
     * @param ranges     by the rows' file ({@code jdbc:TABLE}): what to read
     * @param records    by file: how far each table has been read, for the manifest
     * @param slices     every read this snapshot is made of, as validated files (key → digest), old and new
     * @param newRows    rows above the last reads (incremental), or all rows with a value (full)
     * @param fullReason why the run cannot build on earlier reads (null: it can)
     */
    public record Reads(Map<String, TableRange> ranges, Map<String, DatabaseRead> records, Map<String, String> slices,
                        long newRows, String fullReason) {

        Reads() {
            this(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), 0, null);
        }

        static Reads refuse(String reason) {
            return new Reads(Map.of(), Map.of(), Map.of(), 0, reason);
        }

        /**
         * This run reads {@code file} above {@code after} (null: from the start) up to {@code p.max()}: the maps are
         * filled in, the count of new rows comes back in the returned copy.
         */
        Reads read(String file, String column, String after, Probe p, long newer) {
            ranges.put(file, new TableRange(column, after, p.max()));
            records.put(file, new DatabaseRead(column, p.max(), p.withValue()));
            slices.put(sliceKey(file, p.max()), digest(file, after, p.max()));
            return new Reads(ranges, records, slices, newRows + newer, null);
        }
    }

    /** A table now: its highest value (text), rows with no value, rows up to a given value, rows with a value. */
    record Probe(String max, long nulls, long upToPrevious, long withValue) {
    }

    private GrowingTables() {
    }

    /** The database sources read whole: every row with a value up to the highest now, and the rows with none. */
    public static Reads full(InputFolder input, Map<String, String> env) {
        Reads reads = new Reads();
        for (InputFolder.Source s : input.sources()) {
            SourceSpec spec = s.spec();
            if (spec.isJdbc() && spec.growingColumn() != null) {
                Probe p = probe(spec, env, null);
                reads = reads.read(spec.databaseFile(), spec.growingColumn(), null, p, p.withValue());
            }
        }
        return reads;
    }

    /**
     * The database sources read after the previous snapshot's reads; {@code fullReason} says why not when a source
     * has no growing column, was not read by it before, or changed below its last value.
     *
     * @param previous          the previous run's {@code database_reads} (null: none)
     * @param previousValidated the previous run's validated files, which hold the earlier reads
     */
    public static Reads after(InputFolder input, Map<String, String> env, Map<String, DatabaseRead> previous,
                              Map<String, String> previousValidated) {
        Reads reads = new Reads();
        for (InputFolder.Source s : input.sources()) {
            SourceSpec spec = s.spec();
            if (!spec.isJdbc()) {
                continue;
            }
            String file = spec.databaseFile();
            if (spec.growingColumn() == null) {
                return Reads.refuse(s.folder() + " reads a database table with no \"growingColumn\", which is read in "
                        + "full");
            }
            DatabaseRead before = previous == null ? null : previous.get(file);
            if (before == null || !spec.growingColumn().equals(before.column())) {
                return Reads.refuse(file + " was not read by its growing column " + spec.growingColumn() + " before");
            }
            Probe p = probe(spec, env, before.upTo());
            if (p.nulls() > 0) {
                return Reads.refuse(file + " has " + p.nulls() + " row(s) with no " + spec.growingColumn()
                        + ", which only a full read takes");
            }
            if (p.upToPrevious() != before.rows()) {
                return Reads.refuse(file + " holds " + p.upToPrevious() + " rows with " + spec.growingColumn() + " ≤ "
                        + before.upTo() + " where the last run read " + before.rows()
                        + ": rows were deleted, changed or added below its last value");
            }
            Map<String, String> slices = reads.slices();
            previousValidated.forEach((key, sha) -> {
                if (ValidatedFiles.fileOf(key).equals(file)) {
                    slices.put(key, sha);
                }
            });
            long newer = p.withValue() - before.rows();
            if (newer > 0) {
                reads = reads.read(file, spec.growingColumn(), before.upTo(), p, newer);
            } else {
                reads.records().put(file, before);
            }
        }
        return reads;
    }

    /** The validated-file name of one read: the rows' file and the highest value it read. */
    static String sliceKey(String file, String upTo) {
        return file + ValidatedFiles.READ_SEPARATOR + (upTo == null ? "" : upTo);
    }

    /** What identifies a read's rows (its table and range), as a validated file's checksum does a file's bytes. */
    private static String digest(String file, String after, String upTo) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((file + "\0" + after + "\0" + upTo).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One query: the column's highest value, rows without one, rows up to {@code previous}, rows with one. */
    static Probe probe(SourceSpec spec, Map<String, String> env, String previous) {
        Properties props = EventSources.connection(spec, env);
        String url = (String) props.remove("url");
        String c = "\"" + spec.growingColumn() + "\"";
        String upToPrevious = previous == null ? "0"
                : "count(*) filter (where " + c + " <= " + TableRange.literal(previous) + ")";
        String sql = "select max(" + c + ")::text, count(*) filter (where " + c + " is null), " + upToPrevious
                + ", count(" + c + ") from " + spec.table();
        try (Connection conn = DriverManager.getConnection(url, props);
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new Probe(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        } catch (SQLException e) {
            throw new InputException("source " + spec.name() + ": cannot look at " + spec.table() + "'s "
                    + spec.growingColumn() + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
