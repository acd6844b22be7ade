package kz.baga.service.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.vertx.ext.web.RoutingContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import kz.baga.service.audit.AuditLog;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * HTTP Basic credentials checked against bcrypt hashes in PostgreSQL. A successful check is remembered (keyed by
 * the username and a SHA-256 of the password, never the password) so bcrypt's deliberate slowness is paid once
 * per client, not on every request.
 *
 * <ul>
 * <li>Concurrent requests with the same credentials share one check, so a burst of connections runs bcrypt once,
 * not once per connection, also when the entry has expired.</li>
 * <li>A remembered check older than {@code baga.auth.recheck-after} (60 s) is not used as it is: the next
 * request re-reads the account's row (one for all concurrent requests) and keeps the entry if the account and
 * its bcrypt hash are unchanged (the password was verified against exactly that hash, so bcrypt need not run
 * again); otherwise the password is verified anew. No request is let in on a check older than that.</li>
 * <li>An account change made through the API ({@link Accounts.Changed}) drops that account's entries at once.</li>
 * </ul>
 * Failed checks are never kept: every wrong password pays bcrypt, is counted by {@link LoginThrottle} and
 * recorded in the audit log, as is every sign-in through the form. Metrics: {@code baga_auth_bcrypt_checks_total},
 * {@code baga_auth_rechecks_total} (re-reads that kept an entry without bcrypt).
 */
