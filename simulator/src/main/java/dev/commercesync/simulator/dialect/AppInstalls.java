package dev.commercesync.simulator.dialect;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One simulated store's app installs (the platform's OAuth install, where its dialect has one): the one-time codes
 * issued by the authorization endpoint, the scopes the store grants, and whether the app's token was revoked by an
 * uninstall. A store starts installed (its token valid), as stores registered through the admin API are.
 */
public final class AppInstalls {
    /** A code the authorization endpoint issued: for this client, with these scopes. */
    public record IssuedCode(String clientId, Set<String> scopes) {}

    private static final java.net.http.HttpClient CALLBACKS = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(10))
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .build();

    private final SecureRandom random = new SecureRandom();
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
    private volatile Set<String> grantedScopes = Set.of();
    private volatile Set<String> grantOnly;
    private volatile boolean revoked;
    private volatile java.net.URI callbackBase;

    // Refresh-token platforms (Login with Amazon, eBay): access tokens that expire, renewed with the refresh token.
    private final Map<String, java.time.Instant> accessTokens = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger refreshGrants =
            new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, java.net.URI> redirectNames = new ConcurrentHashMap<>();
    private volatile java.time.Duration accessTokenLifetime;
    private volatile String installedClientId;
    private volatile String lastAccessToken;

    /** Issues a one-time code for an approved authorization. */
    public String issue(String clientId, Set<String> requestedScopes) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String code = HexFormat.of().formatHex(bytes);
        Set<String> granted = new TreeSet<>(requestedScopes);
        Set<String> only = grantOnly;
        if (only != null) {
            granted.retainAll(only);
        }
        codes.put(code, new IssuedCode(clientId, Set.copyOf(granted)));
        return code;
    }

    /** What a code was issued for, without using it up. */
    public Optional<IssuedCode> peek(String code) {
        return Optional.ofNullable(code == null ? null : codes.get(code));
    }

    /** Uses up a code (each works once): the token is valid again, with the code's scopes. */
    public Optional<IssuedCode> redeem(String code) {
        IssuedCode issued = code == null ? null : codes.remove(code);
        if (issued != null) {
            grantedScopes = issued.scopes();
            revoked = false;
        }
        return Optional.ofNullable(issued);
    }

    /**
     * Uses up a code for the app {@code clientId} (each works once; a code for another client is used up too, as an
     * OAuth server does): the store is installed for that client.
     */
    public Optional<IssuedCode> redeemFor(String code, String clientId) {
        Optional<IssuedCode> issued = redeem(code).filter(c -> c.clientId().equals(clientId));
        issued.ifPresent(c -> installedBy(clientId));
        return issued;
    }

    /**
     * The store is installed for the app {@code clientId} (its OAuth client, where the code was issued to another of
     * the app's ids: Amazon's application id): its refresh token is that client's.
     */
    public void installedBy(String clientId) {
        installedClientId = clientId;
    }

    /**
     * Where the store reaches an app's callback URL (a POSTed key delivery): the URL itself, or, after {@link
     * #deliverCallbacksTo}, the same path and query at that address (a test's local service in place of its public
     * name).
     */
    public java.net.URI callbackAddress(java.net.URI callback) {
        java.net.URI base = callbackBase;
        if (base == null) {
            return callback;
        }
        return java.net.URI.create(base.toString().replaceAll("/+$", "")
                + callback.getRawPath()
                + (callback.getRawQuery() == null ? "" : "?" + callback.getRawQuery()));
    }

    /**
     * The store POSTs {@code body} to an app's callback URL (at {@link #callbackAddress}), server to server: the
     * answer's status, 0 when none came.
     */
    public int deliver(java.net.URI callback, String contentType, byte[] body) {
        try {
            return CALLBACKS
                    .send(
                            java.net.http.HttpRequest.newBuilder(callbackAddress(callback))
                                    .timeout(java.time.Duration.ofSeconds(60))
                                    .header("Content-Type", contentType)
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** From now on the store sends callbacks to this address instead of the callback URL's own host. */
    public void deliverCallbacksTo(java.net.URI base) {
        callbackBase = base;
    }

    /** The scopes the current token holds. */
    public Set<String> grantedScopes() {
        return grantedScopes;
    }

    /** From now on the merchant approves only these of the requested scopes (a test of missing scopes). */
    public void grantOnly(Set<String> scopes) {
        grantOnly = scopes == null ? null : Set.copyOf(scopes);
    }

    /** The merchant removed the app: its token stops working until the next install. */
    public void revoke() {
        revoked = true;
        accessTokens.clear();
    }

    /** The client the store was last installed for (an app's OAuth client id), if it was. */
    public Optional<String> installedClientId() {
        return Optional.ofNullable(installedClientId);
    }

    /**
     * Issues an access token with {@code prefix} that expires after {@link #accessTokenLifetime} ({@code
     * platformLifetime} unless a test shortened it).
     */
    public String issueAccessToken(String prefix, java.time.Duration platformLifetime, java.time.Instant now) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = prefix + HexFormat.of().formatHex(bytes);
        accessTokens.put(token, now.plus(accessTokenLifetime(platformLifetime)));
        lastAccessToken = token;
        return token;
    }

    /** The access token issued last (null before any). */
    public String lastAccessToken() {
        return lastAccessToken;
    }

    /** The life of the access tokens issued from now on: {@code platformLifetime} unless shortened. */
    public java.time.Duration accessTokenLifetime(java.time.Duration platformLifetime) {
        java.time.Duration set = accessTokenLifetime;
        return set == null ? platformLifetime : set;
    }

    /** From now on access tokens expire after {@code lifetime} (a test of their renewal). */
    public void expireAccessTokensAfter(java.time.Duration lifetime) {
        accessTokenLifetime = lifetime;
    }

    /** Whether {@code token} was issued here and has not expired at {@code now} (nor been revoked). */
    public boolean accessTokenValid(String token, java.time.Instant now) {
        java.time.Instant expires = token == null ? null : accessTokens.get(token);
        return expires != null && now.isBefore(expires);
    }

    /** Counts a successful refresh-token grant. */
    public void refreshed() {
        refreshGrants.incrementAndGet();
    }

    /** How many refresh-token grants succeeded. */
    public int refreshGrants() {
        return refreshGrants.get();
    }

    /** Registers an app's redirect name (eBay's RuName) and the URL it stands for (its accepted URL). */
    public void registerRedirectName(String name, java.net.URI acceptedUrl) {
        redirectNames.put(name, acceptedUrl);
    }

    /** The URL a registered redirect name stands for. */
    public Optional<java.net.URI> redirectFor(String name) {
        return Optional.ofNullable(name == null ? null : redirectNames.get(name));
    }

    public boolean revoked() {
        return revoked;
    }
}
