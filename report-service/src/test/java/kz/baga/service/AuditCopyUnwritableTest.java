package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import kz.baga.service.audit.AuditSeal;
import kz.baga.service.audit.CheckpointCopy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A copy folder that cannot be written ({@link AuditCopyUnwritableProfile}: a plain file in its place): answers
 * are still served, one warning per failure episode, {@code /q/health} DOWN with the copy degraded while readiness
 * and liveness stay UP, verify says so; once a folder is put in its place the copy catches up with every line and
 * all is well again, and a second failure is a second episode with its own warning.
 */
@QuarkusTest
@TestProfile(AuditCopyUnwritableProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditCopyUnwritableTest {

    @Inject
    AuditSeal seal;

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger(CheckpointCopy.class.getName()).addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(CheckpointCopy.class.getName()).removeHandler(handler);
    }

    private long warnings() {
        return logged.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).count();
    }

    private CheckpointCopy copy() {
        return seal.copy().orElseThrow();
    }

    private static void answer() {
        as("parent.premium").get("/api/v1/students/" + Fixture.premiumChild() + "/grades").then().statusCode(200);
    }

    @Test
    @Order(1)
    void answersAreServedWhileTheCopyFailsAndItShows() throws Exception {
        // the episode began at start, when the copy was first tried (its warning then)
        Poll.until("the first failure", Duration.ofSeconds(20), () -> copy().status().episodes() == 1);
        long warned = warnings();
        long failedBefore = copy().status().failedWrites();
        for (int i = 0; i < 5; i++) {
            answer();
        }
        Poll.until("the copy was tried for the new lines", Duration.ofSeconds(20),
                () -> copy().status().failedWrites() > failedBefore + 1);
        CheckpointCopy.Status s = copy().status();
        assertThat(s.degraded()).isTrue();
        assertThat(s.episodes()).isEqualTo(1);
        assertThat(warnings()).as("failures within one episode warn once").isEqualTo(warned);

        RestAssured.get("/q/health").then().statusCode(503)
                .body("checks.find { it.name == 'audit-checkpoint-copy' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'audit-checkpoint-copy' }.data.state", equalTo("degraded"));
        RestAssured.get("/q/health/ready").then().statusCode(200);
        RestAssured.get("/q/health/live").then().statusCode(200);

        Thread.sleep(1100); // the lines are older than the lag verify allows
        as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(false))
                .body("copy.state", equalTo("degraded"))
                .body("copy.error", containsString("not a folder"))
                .body("reason", containsString("checkpoint copy"));
    }

    @Test
    @Order(2)
    void onceWritableTheCopyCatchesUpAndASecondFailureWarnsAgain() throws Exception {
        Path dir = copy().file().getParent();
        Files.delete(dir);
        Files.createDirectory(dir);
        answer();
        Poll.until("the copy holds every local line", Duration.ofSeconds(30), () -> {
            try {
                return Files.exists(copy().file()) && Files.readAllLines(copy().file())
                        .equals(Files.readAllLines(seal.checkpoints().file()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the writer clears its failure just after the lines are written
        Poll.until("the failure over", Duration.ofSeconds(30), () -> !copy().status().degraded());
        assertThat(logged).anyMatch(r -> r.getLevel().intValue() == Level.INFO.intValue()
                && r.getMessage().contains("again"));
        RestAssured.get("/q/health").then().statusCode(200)
                .body("checks.find { it.name == 'audit-checkpoint-copy' }.data.state", equalTo("ok"));
        Thread.sleep(1100);
        as("auditor").get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true))
                .body("copy.state", equalTo("ok"));

        // the folder goes away again: a new episode, one more warning however many lines fail
        long warned = warnings();
        Files.delete(copy().file());
        Files.delete(dir);
        Files.writeString(dir, "");
        for (int i = 0; i < 4; i++) {
            answer();
        }
        Poll.until("the second failure", Duration.ofSeconds(20), () -> copy().status().episodes() == 2);
        Thread.sleep(500);
        assertThat(warnings()).isEqualTo(warned + 1);
    }
}
