package kz.baga.service.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import kz.baga.service.db.EmbeddedDatabase;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The audit key and the checkpoint file, both outside the database. The key comes from {@code baga.audit.key}
 * ({@code BAGA_AUDIT_KEY}); without one it is read from {@code audit.key} in {@code baga.audit.dir}, generated
 * there (owner-only) when absent. The checkpoint file rotates into {@code archive/} at
 * {@code baga.audit.checkpoint.rotate-bytes} or a new month, and is copied line by line to
 * {@code baga.audit.checkpoint.copy-dir} when that is set.
 */
@ApplicationScoped
public class AuditSeal {

    private static final Logger LOG = Logger.getLogger(AuditSeal.class);

    @ConfigProperty(name = "baga.audit.key")
    Optional<String> configuredKey;

    @ConfigProperty(name = "baga.audit.dir", defaultValue = ".baga/audit")
    String dir;

    @ConfigProperty(name = "baga.audit.checkpoint.rotate-bytes", defaultValue = "16M")
    MemorySize rotateBytes;

    @ConfigProperty(name = "baga.audit.checkpoint.copy-dir")
    Optional<String> copyDir;

    @ConfigProperty(name = "baga.audit.checkpoint.copy-lag", defaultValue = "10s")
    Duration copyLag;

    private byte[] key;
    private Checkpoints checkpoints;
    private CheckpointCopy copy;

    @PostConstruct
    void init() {
        Path folder = Paths.get(dir).toAbsolutePath();
        String k = configuredKey.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (k == null) {
            Path file = folder.resolve("audit.key");
            try {
                if (!Files.exists(file)) {
                    byte[] b = new byte[32];
                    new SecureRandom().nextBytes(b);
                    EmbeddedDatabase.writeSecret(file, HexFormat.of().formatHex(b));
                    LOG.warn("no baga.audit.key configured: generated one in " + file
                            + " (keep a copy: records chained with it can only be verified with it)");
                }
                k = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit key " + file, e);
            }
        }
        if (k.length() < 32) {
            throw new IllegalStateException("baga.audit.key must have at least 32 characters");
        }
        key = k.getBytes(StandardCharsets.UTF_8);
        checkpoints = new Checkpoints(folder.resolve("checkpoints.log"), key, rotateBytes.asLongValue(),
                Clock.systemUTC());
        try {
            checkpoints.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit checkpoints " + checkpoints.file(), e);
        }
        String c = copyDir.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (c != null) {
            copy = new CheckpointCopy(Paths.get(c), checkpoints, copyLag);
            checkpoints.copyTo(copy);
            copy.start();
        }
    }

    @PreDestroy
    void stop() {
        if (copy != null) {
            copy.close();
        }
    }

    public byte[] key() {
        return key;
    }

    public Checkpoints checkpoints() {
        return checkpoints;
    }

    /** The copy of the checkpoints in {@code baga.audit.checkpoint.copy-dir}, or empty when none is set. */
    public Optional<CheckpointCopy> copy() {
        return Optional.ofNullable(copy);
    }
}
