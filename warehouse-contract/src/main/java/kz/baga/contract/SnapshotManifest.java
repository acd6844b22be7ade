package kz.baga.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code manifest.json} of a committed snapshot ({@link Snapshots#MANIFEST}): what the snapshot was made from
 * (input files with their checksums, the rules, the student-id key, Spark), what came of it (row counts, table
 * rows, layout) and how long the stages took. The pipeline writes it; the service, bench and users' scripts read
 * it, so the JSON names below are part of the contract: fields may be added, never renamed.
 *
 * <p>Both sides map it with their own Jackson, through these annotations alone. Unknown fields are ignored, so a
 * reader opens a snapshot written by a newer pipeline; a field an older pipeline did not write is null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotManifest(
        @JsonProperty("snapshot_id") String snapshotId,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("baga_version") String bagaVersion,
        Input input,
        RulesFile rules,
        @JsonProperty("student_id_key") StudentIdKey studentIdKey,
        Spark spark,
        Counts counts,
        Map<String, Long> tables,
        Map<String, String> layout,
        @JsonProperty("timings_ms") Map<String, Long> timingsMs,
        Run run) {

    /**
     * What kind of run made the snapshot and why: {@code full} (everything computed from the input) or
     * {@code incremental} (only what changed event files can change; the rest carried over from
     * {@code based_on}). {@code validated_context} and {@code validated_files} (file → SHA-256) name the validated
     * rows the run kept in the warehouse's {@code _validated/} folder for the next run; a database table read by a
     * growing column appears there once per read ({@code jdbc:TABLE@UPTO}). {@code database_reads} says how far each
     * such table was read.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(String kind, String reason, @JsonProperty("based_on") String basedOn,
                      @JsonProperty("event_files") Integer eventFiles, Integer added, Integer changed, Integer removed,
                      @JsonProperty("recomputed_schools") Long recomputedSchools,
                      @JsonProperty("recomputed_pupils") Long recomputedPupils,
                      @JsonProperty("recomputed_classes") Long recomputedClasses,
                      @JsonProperty("reused_schools") Long reusedSchools,
                      @JsonProperty("validated_context") String validatedContext,
                      @JsonProperty("validated_files") Map<String, String> validatedFiles,
                      @JsonProperty("database_reads") Map<String, DatabaseRead> databaseReads) {

        public Run(String kind, String reason, String basedOn, Integer eventFiles, Integer added, Integer changed,
                   Integer removed, Long recomputedSchools, Long recomputedPupils, Long recomputedClasses,
                   Long reusedSchools, String validatedContext, Map<String, String> validatedFiles) {
            this(kind, reason, basedOn, eventFiles, added, changed, removed, recomputedSchools, recomputedPupils,
                    recomputedClasses, reusedSchools, validatedContext, validatedFiles, null);
        }

        public boolean incremental() {
            return "incremental".equals(kind);
        }

        /** This run with the validated rows it kept. */
        public Run withValidated(String context, Map<String, String> files) {
            return new Run(kind, reason, basedOn, eventFiles, added, changed, removed, recomputedSchools,
                    recomputedPupils, recomputedClasses, reusedSchools, context, files, databaseReads);
        }

        /** This run with how far it read each database table that has a growing column (null: none). */
        public Run withDatabaseReads(Map<String, DatabaseRead> reads) {
            return new Run(kind, reason, basedOn, eventFiles, added, changed, removed, recomputedSchools,
                    recomputedPupils, recomputedClasses, reusedSchools, validatedContext, validatedFiles,
                    reads == null || reads.isEmpty() ? null : reads);
        }

        /** One line for people: the kind, what changed and what was recomputed, or why the run was full. */
        public String summary() {
            if (!incremental()) {
                return "full: " + reason;
            }
            return "incremental: " + (added + changed + removed) + " of " + eventFiles + " event files changed ("
                    + added + " new, " + changed + " changed, " + removed + " removed); recomputed "
                    + recomputedSchools + (recomputedSchools == 1 ? " school, " : " schools, ") + recomputedPupils
                    + (recomputedPupils == 1 ? " pupil, " : " pupils, ") + recomputedClasses
                    + (recomputedClasses == 1 ? " class; " : " classes; ") + "reused " + reusedSchools
                    + (reusedSchools == 1 ? " school" : " schools");
        }
    }

    /**
     * How far a database table was read, by the column its source's manifest names as growing
     * ({@code growingColumn}): every row with a value up to {@code up_to} (the database's text of that value),
     * {@code rows} of them. The next run reads only rows above it, after checking that the table still holds
     * exactly {@code rows} rows up to it.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DatabaseRead(String column, @JsonProperty("up_to") String upTo, long rows) {
    }

    /** The input folder and every file read from it, by path relative to the folder. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String location, Map<String, InputFile> files) {
    }

    /** A file's size and SHA-256; {@code rows} is 0 for an empty file (not read) and absent otherwise. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InputFile(long bytes, String sha256, @JsonInclude(JsonInclude.Include.NON_NULL) Long rows) {
    }

    /** The rules file the marks were computed with, and its whole content, so a reader applies the same numbers. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RulesFile(String version, String sha256, String location, Map<String, Object> document) {
    }

    /** Which key made the student ids: a fingerprint of it (not the key), and whether it is the public demo key. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StudentIdKey(String fingerprint, @JsonProperty("demo_key") boolean demoKey) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spark(String version, String master,
                        @JsonProperty("shuffle_partitions") String shufflePartitions) {
    }

    /** Rows of the whole run; {@code read = accepted + rejected + merged}, in all and per source. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Counts(long read, long accepted, long rejected, long merged,
                         @JsonProperty("by_source") Map<String, SourceCounts> bySource,
                         @JsonProperty("rejected_by_reason") Map<String, Long> rejectedByReason,
                         @JsonProperty("reference_rows_rejected") long referenceRowsRejected) {

        /** The totals summed from {@code bySource}. */
        public static Counts of(Map<String, SourceCounts> bySource, Map<String, Long> rejectedByReason,
                                long referenceRowsRejected) {
            long read = 0;
            long accepted = 0;
            long rejected = 0;
            long merged = 0;
            for (SourceCounts c : bySource.values()) {
                read += c.read();
                accepted += c.accepted();
                rejected += c.rejected();
                merged += c.merged();
            }
            return new Counts(read, accepted, rejected, merged, bySource, rejectedByReason, referenceRowsRejected);
        }
    }

    /** One source's rows: {@code accepted} reached grade_events, {@code merged} were older copies of an event. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SourceCounts(long read, long accepted, long rejected, long merged) {
    }

    /** How each table of the contract is laid out: {@code partitioned by COLUMN} or {@code single}. */
    public static Map<String, String> tableLayout() {
        Map<String, String> layout = new LinkedHashMap<>();
        for (Table table : Table.values()) {
            layout.put(table.tableName(), table.partitionColumn().map(p -> "partitioned by " + p).orElse("single"));
        }
        return layout;
    }
}
