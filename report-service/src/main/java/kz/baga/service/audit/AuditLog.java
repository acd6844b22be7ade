package kz.baga.service.audit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The audit log: records who read which pupil's data (allowed or denied) before any data leaves the service,
 * lists records for auditors and verifies the hash chain.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    @Inject
    AuditWriter writer;

    @Inject
    AgroalDataSource ds;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "baga.audit.retention-years", defaultValue = "10")
    int retentionYears;

    @Inject
    AuditSeal seal;

    @ConfigProperty(name = "baga.audit.allow-privileged", defaultValue = "false")
    boolean allowPrivileged;

    @ConfigProperty(name = "baga.audit.checkpoint.every-records", defaultValue = "10000")
    long checkpointEveryRecords;

    void onStart(@Observes StartupEvent ev) {
        seal.key(); // a missing or short key stops the start, not the first request
        try (Connection c = ds.getConnection()) {
            List<String> problems = privileges(c);
            if (!problems.isEmpty()) {
                String msg = "the service's database role can " + String.join(", ", problems)
                        + ": it could rewrite the audit log; run it as a role with only SELECT and INSERT on audit_log "
                        + "(README, PostgreSQL) or set baga.audit.allow-privileged=true";
                if (!allowPrivileged) {
                    throw new IllegalStateException(msg);
                }
                LOG.warn(msg + " (allowed by baga.audit.allow-privileged)");
            }
            checkRetentionSetting(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the audit table: " + e.getMessage(), e);
        }
        // a signed head at start, so that a chain written before (or by an older version) is covered too
        checkpoint(true);
    }

    /** What the connection's role may do to audit_log beyond SELECT and INSERT; empty when nothing. */
    public static List<String> privileges(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT r.rolsuper, "
                + "pg_has_role(current_user, t.tableowner, 'USAGE'), "
                + "has_table_privilege('audit_log', 'UPDATE'), has_table_privilege('audit_log', 'DELETE'), "
                + "has_table_privilege('audit_log', 'TRUNCATE'), has_table_privilege('audit_log', 'TRIGGER'), "
                + "has_sequence_privilege('audit_log_id_seq', 'UPDATE') "
                + "FROM pg_roles r, pg_tables t WHERE r.rolname = current_user AND t.tablename = 'audit_log' "
                + "AND t.schemaname = current_schema()")) {
            if (!rs.next()) {
                throw new SQLException("audit_log not found");
            }
            String[] names = {"act as superuser", "act as the table's owner", "UPDATE", "DELETE", "TRUNCATE",
                    "create triggers", "reset the id sequence"};
            for (int i = 0; i < names.length; i++) {
                if (rs.getBoolean(i + 1)) {
                    out.add(names[i]);
                }
            }
        }
        return out;
    }

    /** The retention lives in the database (for the trigger); only its owner may change it (see AuditRetention). */
    private void checkRetentionSetting(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT retention_years FROM audit_settings WHERE id = 1")) {
            if (rs.next() && rs.getInt(1) != Math.max(1, retentionYears)) {
                LOG.warn("audit_settings.retention_years is " + rs.getInt(1) + " but baga.audit.retention-years is "
                        + retentionYears + ": the owner sets it (AuditRetention at start, or by hand)");
            }
        }
    }

    // ---- checkpoints ----------------------------------------------------------------------------------------

    private final Object checkpointLock = new Object();
    private volatile AuditEntry lastWritten;
    private long lastCheckpointSeq = -1;
    private long writtenSinceCheckpoint;
    private long keyedFrom;

    /** Called by the writer thread after a batch committed; never throws (the batch must not be written again). */
    private void written(List<AuditEntry> entries) {
        try {
            noteWritten(entries);
        } catch (RuntimeException e) {
            registry.counter("baga.audit.checkpoint.failures").increment();
            LOG.error("audit checkpoint bookkeeping failed: " + e);
        }
    }

    private void noteWritten(List<AuditEntry> entries) {
        AuditEntry last = entries.get(entries.size() - 1);
        boolean due;
        synchronized (checkpointLock) {
            if (keyedFrom == 0) {
                keyedFrom = entries.get(0).id();
            }
            if (lastWritten == null || last.id() > lastWritten.id()) {
                lastWritten = last;
            }
            writtenSinceCheckpoint += entries.size();
            due = writtenSinceCheckpoint >= checkpointEveryRecords;
        }
        if (due) {
            checkpoint(false);
        }
    }

    /** Periodically, and at shutdown: a checkpoint when the head moved since the last one. */
    @io.quarkus.scheduler.Scheduled(every = "${baga.audit.checkpoint.every:30s}", delayed = "${baga.audit.checkpoint.every:30s}")
    void periodicCheckpoint() {
        checkpoint(false);
    }

    /**
     * Signs the chain's head into the checkpoint file (and the log). {@code readHead}: take the head from the
     * database (at start), else the last record this service committed.
     */
    public void checkpoint(boolean readHead) {
        synchronized (checkpointLock) {
            try {
                long seq;
                String head;
                if (readHead) {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        try (ResultSet rs = s.executeQuery("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")) {
                            if (!rs.next()) {
                                return;
                            }
                            seq = rs.getLong(1);
                            head = rs.getString(2);
                        }
                        Checkpoints.Contents signed = seal.checkpoints().read();
                        Checkpoints.Checkpoint latest = signed.latestHead();
                        if (latest != null && latest.seq() == seq && latest.head().equals(head)) {
                            lastCheckpointSeq = seq; // signed at the last shutdown: no second line for it
                        }
                        if (keyedFrom == 0) {
                            keyedFrom = signed.keyedFrom();
                        }
                        if (keyedFrom == 0) {
                            try (ResultSet rs = s.executeQuery("SELECT min(id) FROM audit_log WHERE hash_version = "
                                    + AuditWriter.KEYED)) {
                                rs.next();
                                keyedFrom = rs.getLong(1);
                            }
                        }
                    }
                } else {
                    AuditEntry last = lastWritten;
                    if (last == null) {
                        return;
                    }
                    seq = last.id();
                    head = last.hash();
                }
                if (seq == lastCheckpointSeq) {
                    return;
                }
                String line = seal.checkpoints().append(new Checkpoints.Checkpoint(Checkpoints.Kind.head, seq, head,
                        Instant.now(), keyedFrom, 0, 0));
                LOG.info("audit checkpoint " + line);
                lastCheckpointSeq = seq;
                writtenSinceCheckpoint = 0;
            } catch (IOException | SQLException e) {
                registry.counter("baga.audit.checkpoint.failures").increment();
                LOG.error("audit checkpoint could not be written: " + e.getMessage());
            }
        }
    }

    /**
     * Writes one record; any failure becomes a 503 problem so that no data is served unaudited. Returns only once
     * the record is committed.
     *
     * <p>Group commit: callers queue their records for one writer thread, which appends everything queued so far
     * in one transaction ({@link AuditWriter#appendAll}: one advisory lock, one look-up of the chain's head, one
     * round trip for the rows, one commit) and then hands every caller its committed entry or the failure. A
     * caller alone has its record written at once; under load the lock, the look-up and the commit are shared by
     * a batch instead of paid by every request. If a batch fails, its records are retried one by one, so that one
     * bad record cannot refuse the others' requests.
     */
    public AuditEntry record(String username, String role, String action, String endpoint, String studentIds,
                             String schoolId, String districtId, String clientAddr, boolean allowed, String detail) {
        Pending p = new Pending(new AuditWriter.Draft(username, role, action, endpoint, studentIds, schoolId,
                districtId, clientAddr, allowed ? "ALLOWED" : "DENIED", detail), new CompletableFuture<>());
        try {
            ensureWriter();
            queue.add(p);
            AuditEntry e = p.result().get(WAIT_SECONDS, TimeUnit.SECONDS);
            registry.counter("baga.audit.records", "outcome", e.outcome()).increment();
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(e);
        } catch (ExecutionException e) {
            return failed(e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            // on a timeout the record may still be written later: the request is refused all the same
            return failed(e);
        }
    }

    private AuditEntry failed(Throwable e) {
        registry.counter("baga.audit.failures").increment();
        LOG.error("audit record could not be written: " + e);
        throw new AuditUnavailableException(rootMessage(e));
    }

    /** A record waiting for the writer, and its outcome. */
    private record Pending(AuditWriter.Draft draft, CompletableFuture<AuditEntry> result) {
    }

    private static final int MAX_BATCH = 256;
    private static final long WAIT_SECONDS = 30;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile Thread writerThread;

    private void ensureWriter() {
        Thread t = writerThread;
        if (t != null && t.isAlive()) {
            return;
        }
        synchronized (this) {
            if (writerThread == null || !writerThread.isAlive()) {
                writerThread = new Thread(this::writeLoop, "baga-audit-writer");
                writerThread.setDaemon(true);
                writerThread.start();
            }
        }
    }

    @PreDestroy
    void stopWriter() {
        Thread t = writerThread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000); // the batch in hand finishes, so the last checkpoint covers it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        checkpoint(false);
        seal.copy().ifPresent(CheckpointCopy::close); // the last line copied too, whichever bean stops first
    }

    /** The writer thread: takes what is queued, writes it as one batch, repeats. */
    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                for (Pending p : batch) {
                    p.result().completeExceptionally(t);
                }
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(new IllegalStateException("the service is stopping"));
        }
    }

    private void write(List<Pending> batch) {
        registry.summary("baga.audit.batch.size").record(batch.size());
        try {
            List<AuditEntry> written = writer.appendAll(batch.stream().map(Pending::draft).toList());
            written(written);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(written.get(i));
            }
        } catch (Throwable t) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(t);
                return;
            }
            for (Pending one : batch) { // nothing of the batch was committed: each on its own
                try {
                    List<AuditEntry> written = writer.appendAll(List.of(one.draft()));
                    written(written);
                    one.result().complete(written.get(0));
                } catch (Throwable t1) {
                    one.result().completeExceptionally(t1);
                }
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    public List<AuditEntry> list(Instant from, Instant to, int limit) {
        List<AuditEntry> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, at, username, role, action, endpoint, student_ids, "
                     + "school_id, district_id, client_addr, outcome, detail, prev_hash, hash, hash_version FROM audit_log "
                     + "WHERE at >= ? AND at < ? ORDER BY id LIMIT ?")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
        } catch (SQLException e) {
            throw new AuditUnavailableException(e.getMessage());
        }
        return out;
    }

    /**
     * The newest records of a period, optionally of one user and of one pupil (a record names its pupils as a
     * comma-separated list), at most {@code limit}.
     */
    public List<AuditEntry> search(Instant from, Instant to, String username, String studentId, int limit) {
        List<AuditEntry> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, at, username, role, action, endpoint, student_ids, "
                     + "school_id, district_id, client_addr, outcome, detail, prev_hash, hash, hash_version FROM audit_log "
                     + "WHERE at >= ? AND at < ? AND (CAST(? AS TEXT) IS NULL OR username = ?) "
                     + "AND (CAST(? AS TEXT) IS NULL OR ',' || student_ids || ',' LIKE '%,' || ? || ',%') "
                     + "ORDER BY id DESC LIMIT ?")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setString(3, username);
            ps.setString(4, username);
            ps.setString(5, studentId);
            ps.setString(6, studentId);
            ps.setInt(7, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
        } catch (SQLException e) {
            throw new AuditUnavailableException(e.getMessage());
        }
        return out;
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                rs.getInt(15));
    }

    /**
     * Walks the whole chain in id order and reports the first broken link, checking it against the signed
     * checkpoints outside the database: every record a checkpoint names must still be there with the hash it had
     * (a deleted or rewritten tail), the chain must start at the genesis or where a signed retention ended (a
     * deleted head), records from the first keyed one on must carry HMAC hashes (a chain re-hashed without the key),
     * and every hash must match its record.
     *
     * <p>Of the checkpoint files it reads the current one whole; archived files are only hashed, along the chain of
     * rotation lines (a missing or altered archive, or a removed rotation line, is a problem), because the current
     * file's rotation line carries forward what the chain check needs of them: the last signed head (the chain
     * links every earlier record to it), the latest retention and the first keyed record. With a copy configured,
     * the copy is compared with the local files (see {@link CheckpointCopy#compare}).
     */
    public Map<String, Object> verify() {
        Checkpoints.Contents cps;
        Checkpoints.ArchiveCheck archives;
        try {
            cps = seal.checkpoints().read();
            archives = seal.checkpoints().checkArchives(cps);
        } catch (IOException e) {
            throw new AuditUnavailableException("checkpoints unreadable: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>(cps.problems());
        problems.addAll(archives.problems());
        Map<String, Object> result = verify(ds, seal.key(), cps, problems);
        if (archives.files() > 0) {
            result.put("archives", archives.files());
            result.put("archivedCheckpoints", archives.checkpoints());
        }
        CheckpointCopy copy = seal.copy().orElse(null);
        if (copy != null) {
            Map<String, Object> c = copy.compare(cps);
            result.put("copy", c);
            @SuppressWarnings("unchecked")
            List<String> copyProblems = (List<String>) c.get("problems");
            if (Boolean.TRUE.equals(result.get("ok")) && !copyProblems.isEmpty()) {
                result.put("ok", false);
                result.put("reason", "checkpoint copy in " + c.get("dir") + ": " + copyProblems.get(0));
            }
        }
        return result;
    }

    /** The verification on any connection source (also used by tests without the service). */
    public static Map<String, Object> verify(javax.sql.DataSource ds, byte[] key, Checkpoints.Contents cps) {
        return verify(ds, key, cps, cps.problems());
    }

    /** As above; {@code fileProblems}: what is wrong with the checkpoint files themselves (reported first). */
    public static Map<String, Object> verify(javax.sql.DataSource ds, byte[] key, Checkpoints.Contents cps,
                                             List<String> fileProblems) {
        Map<String, Object> result = new LinkedHashMap<>();
        java.util.TreeMap<Long, Checkpoints.Checkpoint> heads = new java.util.TreeMap<>();
        java.util.Set<String> retainedHeads = new java.util.HashSet<>();
        long retainedTo = 0;
        long keyed = 0;
        for (Checkpoints.Checkpoint cp : cps.valid()) {
            if (cp.kind() == Checkpoints.Kind.retention) {
                retainedHeads.add(cp.head());
                retainedTo = Math.max(retainedTo, cp.to());
            } else if (cp.kind() == Checkpoints.Kind.head) {
                heads.put(cp.seq(), cp);
            } else {
                // a rotation line: what the archived files held, carried forward
                Checkpoints.Checkpoint head = cp.carriedHead();
                Checkpoints.Checkpoint ret = cp.carriedRetention();
                if (head != null) {
                    heads.putIfAbsent(head.seq(), head);
                }
                if (ret != null) {
                    retainedHeads.add(ret.head());
                    retainedTo = Math.max(retainedTo, ret.to());
                }
            }
            if (cp.keyedFrom() > 0 && (keyed == 0 || cp.keyedFrom() < keyed)) {
                keyed = cp.keyedFrom();
            }
        }
        long keyedFrom = keyed;
        long retainedUpTo = retainedTo;
        heads.headMap(retainedUpTo, true).clear(); // records retention deleted need not be there
        result.put("checkpoints", cps.valid().size());
        if (!heads.isEmpty()) {
            result.put("lastCheckpoint", heads.lastKey());
        }
        if (!cps.badLines().isEmpty()) {
            result.put("ok", false);
            result.put("checked", 0L);
            result.put("reason", "checkpoint line(s) " + cps.badLines() + " do not carry a valid signature: "
                    + "the checkpoint file was altered");
            return result;
        }
        if (!fileProblems.isEmpty()) {
            result.put("ok", false);
            result.put("checked", 0L);
            result.put("reason", "checkpoint files: " + fileProblems.get(0));
            result.put("problems", fileProblems);
            return result;
        }
        long checked = 0;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false); // lets the driver stream with a fetch size
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery("SELECT id, at, username, role, action, endpoint, student_ids, "
                        + "school_id, district_id, client_addr, outcome, detail, prev_hash, hash, hash_version "
                        + "FROM audit_log ORDER BY id")) {
                    String prevHash = null;
                    long prevId = 0;
                    boolean seenKeyed = false;
                    while (rs.next()) {
                        AuditEntry e = entry(rs);
                        String problem = null;
                        long broken = e.id();
                        Map.Entry<Long, Checkpoints.Checkpoint> skipped = heads.lowerEntry(e.id());
                        if (prevHash == null) {
                            if (retainedHeads.contains(e.prevHash())) {
                                result.put("startsAfterRetention", true);
                                result.put("retainedFrom", e.id());
                            } else if (!AuditWriter.GENESIS.equals(e.prevHash())) {
                                broken = retainedUpTo + 1;
                                problem = "records before " + e.id() + " are missing: the first record follows "
                                        + "neither the genesis nor a signed retention";
                            }
                        } else if (!prevHash.equals(e.prevHash())) {
                            problem = e.id() != prevId + 1
                                    ? "record(s) " + (prevId + 1) + ".." + (e.id() - 1) + " missing: the chain is broken"
                                    : "previous record " + prevId + " was altered or replaced";
                        }
                        if (problem == null && skipped != null && skipped.getKey() > prevId) {
                            broken = prevId + 1;
                            problem = "record " + skipped.getKey() + ", signed in a checkpoint at "
                                    + skipped.getValue().at() + ", is missing";
                        }
                        if (problem == null && e.hashVersion() != AuditWriter.KEYED
                                && ((keyedFrom > 0 && e.id() >= keyedFrom) || seenKeyed)) {
                            problem = "record " + e.id() + " carries an unkeyed hash where the chain is keyed: "
                                    + "it was re-hashed without the key";
                        }
                        if (problem == null && !AuditWriter.hashOf(e, key).equals(e.hash())) {
                            problem = "record " + e.id() + " was altered: its hash does not match its content"
                                    + (e.hashVersion() == AuditWriter.KEYED && !seenKeyed
                                    ? " (or baga.audit.key is not the key the chain was written with)" : "");
                        }
                        Checkpoints.Checkpoint cp = heads.get(e.id());
                        if (problem == null && cp != null && !cp.head().equals(e.hash())) {
                            Long before = heads.lowerKey(e.id());
                            broken = before == null ? 1 : before + 1;
                            problem = "record " + e.id() + " does not have the hash signed in the checkpoint at "
                                    + cp.at() + ": the chain was rewritten after record " + (broken - 1);
                        }
                        if (problem != null) {
                            result.put("ok", false);
                            result.put("checked", checked);
                            result.put("firstBrokenId", broken);
                            result.put("reason", problem);
                            c.rollback();
                            return result;
                        }
                        seenKeyed |= e.hashVersion() == AuditWriter.KEYED;
                        checked++;
                        prevHash = e.hash();
                        prevId = e.id();
                    }
                    result.put("lastId", prevId);
                    if (!heads.isEmpty() && heads.lastKey() > prevId) {
                        Checkpoints.Checkpoint cp = heads.lastEntry().getValue();
                        result.put("ok", false);
                        result.put("checked", checked);
                        result.put("firstBrokenId", prevId + 1);
                        result.put("reason", "records " + (prevId + 1) + ".." + cp.seq() + " are missing: the "
                                + "checkpoint at " + cp.at() + " signed record " + cp.seq() + " as the head");
                        c.rollback();
                        return result;
                    }
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw new AuditUnavailableException(e.getMessage());
        }
        result.put("ok", true);
        result.put("checked", checked);
        return result;
    }
}
