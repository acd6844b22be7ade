package kz.baga.service.warehouse;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when a committed snapshot is being served. */
@Readiness
@ApplicationScoped
public class SnapshotReadiness implements HealthCheck {

    @Inject
    SnapshotRegistry snapshots;

    @Override
    public HealthCheckResponse call() {
        Snapshot s = snapshots.currentOrNull();
        if (s == null) {
            return HealthCheckResponse.named("warehouse-snapshot").down()
                    .withData("reason", String.valueOf(snapshots.lastError())).build();
        }
        return HealthCheckResponse.named("warehouse-snapshot").up().withData("snapshot", s.id())
                .withData("rules", s.rulesVersion()).build();
    }
}
