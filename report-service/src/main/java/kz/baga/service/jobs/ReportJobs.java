package kz.baga.service.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import kz.baga.service.security.Account;
import kz.baga.service.security.Roles;
import kz.baga.service.warehouse.Snapshot;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reports too large to render inside a request, run as jobs: a row in {@code report_jobs} (who, what, which
 * snapshot, status, timings, error) and a bounded pool of worker threads. The finished PDF is stored in the row
 * ({@code result}, bytea), so it is served from PostgreSQL whatever happens to the warehouse afterwards (a
 * snapshot switch, or the pipeline removing the snapshot it came from).
 *
 * <p>Statuses: {@code QUEUED → RUNNING → DONE | FAILED}. The queue lives in this process: jobs that were queued
 * or running when the service stopped are marked FAILED at the next start ("interrupted"), and a full queue
 * refuses new jobs with {@code 503 jobs-busy} rather than growing without bound.
 */
@ApplicationScoped
public class ReportJobs {

    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    public static final String DISTRICT_REPORT = "district-report";
    public static final String PDF = "application/pdf";

    private static final Logger LOG = Logger.getLogger(ReportJobs.class);
    private static final String COLUMNS = "j.id, j.user_id, u.username, j.kind, j.params, j.status, j.district_id, "
            + "j.snapshot_id, j.rules_version, j.created_at, j.started_at, j.finished_at, j.error, j.result_type, "
            + "j.result_size, j.expired_at";

    /** A job as stored, without its result bytes. */
    public record Job(UUID id, long userId, String requestedBy, String kind, Map<String, Object> params, String status,
                      String districtId, String snapshotId, String rulesVersion, Instant createdAt, Instant startedAt,
                      Instant finishedAt, String error, String resultType, Integer resultSize, Instant expiredAt) {

        public boolean pending() {
            return QUEUED.equals(status) || RUNNING.equals(status);
        }
    }

    /** The stored result of a DONE job. */
    public record Result(byte[] bytes, String type) {
    }

    @ConfigProperty(name = "baga.jobs.threads", defaultValue = "1")
    int threads;

    @ConfigProperty(name = "baga.jobs.queue", defaultValue = "16")
    int queueCapacity;

    @ConfigProperty(name = "baga.jobs.async-above-schools", defaultValue = "100")
    int asyncAboveSchools;

    @ConfigProperty(name = "baga.jobs.keep", defaultValue = "7d")
    Duration keep;

    @ConfigProperty(name = "baga.jobs.retry-after", defaultValue = "2")
    int retryAfterSeconds;

    @Inject
    AgroalDataSource ds;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper mapper;

    private ThreadPoolExecutor executor;
    private Timer doneTimer;
    private Timer failedTimer;

