package kz.baga.service.warehouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import kz.baga.contract.SnapshotManifest;
import kz.baga.contract.Snapshots;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Watches {@code WAREHOUSE/CURRENT} (polling) and holds the snapshot it names. Switching is an atomic reference
 * swap: requests that already hold the old {@link Snapshot} finish on it; new requests see the new one.
 */
@Startup
@ApplicationScoped
public class SnapshotRegistry {

    private static final Logger LOG = Logger.getLogger(SnapshotRegistry.class);

    @ConfigProperty(name = "baga.warehouse")
    String warehouse;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "baga.demo", defaultValue = "false")
    boolean demo;

    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private volatile String lastError = "not checked yet";
    private volatile String refused;

    @PostConstruct
    void init() {
        refresh();
    }

    public Path root() {
        return Paths.get(warehouse).toAbsolutePath();
    }

    /** Polls CURRENT; cheap when nothing changed (one small file read). */
    @Scheduled(every = "${baga.warehouse.poll:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void refresh() {
        Path currentFile = root().resolve(Snapshots.CURRENT);
        String id;
        try {
            if (!Files.isRegularFile(currentFile)) {
                lastError = "no committed snapshot: " + currentFile + " does not exist (run ./baga pipeline first)";
                return;
            }
            id = Files.readString(currentFile, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            lastError = "cannot read " + currentFile + ": " + e.getMessage();
            return;
        }
        Snapshot old = current.get();
        if (old != null && old.id().equals(id)) {
            return;
        }
        try {
            Path dir = root().resolve(Snapshots.snapshotPath(id));
            SnapshotManifest manifest = mapper.readValue(dir.resolve(Snapshots.MANIFEST).toFile(),
                    SnapshotManifest.class);
            if (!demo && manifest.studentIdKey() != null && manifest.studentIdKey().demoKey()) {
                // its pupil ids come from a published key: anyone could link them back to IINs
                lastError = "snapshot " + id + " was made with the public demo student-id key; outside demo mode "
                        + "Baga serves only snapshots made with BAGA_ID_KEY set (rerun ./baga pipeline with it)";
                if (!lastError.equals(refused)) {
                    LOG.error(lastError);
                }
                refused = lastError;
                current.set(null);
                return;
            }
            Snapshot next = new Snapshot(id, dir, manifest);
            current.set(next);
            lastError = null;
            LOG.infof("serving snapshot %s (rules %s) from %s", id, next.rulesVersion(), root());
        } catch (Exception e) {
            lastError = "snapshot " + id + " named by CURRENT cannot be opened: " + e.getMessage();
            LOG.warn(lastError, e);
        }
    }

    /** The snapshot to use for one request; 503 problem when there is none. */
    public Snapshot require() {
        Snapshot s = current.get();
        if (s == null) {
            throw new NoSnapshotException(lastError == null ? "no snapshot" : lastError);
        }
        return s;
    }

    public Snapshot currentOrNull() {
        return current.get();
    }

    public String lastError() {
        return lastError;
    }
}
