package kz.baga.service.security;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.agroal.api.AgroalDataSource;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import kz.baga.service.api.ProblemException;

/** Accounts, parent links and subscriptions in PostgreSQL (plain JDBC; writes are transactional). */
@ApplicationScoped
public class Accounts {

    @Inject
    AgroalDataSource ds;

    public record Credentials(Account account, String passwordHash) {
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

    public boolean isLinked(long userId, String studentId) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT 1 FROM parent_links WHERE user_id = ? AND student_id = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, studentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read parent links: " + e.getMessage(), e);
        }
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

    public boolean isPremium(long userId) {
        return premiumUntil(userId).map(d -> !d.isBefore(LocalDate.now())).orElse(false);
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
            throw ProblemException.conflict("an account named " + username + " already exists");
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
                return new Account(rs.getLong(1), username, role, schoolId, districtId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create account: " + e.getMessage(), e);
        }
    }

    @Transactional
    public void link(long userId, String studentId) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO parent_links (user_id, student_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, userId);
            ps.setString(2, studentId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot link: " + e.getMessage(), e);
        }
    }

    @Transactional
    public void subscribe(long userId, LocalDate premiumUntil) {
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
