package dev.commercesync.poller.install;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The install flow's state nonces in PostgreSQL ({@code poller.install_state}): 256 random bits each, bound to the
 * platform and store the install was started for, valid until they expire and usable once. Only their SHA-256 is
 * stored.
 */
@ApplicationScoped
public class InstallStates {
    private final AgroalDataSource dataSource;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    public InstallStates(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What a nonce was issued for: the store and the region named at the start, if any. */
    public record Pending(String storeId, Optional<String> region) {}

    /** A new nonce for an install of {@code storeId}, valid for {@code ttl}; expired ones are removed meanwhile. */
    public String create(String platform, String storeId, Duration ttl) {
        return create(platform, storeId, ttl, Optional.empty());
    }

    /** As {@link #create(String, String, Duration)}, remembering the region the merchant named. */
    public String create(String platform, String storeId, Duration ttl, Optional<String> region) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement purge =
                    c.prepareStatement("DELETE FROM poller.install_state WHERE expires_at < ?")) {
                purge.setTimestamp(1, Timestamp.from(now));
                purge.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO poller.install_state"
                    + " (state_hash, platform, store_id, created_at, expires_at, region) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, hash(nonce));
                insert.setString(2, platform);
                insert.setString(3, storeId);
                insert.setTimestamp(4, Timestamp.from(now));
                insert.setTimestamp(5, Timestamp.from(now.plus(ttl)));
                insert.setString(6, region.orElse(null));
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing an install state failed", e);
        }
        return nonce;
    }

    /**
     * Uses up the nonce: true when it was issued for this platform and store and has not expired. It is deleted in
     * the same statement (a second use, even concurrent, finds nothing), also when the store does not match.
     */
    public Optional<Pending> consume(String platform, String storeId, String nonce) {
        return take(platform, nonce).filter(pending -> storeId.equals(pending.storeId()));
    }

    /**
     * Uses up the nonce of a callback that does not name the store (WooCommerce's key delivery): the store it was
     * issued for, when it was issued for this platform and has not expired; deleted in the same statement either way.
     */
    public Optional<Pending> take(String platform, String nonce) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM poller.install_state WHERE state_hash = ?"
                        + " RETURNING platform, store_id, expires_at, region")) {
            s.setString(1, hash(nonce));
            try (ResultSet r = s.executeQuery()) {
                return r.next()
                                && r.getString(1).equals(platform)
                                && r.getTimestamp(3).toInstant().isAfter(clock.instant())
                        ? Optional.of(new Pending(r.getString(2), Optional.ofNullable(r.getString(4))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading an install state failed", e);
        }
    }

    /** How many install states are pending (tests: nothing stored for a refused start). */
    public Optional<Long> pending(String platform, String storeId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM poller.install_state WHERE platform = ? AND store_id = ?")) {
            s.setString(1, platform);
            s.setString(2, storeId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading install states failed", e);
        }
    }

    private static String hash(String nonce) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
