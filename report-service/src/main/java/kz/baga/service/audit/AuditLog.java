package kz.baga.service.audit;

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
import kz.baga.service.api.ProblemException;
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

    void onStart(@Observes StartupEvent ev) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE audit_settings SET retention_years = ? WHERE id = 1")) {
            ps.setInt(1, Math.max(1, retentionYears));
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("cannot store the audit retention setting: " + e.getMessage());
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
        throw ProblemException.auditUnavailable(rootMessage(e));
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
        }
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
                    one.result().complete(writer.appendAll(List.of(one.draft())).get(0));
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
                     + "school_id, district_id, client_addr, outcome, detail, prev_hash, hash FROM audit_log "
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
            throw ProblemException.auditUnavailable(e.getMessage());
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
                     + "school_id, district_id, client_addr, outcome, detail, prev_hash, hash FROM audit_log "
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
            throw ProblemException.auditUnavailable(e.getMessage());
        }
        return out;
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14));
    }

    /** Walks the whole chain in id order and reports the first broken link. */
    public Map<String, Object> verify() {
        Map<String, Object> result = new LinkedHashMap<>();
        long checked = 0;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false); // lets the driver stream with a fetch size
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery("SELECT id, at, username, role, action, endpoint, student_ids, "
                        + "school_id, district_id, client_addr, outcome, detail, prev_hash, hash FROM audit_log "
                        + "ORDER BY id")) {
                    String prevHash = null;
                    long prevId = 0;
                    while (rs.next()) {
                        AuditEntry e = entry(rs);
                        String problem = null;
                        if (prevHash == null) {
                            if (!AuditWriter.GENESIS.equals(e.prevHash())) {
                                result.put("startsAfterRetention", true);
                            }
                        } else if (!prevHash.equals(e.prevHash())) {
                            problem = e.id() != prevId + 1
                                    ? "record(s) " + (prevId + 1) + ".." + (e.id() - 1) + " missing: the chain is broken"
                                    : "previous record " + prevId + " was altered or replaced";
                        }
                        if (problem == null && !AuditWriter.hash(e).equals(e.hash())) {
                            problem = "record " + e.id() + " was altered: its hash does not match its content";
                        }
                        if (problem != null) {
                            result.put("ok", false);
                            result.put("checked", checked);
                            result.put("firstBrokenId", e.id());
                            result.put("reason", problem);
                            c.rollback();
                            return result;
                        }
                        checked++;
                        prevHash = e.hash();
                        prevId = e.id();
                    }
                    result.put("lastId", prevId);
                }
            }
            c.rollback();
        } catch (SQLException e) {
            throw ProblemException.auditUnavailable(e.getMessage());
        }
        result.put("ok", true);
        result.put("checked", checked);
        return result;
    }
}
