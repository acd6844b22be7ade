package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import kz.baga.service.warehouse.Snapshot;
import kz.baga.service.warehouse.SnapshotRegistry;
import org.junit.jupiter.api.Test;

/** A new snapshot committed while the service runs is picked up without a restart. */
@QuarkusTest
@TestProfile(IsolatedProfile.class)
class SnapshotSwitchTest {

    @Inject
    SnapshotRegistry registry;

    @Test
    void switchesWithoutRestart() throws Exception {
        Snapshot old = registry.require();
        String child = Fixture.premiumChild();
        as("parent.premium").get("/api/v1/students/" + child + "/grades").then().statusCode(200)
                .header("X-Baga-Snapshot", old.id());

        // commit a "new" snapshot the way the pipeline does: write the folder, then replace CURRENT atomically
        Path root = registry.root();
        String newId = old.id() + "-next";
        TestDatabase.commitCopy(root, old.dir(), old.id(), newId);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String served = old.id();
        while (Instant.now().isBefore(deadline) && !served.equals(newId)) {
            Thread.sleep(200);
            served = as("parent.premium").get("/api/v1/students/" + child + "/grades").then().statusCode(200)
                    .extract().header("X-Baga-Snapshot");
        }
        assertThat(served).isEqualTo(newId);
        // a request holding the old snapshot can still finish on it: its files are untouched
        assertThat(old.schoolOf(child)).isEqualTo(Fixture.SCHOOL);
        as("auditor").get("/api/v1/snapshot").then().statusCode(200)
                .body("snapshotId", org.hamcrest.Matchers.equalTo(newId));
    }
}