    @PostConstruct
    void init() {
        AtomicInteger n = new AtomicInteger();
        int t = Math.max(1, threads);
        executor = new ThreadPoolExecutor(t, t, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queueCapacity)), r -> {
                    Thread th = new Thread(r, "baga-report-job-" + n.incrementAndGet());
                    th.setDaemon(true);
                    return th;
                }, new ThreadPoolExecutor.AbortPolicy());
        Gauge.builder("baga.report.jobs.queued", executor, e -> e.getQueue().size())
                .description("report jobs waiting for a worker").register(registry);
        Gauge.builder("baga.report.jobs.running", executor, ThreadPoolExecutor::getActiveCount)
                .description("report jobs being rendered").register(registry);
        doneTimer = Timer.builder("baga.report.jobs.render").tag("outcome", "done").register(registry);
        failedTimer = Timer.builder("baga.report.jobs.render").tag("outcome", "failed").register(registry);
    }

    /** Jobs of a previous run of the service cannot finish: their worker is gone. */
    void onStart(@Observes StartupEvent ev) {
        int n = failInterrupted();
        if (n > 0) {
            LOG.warnf("%d report job(s) were queued or running when the service last stopped: marked FAILED", n);
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        List<Runnable> waiting = executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!waiting.isEmpty()) {
            LOG.infof("%d queued report job(s) not started before shutdown; marked FAILED at the next start",
                    waiting.size());
        }
    }

    /** Marks every QUEUED or RUNNING job FAILED ("interrupted"); returns how many. */
    public int failInterrupted() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE report_jobs SET status = 'FAILED', finished_at = now(), "
                     + "error = 'interrupted: the service stopped before the job finished; request the report again' "
                     + "WHERE status IN ('QUEUED', 'RUNNING')")) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            LOG.error("cannot mark interrupted report jobs: " + e.getMessage());
            return 0;
        }
    }

    /** Above this many schools a district report is rendered as a job unless the request says otherwise. */
    public int asyncAboveSchools() {
        return asyncAboveSchools;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static UUID newId() {
        return UUID.randomUUID();
    }

    /**
     * Stores a QUEUED job and hands {@code work} to the pool. The work must carry everything it needs (the
     * snapshot and read model taken by the request), so it renders what the request saw even if {@code CURRENT}
     * moves on while it waits. A full queue marks the row FAILED and answers {@code 503 jobs-busy}.
     */
    public Job submit(UUID id, Account requester, String kind, String districtId, Map<String, Object> params,
                      Snapshot snapshot, Callable<byte[]> work) {
        String paramsJson;
        try {
            paramsJson = mapper.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO report_jobs (id, user_id, kind, params, status, "
                     + "district_id, snapshot_id, rules_version) VALUES (?, ?, ?, ?, 'QUEUED', ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setLong(2, requester.id());
            ps.setString(3, kind);
            ps.setString(4, paramsJson);
            ps.setString(5, districtId);
            ps.setString(6, snapshot.id());
            ps.setString(7, snapshot.rulesVersion());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JobsUnavailableException("the report job could not be stored: " + e.getMessage());
        }
        try {
            executor.execute(() -> run(id, work));
        } catch (RejectedExecutionException e) {
            registry.counter("baga.report.jobs.rejected").increment();
            fail(id, "rejected: the report queue was full");
            throw new JobsBusyException(executor.getQueue().size(), retryAfterSeconds * 5);
        }
        return find(id).orElseThrow();
    }

    private void run(UUID id, Callable<byte[]> work) {
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE report_jobs SET status = 'RUNNING', started_at = now() WHERE id = ? AND status = 'QUEUED'")) {
            ps.setObject(1, id);
            if (ps.executeUpdate() == 0) {
                return; // no longer queued (marked failed meanwhile): nothing to do
            }
        } catch (SQLException e) {
            LOG.errorf("report job %s: cannot mark it running: %s", id, e.getMessage());
        }
        byte[] result;
        try {
            result = work.call();
        } catch (Throwable e) {
            LOG.errorf(e, "report job %s failed", id);
            fail(id, describe(e));
            failedTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            return;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE report_jobs SET status = 'DONE', finished_at = now(), "
                     + "result = ?, result_type = ?, result_size = ? WHERE id = ?")) {
            ps.setBytes(1, result);
            ps.setString(2, PDF);
            ps.setInt(3, result.length);
            ps.setObject(4, id);
            ps.executeUpdate();
            doneTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        } catch (SQLException e) {
            LOG.errorf("report job %s: cannot store its result: %s", id, e.getMessage());
            fail(id, "the result could not be stored: " + e.getMessage());
            failedTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    private void fail(UUID id, String error) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE report_jobs SET status = 'FAILED', finished_at = now(), "
                     + "error = ? WHERE id = ?")) {
            ps.setString(1, error == null || error.isBlank() ? "unknown error" : error);
            ps.setObject(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.errorf("report job %s: cannot mark it failed (%s): %s", id, error, e.getMessage());
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    public Optional<Job> find(UUID id) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                     + " FROM report_jobs j JOIN users u ON u.id = j.user_id WHERE j.id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(job(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The jobs an account may see: its own, and for department staff every job of their district. */
    public List<Job> visibleTo(Account a, int limit) {
        boolean department = a.districtId() != null && Roles.DEPARTMENT.equals(a.role());
        String where = department ? "j.user_id = ? OR j.district_id = ?" : "j.user_id = ?";
        List<Job> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM report_jobs j JOIN users u "
                     + "ON u.id = j.user_id WHERE " + where + " ORDER BY j.created_at DESC, j.id LIMIT ?")) {
            int i = 1;
            ps.setLong(i++, a.id());
            if (department) {
                ps.setString(i++, a.districtId());
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(job(rs));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return out;
    }

    public Optional<Result> result(UUID id) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT result, result_type FROM report_jobs WHERE id = ? AND status = 'DONE' AND result IS NOT NULL")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Result(rs.getBytes(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Scheduled(every = "${baga.jobs.expire-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledExpiry() {
        expireResults();
    }

    /** Drops the results of jobs finished longer ago than {@code baga.jobs.keep}; the rows stay as a record. */
    public int expireResults() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE report_jobs SET result = NULL, expired_at = now() "
                     + "WHERE result IS NOT NULL AND finished_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minus(keep)));
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.infof("dropped the results of %d report job(s) older than %s", n, keep);
            }
            return n;
        } catch (SQLException e) {
            LOG.warn("cannot expire report job results: " + e.getMessage());
            return 0;
        }
    }

    private Job job(ResultSet rs) throws SQLException {
        Map<String, Object> params;
        try {
            params = mapper.readValue(rs.getString(5), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            params = Map.of("raw", rs.getString(5));
        }
        Integer size = rs.getObject(15) == null ? null : rs.getInt(15);
        return new Job((UUID) rs.getObject(1), rs.getLong(2), rs.getString(3), rs.getString(4), params,
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), instant(rs, 10), instant(rs, 11),
                instant(rs, 12), rs.getString(13), rs.getString(14), size, instant(rs, 16));
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    private static JobsUnavailableException unavailable(SQLException e) {
        return new JobsUnavailableException("report jobs cannot be read: " + e.getMessage());
    }
}
