package kz.baga.service.audit;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The checkpoint copy as a wellness check: DOWN while the copy cannot be written, which turns {@code /q/health}
 * and {@code /q/health/well} DOWN but leaves readiness and liveness up — the service keeps answering, with its
 * checkpoints kept locally only. The folder and the error text are left to the log and to verify (auditors only).
 */
@Wellness
@ApplicationScoped
public class AuditCopyHealth implements HealthCheck {

    @Inject
    AuditSeal seal;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("audit-checkpoint-copy");
        CheckpointCopy copy = seal.copy().orElse(null);
        if (copy == null) {
            return b.up().withData("state", "not configured").build();
        }
        CheckpointCopy.Status s = copy.status();
        b.withData("pendingLines", s.pending()).withData("failedWrites", s.failedWrites());
        if (s.lastWrite() != null) {
            b.withData("lastWrite", s.lastWrite().toString());
        }
        if (s.degraded()) {
            return b.down().withData("state", "degraded").withData("since", String.valueOf(s.since())).build();
        }
        return b.up().withData("state", "ok").build();
    }
}
