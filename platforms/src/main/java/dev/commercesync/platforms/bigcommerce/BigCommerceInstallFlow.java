package dev.commercesync.platforms.bigcommerce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.TokenRequests;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * BigCommerce's single-click app (https://developer.bigcommerce.com/docs/integrations/apps/guide/auth and
 * .../guide/callbacks):
 *
 * <ol>
 *   <li>the merchant installs the app at BigCommerce (marketplace, control panel, or the install button {@code
 *       https://login.bigcommerce.com/app/<client_id>/install}); BigCommerce sends the browser to the app's auth
 *       callback with {@code code, scope, context=stores/<hash>, account_uuid}: no signature and no state of the app's,
 *       so the one-time code, which only the app's secret exchanges, is what binds it;
 *   <li>{@code POST https://login.bigcommerce.com/oauth2/token} with {@code client_id, client_secret, code, scope,
 *       grant_type=authorization_code, redirect_uri, context} answers {@code {"access_token", "scope", "context"}}
 *       (scopes space-separated; the token does not expire);
 *   <li>later, BigCommerce calls the load and uninstall callbacks with {@code signed_payload_jwt}: an HS256 JWT signed
 *       with the app's client secret, {@code aud} the client id, {@code iss "bc"}, {@code sub "stores/<hash>"}, {@code
 *       iat, nbf, exp}.
 * </ol>
 *
 * A {@code <x>} scope (modify) implies {@code <x>_read_only}. The store's webhooks are signed with the app's client
 * secret (see {@link StandardWebhooksVerifier}). A stand-in for BigCommerce (a simulated store) serves its own login
 * endpoints under the store's base URL instead of {@code login.bigcommerce.com}.
 */
final class BigCommerceInstallFlow implements InstallFlow {
    static final String LOGIN = "https://login.bigcommerce.com";
    static final String CONTEXT_PREFIX = "stores/";
    static final String JWT_PARAMETER = "signed_payload_jwt";
    static final String READ_ONLY = "_read_only";

    /**
     * What the adapter's client and writer use: v2 orders with their shipments and v3 refunds (modify: shipments),
     * catalog products (modify: prices), customers (read) and the Inventory API (modify: stock levels).
     */
    static final Set<String> SCOPES =
            Set.of("store_v2_orders", "store_v2_products", "store_v2_customers_read_only", "store_inventory");

    /** How far clocks may disagree on a JWT's {@code nbf}, {@code iat} and {@code exp}. */
    static final Duration LEEWAY = Duration.ofMinutes(1);

    private final BigCommerceAdapter adapter;

    BigCommerceInstallFlow(BigCommerceAdapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public Set<String> defaultScopes() {
        return new TreeSet<>(SCOPES);
    }

    @Override
    public URI storeBaseUrl(String storeId) {
        if (!adapter.isValidStoreId(storeId)) {
            throw new IllegalArgumentException("not a store hash");
        }
        return URI.create("https://" + BigCommerceAdapter.API_HOST + "/stores/" + storeId);
    }

    /** BigCommerce's own login server, or the stand-in's at its base URL. */
    private static String login(URI storeBaseUrl) {
        return BigCommerceAdapter.API_HOST.equalsIgnoreCase(storeBaseUrl.getHost())
                ? LOGIN
                : storeBaseUrl.toString().replaceAll("/+$", "");
    }

    /**
     * The install button's URL. BigCommerce sends the callback to the auth callback URL registered with the app (it
     * must be {@code redirectUri}) and ignores the state: the callback carries none.
     */
    @Override
    public URI authorizationUrl(URI storeBaseUrl, App app, Set<String> scopes, URI redirectUri, String state) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("redirect_uri", redirectUri.toString());
        query.put("scope", String.join(" ", new TreeSet<>(scopes)));
        return URI.create(login(storeBaseUrl) + "/app/" + app.clientId() + "/install?" + TokenRequests.form(query));
    }

    @Override
    public boolean callbackCarriesState() {
        return false;
    }

    @Override
    public Callback verifyCallback(Map<String, String> query, App app, Clock clock, Duration maxAge)
            throws RejectedCallbackException {
        String code = query.getOrDefault("code", "");
        String scope = query.getOrDefault("scope", "");
        String context = query.getOrDefault("context", "");
        if (code.isBlank() || scope.isBlank()) {
            throw new RejectedCallbackException("the callback has no code or no scope");
        }
        return new Callback(storeHash(context), code, null, Map.of("scope", scope, "context", context));
    }

    /** The store hash of {@code stores/<hash>}. */
    private String storeHash(String context) throws RejectedCallbackException {
        String hash = context.startsWith(CONTEXT_PREFIX) ? context.substring(CONTEXT_PREFIX.length()) : "";
        if (!adapter.isValidStoreId(hash)) {
            throw new RejectedCallbackException("the context is not stores/<store hash>");
        }
        return hash;
    }

    @Override
    public Grant exchangeCode(URI storeBaseUrl, App app, Callback callback, URI redirectUri, Duration timeout)
            throws PlatformApiException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("client_id", app.clientId());
        body.put("client_secret", app.clientSecret());
        body.put("code", callback.code());
        body.put("scope", callback.echo().getOrDefault("scope", ""));
        body.put("grant_type", "authorization_code");
        body.put("redirect_uri", redirectUri.toString());
        body.put("context", CONTEXT_PREFIX + callback.storeId());
        String description = "BigCommerce access token request";
        JsonNode json =
                TokenRequests.postForm(URI.create(login(storeBaseUrl) + "/oauth2/token"), body, timeout, description);
        String token = json.path("access_token").asText("");
        if (token.isBlank()) {
            throw new PlatformApiException(PlatformApiException.Kind.SERVER, 200, description + " returned no token");
        }
        if (!json.path("context").asText("").equals(CONTEXT_PREFIX + callback.storeId())) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, 200, description + " answered for another store");
        }
        return new Grant(
                new ApiCredentials.AccessToken(token), scopes(json.path("scope").asText("")));
    }

    /** BigCommerce has no endpoint listing an app's granted scopes: they are checked on the token's answer. */
    @Override
    public Optional<Set<String>> grantedScopes(ApiConnection connection) {
        return Optional.empty();
    }

    @Override
    public Set<String> missingScopes(Set<String> granted, Set<String> requested) {
        Set<String> missing = new TreeSet<>();
        for (String scope : requested) {
            boolean covered = granted.contains(scope)
                    || (scope.endsWith(READ_ONLY)
                            && granted.contains(scope.substring(0, scope.length() - READ_ONLY.length())));
            if (!covered) {
                missing.add(scope);
            }
        }
        return missing;
    }

    @Override
    public Notice verifyNotice(String kind, Map<String, String> query, App app, Clock clock)
            throws RejectedCallbackException {
        NoticeKind notice =
                switch (kind) {
                    case "load" -> NoticeKind.LOAD;
                    case "uninstall" -> NoticeKind.UNINSTALL;
                    default -> throw new RejectedCallbackException("BigCommerce sends no " + kind + " callback");
                };
        JsonNode claims = verifyJwt(query.getOrDefault(JWT_PARAMETER, ""), app, clock);
        return new Notice(notice, storeHash(claims.path("sub").asText("")));
    }

    /**
     * The claims of an HS256 JWT signed with the app's client secret (compared in constant time), for this app ({@code
     * aud}), by BigCommerce ({@code iss}), within {@code nbf..exp}. Any other algorithm is refused.
     */
    static JsonNode verifyJwt(String jwt, App app, Clock clock) throws RejectedCallbackException {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw new RejectedCallbackException("no signed_payload_jwt (header.payload.signature)");
        }
        JsonNode header = part(parts[0], "header");
        if (!"HS256".equals(header.path("alg").asText())) {
            throw new RejectedCallbackException("the JWT is not signed with HS256");
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new RejectedCallbackException("the JWT's signature is not base64url");
        }
        byte[] expected = HmacSignatures.hmacSha256(
                WebhookSecret.of(app.clientSecret()), (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!MessageDigest.isEqual(presented, expected)) {
            throw new RejectedCallbackException("the JWT's signature does not match the app's secret");
        }
        JsonNode claims = part(parts[1], "payload");
        JsonNode aud = claims.path("aud");
        boolean forApp = aud.isArray()
                ? java.util.stream.StreamSupport.stream(aud.spliterator(), false)
                        .anyMatch(a -> app.clientId().equals(a.asText()))
                : app.clientId().equals(aud.asText());
        if (!forApp) {
            throw new RejectedCallbackException("the JWT is for another app (aud)");
        }
        if (!"bc".equals(claims.path("iss").asText())) {
            throw new RejectedCallbackException("the JWT was not issued by BigCommerce (iss)");
        }
        Instant now = clock.instant();
        if (!claims.path("exp").canConvertToLong()
                || Instant.ofEpochSecond(claims.path("exp").asLong())
                        .plus(LEEWAY)
                        .isBefore(now)) {
            throw new RejectedCallbackException("the JWT has expired (exp)");
        }
        if (claims.has("nbf")
                && Instant.ofEpochSecond(claims.path("nbf").asLong())
                        .minus(LEEWAY)
                        .isAfter(now)) {
            throw new RejectedCallbackException("the JWT is not valid yet (nbf)");
        }
        return claims;
    }

    private static JsonNode part(String base64, String name) throws RejectedCallbackException {
        try {
            return Json.parseObject(Base64.getUrlDecoder().decode(base64));
        } catch (IllegalArgumentException | MappingException e) {
            throw new RejectedCallbackException("the JWT's " + name + " is not base64url JSON");
        }
    }

    static Set<String> scopes(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.split("[\\s,]+"))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
