package dev.commercesync.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Which credential a request path needs, and whether the request presented it. One rule for every service (docs/auth.md):
 *
 * <ul>
 *   <li>open: the health probes ({@code /q/health/*}), the webhooks ({@code /webhooks/*}, authenticated by the
 *       platform's signature) and the platforms' app install flows ({@code /install/*}, the merchant's browser and the
 *       platform's signed callback; served by the poller, docs/install.md);
 *   <li>the admin token ({@code commercesync.admin.token}): the store admin API ({@code /admin/*});
 *   <li>the internal token ({@code commercesync.internal.token}): everything else — status, platform view,
 *       reconciliation, metrics, OpenAPI, and any path that does not exist (401, not 404: nothing to enumerate).
 * </ul>
 *
 * Tokens are compared in constant time. A path whose token is not configured answers 503: never open.
 */
public final class AccessRule {
    /** What a request gets. */
    public enum Decision {
        ALLOW,
        /** No or a wrong bearer token: 401. */
        UNAUTHORIZED,
        /** The token this path needs is not configured: 503 (the endpoint is off, never open). */
        NOT_CONFIGURED
    }

    /** The credential a path needs. */
    public enum Guard {
        OPEN(null),
        ADMIN("commercesync.admin.token"),
        INTERNAL("commercesync.internal.token");

        private final String configKey;

        Guard(String configKey) {
            this.configKey = configKey;
        }

        /** The configuration key of its token (environment variable: upper case, dots as underscores). */
        public String configKey() {
            return configKey;
        }
    }

    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> adminToken;
    private final Optional<byte[]> internalToken;

    public AccessRule(Optional<String> adminToken, Optional<String> internalToken) {
        this.adminToken = bytes(adminToken);
        this.internalToken = bytes(internalToken);
    }

    private static Optional<byte[]> bytes(Optional<String> token) {
        return token.map(String::trim).filter(t -> !t.isEmpty()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /** @param path the request's normalized path (no {@code ..} segments, no duplicate slashes) */
    public static Guard guard(String path) {
        if (under(path, "/q/health") || under(path, "/webhooks") || under(path, "/install")) {
            return Guard.OPEN;
        }
        return under(path, "/admin") ? Guard.ADMIN : Guard.INTERNAL;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /**
     * @param path the request's normalized path
     * @param authorization the Authorization header, null when absent
     */
    public Decision decide(String path, String authorization) {
        Guard guard = guard(path);
        if (guard == Guard.OPEN) {
            return Decision.ALLOW;
        }
        Optional<byte[]> expected = guard == Guard.ADMIN ? adminToken : internalToken;
        if (expected.isEmpty()) {
            return Decision.NOT_CONFIGURED;
        }
        byte[] presented = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        return MessageDigest.isEqual(presented, expected.get()) ? Decision.ALLOW : Decision.UNAUTHORIZED;
    }
}
