package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * HTTP Basic with the verified-credentials cache: bcrypt runs once for a burst of requests, a remembered check is
 * re-checked against the account's row after {@code baga.auth.recheck-after} (without bcrypt while the row is
 * unchanged), and a password changed behind the service's back stops working at the next re-check.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class AuthenticationTest {

    @Inject
    MeterRegistry registry;

    @Inject
    AgroalDataSource ds;

    private double bcrypts() {
        return registry.counter("baga.auth.bcrypt.checks").count();
    }

    private double rechecks() {
        return registry.counter("baga.auth.rechecks").count();
    }

    private static int me(String user, String password) {
        return as(user, password).get("/api/v1/me").statusCode();
    }

    private static void createParent(String username, String password) {
        Fixture.createAccount(username, password, "parent", null).statusCode(201);
    }

    @Test
    void aBurstOfRequestsPaysBcryptOnce() throws Exception {
        createParent("burst.parent", "s3cret");
        double before = bcrypts();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                answers.add(pool.submit(() -> me("burst.parent", "s3cret")));
            }
            for (Future<Integer> f : answers) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(bcrypts()).isEqualTo(before + 1);
        // a wrong password is never remembered: each attempt pays bcrypt and is refused
        assertThat(me("burst.parent", "wrong")).isEqualTo(401);
        assertThat(me("burst.parent", "wrong")).isEqualTo(401);
        assertThat(bcrypts()).isEqualTo(before + 3);
    }

    @Test
    void anUnchangedAccountIsRecheckedWithoutBcrypt() throws Exception {
        createParent("steady.parent", "s3cret");
        assertThat(me("steady.parent", "s3cret")).isEqualTo(200);
        double bcrypt = bcrypts();
        double recheck = rechecks();
        Thread.sleep(1_200);
        assertThat(me("steady.parent", "s3cret")).isEqualTo(200);
        assertThat(me("steady.parent", "s3cret")).isEqualTo(200);
        assertThat(rechecks()).isEqualTo(recheck + 1);
        assertThat(bcrypts()).isEqualTo(bcrypt);
    }

    @Test
    void aPasswordChangedBehindTheServiceStopsWorkingAtTheRecheck() throws Exception {
        createParent("moved.parent", "old-pass");
        assertThat(me("moved.parent", "old-pass")).isEqualTo(200);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ? WHERE username = ?")) {
            ps.setString(1, BcryptUtil.bcryptHash("new-pass"));
            ps.setString(2, "moved.parent");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        Thread.sleep(1_200);
        assertThat(me("moved.parent", "old-pass")).isEqualTo(401);
        assertThat(me("moved.parent", "new-pass")).isEqualTo(200);
    }
}