@ApplicationScoped
public class DbIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    public static final String ACCOUNT_ATTRIBUTE = "baga.account";
    /** Attribute of a sign-in that failed because the accounts could not be read (answered 503, not 401). */
    public static final String UNAVAILABLE = "baga.accounts-unavailable";
    private static final String NO_SUCH_ACCOUNT_HASH = BcryptUtil.bcryptHash(java.util.UUID.randomUUID().toString());
    /**
     * bcrypt checks running at once: half the cores, so that a flood of wrong passwords (each one a bcrypt check)
     * leaves the rest of the machine to the requests of signed-in users, which need none.
     */
    private final java.util.concurrent.Semaphore bcryptSlots = new java.util.concurrent.Semaphore(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);
    /** The form's sign-in path ({@code quarkus.http.auth.form.post-location}). */
    public static final String SIGN_IN_PATH = "/j_security_check";
    private static final Logger LOG = Logger.getLogger(DbIdentityProvider.class);

    @Inject
    Accounts accounts;

    @Inject
    LoginThrottle throttle;

    @Inject
    AuditLog audit;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "baga.auth.recheck-after", defaultValue = "60s")
    Duration recheckAfter;

    /** A verified login: the identity handed to requests, the hash the password was checked against, and when. */
    record Verified(SecurityIdentity identity, Account account, String passwordHash, long checkedAt) {
    }

    private final AsyncCache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(30))
            .buildAsync();
    private Counter bcryptChecks;
    private Counter rechecks;

    @PostConstruct
    void init() {
        bcryptChecks = registry.counter("baga.auth.bcrypt.checks");
        rechecks = registry.counter("baga.auth.rechecks");
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        String username = request.getUsername();
        String password = new String(request.getPassword().getPassword());
        String key = username + '\u0000' + sha256(password);
        CompletableFuture<Verified> known = verified.getIfPresent(key);
        Verified old = known != null && known.isDone() && !known.isCompletedExceptionally() ? known.join() : null;
        if (old != null) {
            if (System.nanoTime() - old.checkedAt() < recheckAfter.toNanos()) {
                return Uni.createFrom().item(old.identity());
            }
            // too old: the first request to notice starts the re-check, the others find and wait for it
            verified.asMap().remove(key, known);
        }
        RoutingContext rc = HttpSecurityUtils.getRoutingContextAttribute(request);
        String address = rc == null || rc.request().remoteAddress() == null ? null
                : rc.request().remoteAddress().hostAddress();
        String endpoint = rc == null ? null : rc.request().method().name() + " " + rc.request().path();
        CompletableFuture<Verified> check = verified.get(key, (k, executor) -> blocking(context,
                () -> old != null ? recheck(old, username, password) : signIn(username, password, address, endpoint)));
        return Uni.createFrom().completionStage(check).map(Verified::identity);
    }

    /** A password not verified before: throttled, checked with bcrypt, and the outcome counted and recorded. */
    private Verified signIn(String username, String password, String address, String endpoint) {
        long wait = throttle.waitMillis(username, address);
        if (wait > 0) {
            record(username, null, endpoint, address, false, "throttled: too many failed sign-ins");
            throw LoginThrottle.throttled((wait + 999) / 1000);
        }
        Verified v;
        try {
            v = verify(username, password);
        } catch (AuthenticationFailedException e) {
            throttle.failed(username, address);
            record(username, null, endpoint, address, false, "wrong username or password");
            throw e;
        }
        throttle.succeeded(username);
        if (endpoint != null && endpoint.endsWith(" " + SIGN_IN_PATH)) {
            record(username, v.account().role(), endpoint, address, true, "signed in with the form");
        }
        return v;
    }

    /** Sign-in records never block a sign-in: the pupil data a session reads is audited on its own. */
    private void record(String username, String role, String endpoint, String address, boolean ok, String detail) {
        try {
            audit.record(username, role == null ? "anonymous" : role, "auth.sign-in", endpoint, null, null, null, address, ok, detail);
        } catch (RuntimeException e) {
            LOG.warn("sign-in not recorded in the audit log: " + e.getMessage());
        }
    }

    /** Runs {@code work} on a worker thread; a failure completes the future exceptionally (Caffeine drops it). */
    private static CompletableFuture<Verified> blocking(AuthenticationRequestContext context, Supplier<Verified> work) {
        CompletableFuture<Verified> result = new CompletableFuture<>();
        context.runBlocking(() -> {
            Verified v = work.get();
            result.complete(v);
            return v.identity();
        }).subscribe().with(identity -> { }, result::completeExceptionally);
        return result;
    }

    private Verified verify(String username, String password) {
        Optional<Accounts.Credentials> found;
        try {
            found = accounts.find(username);
        } catch (IllegalStateException e) {
            throw new AuthenticationFailedException("accounts unavailable", Map.of(UNAVAILABLE, Boolean.TRUE));
        }
        // an unknown name costs the same bcrypt as a known one, so answer times do not tell names apart
        String hash = found.map(Accounts.Credentials::passwordHash).orElse(NO_SUCH_ACCOUNT_HASH);
        boolean matches;
        try {
            bcryptSlots.acquireUninterruptibly();
            bcryptChecks.increment();
            matches = BcryptUtil.matches(password, hash);
        } finally {
            bcryptSlots.release();
        }
        if (found.isEmpty() || !matches) {
            throw new AuthenticationFailedException("bad credentials");
        }
        Account a = found.get().account();
        return new Verified(identity(a), a, found.get().passwordHash(), System.nanoTime());
    }

    /** Same account, same hash → still valid without bcrypt; anything else → verify the password anew. */
    private Verified recheck(Verified old, String username, String password) {
        Optional<Accounts.Credentials> now = accounts.find(username);
        if (now.isPresent() && now.get().account().equals(old.account())
                && now.get().passwordHash().equals(old.passwordHash())) {
            rechecks.increment();
            return new Verified(old.identity(), old.account(), old.passwordHash(), System.nanoTime());
        }
        return verify(username, password);
    }

    /**
     * An account was changed through the API: its logins are verified again on their next request. Checks still
     * in flight are dropped too (they may have read the row before the change; their own requests still get them).
     */
    void onAccountChanged(@Observes Accounts.Changed change) {
        verified.asMap().values().removeIf(f -> !f.isDone()
                || !f.isCompletedExceptionally() && f.join().account().id() == change.userId());
    }

    private static SecurityIdentity identity(Account a) {
        return SessionIdentityProvider.identity(a);
    }

    /** One digest per thread: looking the algorithm up on every request would cost more than the hash itself. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static String sha256(String s) {
        return HexFormat.of().formatHex(SHA256.get().digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
