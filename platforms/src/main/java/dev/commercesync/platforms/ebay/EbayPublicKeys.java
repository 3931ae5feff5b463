package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.QuotaStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The public keys eBay signs notifications with, fetched by key id from the Notification API ({@code GET
 * /commerce/notification/v1/public_key/{public_key_id}}, answer {@code {"algorithm": "ECDSA", "digest": "SHA1",
 * "key": "-----BEGIN PUBLIC KEY-----..."}}) and cached, as eBay asks ("cached for a temporary — but reasonable — amount
 * of time (e.g., one-hour is recommended)", getPublicKey's page): at most {@link #MAX_ENTRIES} keys, each for {@link
 * #TTL}, the least recently used dropped first. A key id eBay does not know is remembered for {@link #NEGATIVE_TTL}, so
 * deliveries with made-up key ids cost at most one look-up a minute each (and the cache stays bounded).
 *
 * <p>Key ids are checked against {@link #KEY_ID} before any request: a key id is eBay's (a UUID), never a path.
 */
final class EbayPublicKeys {
    static final Duration TTL = Duration.ofHours(1);
    static final Duration NEGATIVE_TTL = Duration.ofMinutes(1);
    static final int MAX_ENTRIES = 256;
    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    /** The key-fetching requests' limits: the ingest answers well inside the platform's timeout. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private static final long MAX_KEY_RESPONSE_BYTES = 64 * 1024;

    /** What eBay says about a key id: the key with its signature algorithm, or that there is none. */
    record Entry(Optional<PublicKey> key, String algorithm, Instant expires) {}

    private final Clock clock;
    private final Map<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    EbayPublicKeys(Clock clock) {
        this.clock = clock;
    }

    /**
     * The key of {@code keyId} from the Notification API at {@code notificationApi}, from the cache while fresh.
     *
     * @return empty when eBay does not know the key id (HTTP 404) or answers a key that is not an EC public key
     * @throws PlatformApiException when the key could not be fetched (eBay unavailable, token refused, ...)
     */
    Optional<Entry> key(URI notificationApi, String appToken, String keyId) throws PlatformApiException {
        if (!KEY_ID.matcher(keyId).matches()) {
            return Optional.empty();
        }
        String cacheKey = notificationApi + " " + keyId;
        Instant now = clock.instant();
        synchronized (cache) {
            Entry cached = cache.get(cacheKey);
            if (cached != null && cached.expires().isAfter(now)) {
                return cached.key().isPresent() ? Optional.of(cached) : Optional.empty();
            }
        }
        Entry fetched = fetch(notificationApi, appToken, keyId, now);
        synchronized (cache) {
            cache.put(cacheKey, fetched);
        }
        return fetched.key().isPresent() ? Optional.of(fetched) : Optional.empty();
    }

    /** How many key ids are cached (for tests). */
    int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private Entry fetch(URI notificationApi, String appToken, String keyId, Instant now) throws PlatformApiException {
        ApiHttp http = new ApiHttp(
                new ApiConnection(
                        notificationApi,
                        new ApiCredentials.AccessToken(appToken),
                        REQUEST_TIMEOUT,
                        MAX_KEY_RESPONSE_BYTES),
                EbayAdapter.RATE_LIMIT_PROFILE,
                response -> Optional.<QuotaStatus>empty(),
                clock);
        URI uri = http.resolve(
                "/commerce/notification/v1/public_key/" + URLEncoder.encode(keyId, StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = http.send(
                http.request(uri)
                        .header("Authorization", "Bearer " + appToken)
                        .GET()
                        .build(),
                "eBay getPublicKey");
        if (response.statusCode() == 404) {
            return new Entry(Optional.empty(), "", now.plus(NEGATIVE_TTL));
        }
        JsonNode json = ApiHttp.json(response, "eBay getPublicKey");
        String algorithm = signatureAlgorithm(
                json.path("digest").asText(""), json.path("algorithm").asText(""));
        return new Entry(parse(json.path("key").asText("")), algorithm, now.plus(TTL));
    }

    /**
     * The JCA name of eBay's {@code digest} and {@code algorithm} ({@code SHA1} and {@code ECDSA}: {@code
     * SHA1withECDSA}, as eBay's own SDKs build it); an empty name when they are not ECDSA with a SHA digest.
     */
    static String signatureAlgorithm(String digest, String algorithm) {
        String d = digest.toUpperCase(Locale.ROOT).replace("-", "");
        if (!algorithm.equalsIgnoreCase("ECDSA") || !d.matches("SHA(1|256|384|512)")) {
            return "";
        }
        return d + "withECDSA";
    }

    /** An EC public key from eBay's PEM text (which comes on one line: {@code -----BEGIN PUBLIC KEY-----MFkw...}). */
    static Optional<PublicKey> parse(String pem) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        if (base64.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return Optional.of(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
