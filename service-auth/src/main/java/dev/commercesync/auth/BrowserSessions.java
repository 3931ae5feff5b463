package dev.commercesync.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Browser sessions of an operator's pages (the console, docs/console.md): the operator logs in once with the admin
 * token and gets a cookie that is not the token: {@code <expiry epoch seconds>.<HMAC-SHA256 of the expiry>}, keyed by
 * a key derived from the admin token. Stateless: every replica holding the same admin token accepts it; changing the
 * admin token ends every session; a session ends at its expiry.
 */
public final class BrowserSessions {
    /** The session cookie's name. */
    public static final String COOKIE = "commercesync_session";

    private static final String HMAC = "HmacSHA256";

    private final Optional<byte[]> adminToken;
    private final Optional<SecretKeySpec> key;
    private final Duration ttl;
    private final Clock clock;

    public BrowserSessions(Optional<String> adminToken, Duration ttl, Clock clock) {
        this.adminToken =
                adminToken.map(String::trim).filter(t -> !t.isEmpty()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        // Sessions are signed with HMAC(admin token, purpose), never with the token itself.
        this.key =
                this.adminToken.map(t -> new SecretKeySpec(mac(new SecretKeySpec(t, HMAC), "browser-session"), HMAC));
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Whether an admin token is configured (without one, nobody can log in). */
    public boolean configured() {
        return key.isPresent();
    }

    /** A new session's cookie value when {@code presentedToken} is the admin token (constant-time), else empty. */
    public Optional<String> login(String presentedToken) {
        if (adminToken.isEmpty() || presentedToken == null) {
            return Optional.empty();
        }
        byte[] presented = presentedToken.trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, adminToken.get())) {
            return Optional.empty();
        }
        String expiry = Long.toString(clock.instant().plus(ttl).getEpochSecond());
        return Optional.of(expiry + "." + signature(expiry));
    }

    /** How long a session lasts (the cookie's Max-Age). */
    public Duration ttl() {
        return ttl;
    }

    /** Whether a cookie value is a session this service issued that has not expired. */
    public boolean valid(String cookieValue) {
        if (key.isEmpty() || cookieValue == null) {
            return false;
        }
        int dot = cookieValue.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String expiry = cookieValue.substring(0, dot);
        byte[] presented = cookieValue.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(presented, signature(expiry).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        try {
            return clock.instant().getEpochSecond() < Long.parseLong(expiry);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String signature(String expiry) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key.orElseThrow(), expiry));
    }

    private static byte[] mac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
