package kz.baga.service.security;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;
import kz.baga.service.error.ConflictException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Accounts, parent links and subscriptions in PostgreSQL (plain JDBC; writes are transactional).
 *
 * <p>What the access rules need to know about a parent on every request (linked children, subscription) is
 * cached per account ({@link #parent}), so a parent's request costs no database round trip beyond its audit
 * record. The cache is <em>invalidated</em> by every write here once its transaction has completed, so an
 * admin's change through the API applies to the very next request; {@code baga.access-cache.expire-after-write}
 * only bounds how long a change made around the service (SQL by hand, another instance) can go unseen.
 */
@ApplicationScoped
public class Accounts {

    @Inject
    AgroalDataSource ds;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    Event<Changed> changed;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "baga.access-cache.max-entries", defaultValue = "100000")
    long maxEntries;

    @ConfigProperty(name = "baga.access-cache.expire-after-write", defaultValue = "60s")
    Duration expireAfterWrite;

    public record Credentials(Account account, String passwordHash) {
    }

    /** Fired once a write about this account has completed (committed or not): cached views of it are stale. */
    public record Changed(long userId) {
    }

    /** A parent's linked children (in link order) and subscription end, as of the last read. */
    public record Parent(Set<String> children, LocalDate premiumUntil) {
        public boolean isLinked(String studentId) {
            return children.contains(studentId);
        }

        /** Evaluated per call, not cached: a subscription ends at midnight whatever the cache holds. */
        public boolean isPremium() {
            return premiumUntil != null && !premiumUntil.isBefore(LocalDate.now());
        }
    }

    private Cache<Long, Parent> parents;

    @PostConstruct
    void init() {
        if (maxEntries > 0 && !expireAfterWrite.isZero() && !expireAfterWrite.isNegative()) {
            parents = Caffeine.newBuilder()
                    .maximumSize(maxEntries)
                    .expireAfterWrite(expireAfterWrite)
                    .recordStats()
                    .build();
            CaffeineCacheMetrics.monitor(registry, parents, "baga.parent-access");
        }
    }

    /**
     * The parent's links and subscription, from the cache or (on a miss) from PostgreSQL. A load that was in
     * progress when a change invalidated the entry is discarded, not kept (Caffeine's invalidate waits for it).
     */
    public Parent parent(long userId) {
        return parents == null ? loadParent(userId) : parents.get(userId, this::loadParent);
    }

    private Parent loadParent(long userId) {
        Set<String> children = new LinkedHashSet<>(children(userId));
        return new Parent(Collections.unmodifiableSet(children), premiumUntil(userId).orElse(null));
    }

    /**
     * Drops what is cached about {@code userId} once the current transaction has completed (a reader that
     * reloaded before the commit would otherwise cache the old rows again), or at once outside a transaction.
     */
    private void changedAfterCompletion(long userId) {
        if (transactions.getTransactionKey() == null) {
            changed(userId);
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                changed(userId);
            }
        });
    }

    private void changed(long userId) {
        if (parents != null) {
            parents.invalidate(userId);
        }
        changed.fire(new Changed(userId));
    }

    public Optional<Credentials> find(String username) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, username, role, school_id, district_id, password_hash FROM users WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Credentials(new Account(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5)), rs.getString(6)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read accounts: " + e.getMessage(), e);
        }
    }

    public List<String> children(long userId) {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT student_id FROM parent_links WHERE user_id = ? ORDER BY created_at, student_id")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read parent links: " + e.getMessage(), e);
        }
        return out;
    }

    public Optional<LocalDate> premiumUntil(long userId) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT premium_until FROM subscriptions WHERE user_id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getDate(1).toLocalDate()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read subscriptions: " + e.getMessage(), e);
        }
    }

    public List<Account> list() {
        List<Account> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, username, role, school_id, district_id FROM users ORDER BY id")) {
            while (rs.next()) {
                out.add(new Account(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read accounts: " + e.getMessage(), e);
        }
        return out;
    }

    @Transactional
    public Account create(String username, String password, String role, String schoolId, String districtId) {
        if (find(username).isPresent()) {
            throw new ConflictException("an account named " + username + " already exists");
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO users (username, password_hash, role, school_id, district_id) VALUES (?,?,?,?,?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, username);
            ps.setString(2, BcryptUtil.bcryptHash(password));
            ps.setString(3, role);
            ps.setString(4, schoolId);
            ps.setString(5, districtId);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                long id = rs.getLong(1);
                changedAfterCompletion(id);
                return new Account(id, username, role, schoolId, districtId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create account: " + e.getMessage(), e);
        }
    }

    @Transactional
    public void link(long userId, String studentId) {
        updateLink("INSERT INTO parent_links (user_id, student_id) VALUES (?, ?) ON CONFLICT DO NOTHING", userId,
                studentId, "link");
    }

    /** Removes a parent's link to a pupil; false when there was none. */
    @Transactional
    public boolean unlink(long userId, String studentId) {
        return updateLink("DELETE FROM parent_links WHERE user_id = ? AND student_id = ?", userId, studentId,
                "unlink") > 0;
    }

    /** One statement on a parent's link, in the caller's transaction; the parent's cached access goes after it. */
    private int updateLink(String sql, long userId, String studentId, String what) {
        changedAfterCompletion(userId);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, userId);
            ps.setString(2, studentId);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @Transactional
    public void subscribe(long userId, LocalDate premiumUntil) {
        changedAfterCompletion(userId);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO subscriptions (user_id, premium_until) VALUES (?, ?) ON CONFLICT (user_id) "
                             + "DO UPDATE SET premium_until = EXCLUDED.premium_until, updated_at = now()")) {
            ps.setLong(1, userId);
            ps.setDate(2, Date.valueOf(premiumUntil));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot subscribe: " + e.getMessage(), e);
        }
    }
}
