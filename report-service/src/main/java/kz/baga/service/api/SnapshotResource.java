package kz.baga.service.api;

import java.util.Map;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import kz.baga.service.view.ViewBuilder;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;

/** Which snapshot the service serves now (no pupil data). */
@Path("/api/v1/snapshot")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SnapshotResource {

    @Inject
    SnapshotRegistry snapshots;

    @GET
    public Map<String, Object> current() {
        Snapshot s = snapshots.require();
        return ViewBuilder.map("snapshotId", s.id(), "rulesVersion", s.rulesVersion(), "createdAt", s.createdAt(),
                "currentYear", s.currentYear(), "schools", s.schools().size(), "counts",
                s.manifest().counts());
    }
}
