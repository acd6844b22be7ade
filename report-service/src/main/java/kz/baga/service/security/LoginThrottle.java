package kz.baga.service.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.security.AuthenticationFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Slows down password guessing, per account and per client address, for the sign-in form and HTTP Basic alike.
 * After {@code free} wrong passwords an account (or address) must wait before its next try, twice as long after
 * each further failure, up to {@code baga.auth.throttle.max-delay}; a try made while waiting is refused without
 * checking the password, so it tells a guesser nothing. An address gets more free tries than an account, because
 * a school's pupils and parents may share one address.
 */
@ApplicationScoped
public class LoginThrottle {

    @ConfigProperty(name = "baga.auth.throttle.account-free-failures", defaultValue = "5")
    int accountFree;

    @ConfigProperty(name = "baga.auth.throttle.address-free-failures", defaultValue = "20")
    int addressFree;

    @ConfigProperty(name = "baga.auth.throttle.first-delay", defaultValue = "1s")
    Duration firstDelay;

    @ConfigProperty(name = "baga.auth.throttle.max-delay", defaultValue = "5m")
    Duration maxDelay;

    /** Failures are forgotten an hour after the last one. */
    private final Cache<String, Failures> failures = Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterWrite(1, TimeUnit.HOURS)
            .build();

    private record Failures(int count, long lastNanos) {
    }

    /** The attribute of a refused sign-in's exception: seconds until the next try may be made. */
    public static final String RETRY_AFTER = "baga.retry-after";

    /** The failure of a try made while its account or address must wait; the password was not checked. */
    public static AuthenticationFailedException throttled(long retryAfterSeconds) {
        return new AuthenticationFailedException("too many failed sign-ins; try again in " + retryAfterSeconds + " s",
                Map.of(RETRY_AFTER, retryAfterSeconds));
    }

    /** Seconds to wait if {@code failure} is a throttled sign-in, else null. */
    public static Long retryAfter(Throwable failure) {
        return failure instanceof AuthenticationFailedException a && a.getAttribute(RETRY_AFTER) instanceof Long l
                ? l : null;
    }

    /** Milliseconds until {@code username} from {@code address} may try again; 0 = now. */
    public long waitMillis(String username, String address) {
        return Math.max(waitMillis("u:" + username, accountFree), address == null ? 0 : waitMillis("a:" + address,
                addressFree));
    }

    /** Milliseconds until the address may try again (the sign-in page says so after a refused try). */
    public long addressWaitMillis(String address) {
        return address == null ? 0 : waitMillis("a:" + address, addressFree);
    }

    public void failed(String username, String address) {
        long now = System.nanoTime();
        failures.asMap().merge("u:" + username, new Failures(1, now), (a, b) -> new Failures(a.count + 1, now));
        if (address != null) {
            failures.asMap().merge("a:" + address, new Failures(1, now), (a, b) -> new Failures(a.count + 1, now));
        }
    }

    /** A correct password clears the account's failures (not the address's: others may be guessing from it). */
    public void succeeded(String username) {
        failures.invalidate("u:" + username);
    }

    private long waitMillis(String key, int free) {
        Failures f = failures.getIfPresent(key);
        if (f == null || f.count < free) {
            return 0;
        }
        int doublings = Math.min(30, f.count - free);
        long delay = Math.min(maxDelay.toMillis(), firstDelay.toMillis() << doublings);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - f.lastNanos);
        return Math.max(0, delay - waited);
    }
}
