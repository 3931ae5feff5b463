package dev.commercesync.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrowserSessionsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
    private final BrowserSessions sessions = at(NOW, "admin-secret");

    private static BrowserSessions at(Instant now, String adminToken) {
        return new BrowserSessions(
                Optional.ofNullable(adminToken), Duration.ofHours(8), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void theAdminTokenOpensASessionWhoseCookieIsNotTheToken() {
        String cookie = sessions.login("admin-secret").orElseThrow();
        assertFalse(cookie.contains("admin-secret"), cookie);
        assertTrue(cookie.startsWith(NOW.plus(Duration.ofHours(8)).getEpochSecond() + "."), cookie);
        assertTrue(sessions.valid(cookie));
        assertTrue(at(NOW.plusSeconds(60), "admin-secret").valid(cookie), "another replica, a minute later");
    }

    @Test
    void anyOtherTokenOpensNothing() {
        assertEquals(Optional.empty(), sessions.login("admin-secre"));
        assertEquals(Optional.empty(), sessions.login(""));
        assertEquals(Optional.empty(), sessions.login(null));
        BrowserSessions unconfigured = at(NOW, "  ");
        assertFalse(unconfigured.configured());
        assertEquals(Optional.empty(), unconfigured.login("  "));
    }

    @Test
    void forgedExpiredOrForeignCookiesAreRefused() {
        String cookie = sessions.login("admin-secret").orElseThrow();
        String signature = cookie.substring(cookie.indexOf('.') + 1);
        long later = NOW.plus(Duration.ofDays(365)).getEpochSecond();
        assertFalse(sessions.valid(later + "." + signature), "a prolonged expiry breaks the signature");
        assertFalse(sessions.valid(cookie + "x"));
        assertFalse(sessions.valid("admin-secret"));
        assertFalse(sessions.valid(""));
        assertFalse(sessions.valid(null));
        assertFalse(at(NOW.plus(Duration.ofHours(8)), "admin-secret").valid(cookie), "expired");
        assertFalse(at(NOW, "rotated-admin-secret").valid(cookie), "a new admin token ends every session");
        assertFalse(at(NOW, null).valid(cookie), "no admin token: no session");
    }
}
