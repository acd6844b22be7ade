package kz.baga.service;

import static kz.baga.service.Fixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The service under concurrent pupil requests while its PostgreSQL is killed (SIGKILL to the postmaster and its
 * backends), then started again on the same folder: every request answered 200 has its audit record. Each
 * request carries its own marker in the query string, which the record's endpoint keeps.
 */
@QuarkusTest
@TestProfile(AuditCrashProfile.class)
class AuditCrashServiceTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyAnswerServedHasItsRecordAfterACrash() throws Exception {
        String url = "/api/v1/students/" + Fixture.premiumChild() + "/grades";
        as("parent.premium").get(url).then().statusCode(200); // signed in and warm
        Set<String> served = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            clients.add(pool.submit(() -> {
                while (!stop.get()) {
                    String marker = "crash-" + next.incrementAndGet();
                    int code = as("parent.premium").queryParam("marker", marker).get(url).statusCode();
                    if (code == 200) {
                        served.add(marker);
                    } else {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        try {
            while (served.size() < 160) {
                Thread.sleep(10);
            }
            TestDatabase.crashAndRestart();
            Thread.sleep(300); // requests in flight at the crash finish, with 503 or 200
        } finally {
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        for (var c : clients) {
            c.get(); // no client failed outright
        }
        Set<String> recorded = new HashSet<>();
        try (Connection c = TestDatabase.owner(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT substring(endpoint from 'marker=(crash-[0-9]+)') FROM audit_log "
                     + "WHERE endpoint LIKE '%marker=crash-%'")) {
            while (rs.next()) {
                recorded.add(rs.getString(1));
            }
        }
        Set<String> lost = new TreeSet<>(served);
        lost.removeAll(recorded);
        System.out.printf("audit crash (service): %d answers 200, %d refused, %d records after restart, %d served "
                + "answers without a record%n", served.size(), refused.get(), recorded.size(), lost.size());
        assertThat(refused.get()).as("requests refused while the database was down").isPositive();
        assertThat(lost).as("answers served without a durable record").isEmpty();
    }
}
