package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.platforms.spi.WebhookSubscription;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A seller's push notifications through eBay's Notification API ({@code /commerce/notification/v1},
 * developer.ebay.com/api-docs/commerce/notification):
 *
 * <ul>
 *   <li>a <b>destination</b> per store: the store's ingest endpoint ({@code <public-url>/webhooks/ebay/<store>}) with
 *       its verification token, {@code POST /destination {"name", "status": "ENABLED", "deliveryConfig": {"endpoint",
 *       "verificationToken"}}} (201, id in {@code Location}); found again by its endpoint in {@code GET /destination}
 *       (paged by {@code continuation_token}), and re-enabled or given the token again with {@code PUT
 *       /destination/{id}} when eBay marked it down or it differs. eBay validates a new or changed endpoint with the
 *       challenge the ingest answers from the store's secret ({@link EbayStoreSecret#challengeResponse}). Destinations
 *       are the application's: an application token (client-credentials grant) manages them;
 *   <li>a <b>subscription</b> per topic: {@code GET /topic/{topic_id}} says whether the topic is the seller's ({@code
 *       "scope": "USER"}: subscribed with the seller's user token, so the subscription is the seller's) or the
 *       application's ({@code APPLICATION}: the application token) and which payload schema versions it offers (the
 *       adapter reads {@value #SCHEMA_VERSION}); {@code POST /subscription {"topicId", "status": "ENABLED", "payload":
 *       {"format": "JSON", "schemaVersion", "deliveryProtocol": "HTTPS"}, "destinationId"}} (201, id in {@code
 *       Location}). eBay keeps one subscription per application, topic (and seller): an existing one of the topic is
 *       pointed at the destination ({@code PUT /subscription/{id}}) or re-enabled ({@code POST
 *       /subscription/{id}/enable}), never duplicated. {@code GET /subscription} lists them, {@code DELETE
 *       /subscription/{id}} removes one.
 * </ul>
 *
 * A subscription is reported active while it and its destination are {@code ENABLED} (eBay marks a destination down
 * when its endpoint keeps failing). {@code MARKETPLACE_ACCOUNT_DELETION} is not subscribed here: eBay sends it to the
 * endpoint configured per application in the developer portal (docs/install.md).
 */
final class EbayNotificationApi {
    static final String BASE = "/commerce/notification/v1";
    static final String SCHEMA_VERSION = "1.0";
    static final int PAGE = 100;

    /** The client's HTTP calls, as the seller (user token) or as the app (application token). */
    interface Calls {
        HttpResponse<byte[]> send(String method, String pathAndQuery, JsonNode body, boolean asApplication)
                throws PlatformApiException;

        ApiCredentials credentials();
    }

    private final Calls calls;

    EbayNotificationApi(Calls calls) {
        this.calls = calls;
    }

    /** The store's subscriptions, each with its destination's endpoint as address. */
    ApiResponse<List<WebhookSubscription>> subscriptions() throws PlatformApiException {
        Map<String, JsonNode> destinations = new HashMap<>();
        for (JsonNode destination : pages("/destination", "destinations", true, "eBay getDestinations")) {
            destinations.put(destination.path("destinationId").asText(), destination);
        }
        List<WebhookSubscription> subscriptions = new ArrayList<>();
        for (JsonNode subscription : pages("/subscription", "subscriptions", false, "eBay getSubscriptions")) {
            JsonNode destination =
                    destinations.get(subscription.path("destinationId").asText());
            if (destination == null) {
                continue; // another application's or a deleted destination: not ours to judge
            }
            URI endpoint = endpoint(destination);
            if (endpoint == null) {
                continue;
            }
            subscriptions.add(new WebhookSubscription(
                    subscription.path("subscriptionId").asText(),
                    subscription.path("topicId").asText(),
                    endpoint,
                    "ENABLED".equals(subscription.path("status").asText())
                            && "ENABLED".equals(destination.path("status").asText())));
        }
        return new ApiResponse<>(subscriptions, Optional.empty());
    }

    /** The destination for {@code address} (created or repaired) and the topic's one subscription to it. */
    ApiResponse<WebhookSubscription> subscribe(String topic, URI address, WebhookSecret secret)
            throws PlatformApiException {
        JsonNode details = topic(topic);
        boolean asApplication = "APPLICATION".equals(details.path("scope").asText());
        String destinationId = destination(address, verificationToken(secret, address));
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("format", "JSON");
        payload.put("schemaVersion", SCHEMA_VERSION);
        payload.put("deliveryProtocol", "HTTPS");
        for (JsonNode existing : pages("/subscription", "subscriptions", asApplication, "eBay getSubscriptions")) {
            if (!topic.equals(existing.path("topicId").asText())) {
                continue;
            }
            String id = existing.path("subscriptionId").asText();
            if (!destinationId.equals(existing.path("destinationId").asText())
                    || !SCHEMA_VERSION.equals(
                            existing.path("payload").path("schemaVersion").asText())) {
                ObjectNode update = Json.MAPPER.createObjectNode();
                update.put("status", "ENABLED");
                update.set("payload", payload);
                update.put("destinationId", destinationId);
                expect(
                        calls.send("PUT", BASE + "/subscription/" + segment(id), update, asApplication),
                        "eBay updateSubscription");
            } else if (!"ENABLED".equals(existing.path("status").asText())) {
                expect(
                        calls.send("POST", BASE + "/subscription/" + segment(id) + "/enable", null, asApplication),
                        "eBay enableSubscription");
            }
            return new ApiResponse<>(new WebhookSubscription(id, topic, address, true), Optional.empty());
        }
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("topicId", topic);
        request.put("status", "ENABLED");
        request.set("payload", payload);
        request.put("destinationId", destinationId);
        String id = createdId(
                calls.send("POST", BASE + "/subscription", request, asApplication), "eBay createSubscription");
        return new ApiResponse<>(new WebhookSubscription(id, topic, address, true), Optional.empty());
    }

    /** Deletes a subscription; one that is gone already is not an error. */
    ApiResponse<Void> unsubscribe(String subscriptionId) throws PlatformApiException {
        HttpResponse<byte[]> response =
                calls.send("DELETE", BASE + "/subscription/" + segment(subscriptionId), null, false);
        if (response.statusCode() != 404) {
            expect(response, "eBay deleteSubscription");
        }
        return new ApiResponse<>(null, Optional.empty());
    }

    /** The topic's details; a topic eBay does not offer, or not in the schema version the adapter reads, is refused. */
    private JsonNode topic(String topic) throws PlatformApiException {
        String description = "eBay getTopic " + topic;
        HttpResponse<byte[]> response = calls.send("GET", BASE + "/topic/" + segment(topic), null, true);
        if (response.statusCode() == 404) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT, 404, "eBay offers no notification topic " + topic);
        }
        JsonNode details = expect(response, description);
        for (JsonNode supported : details.path("supportedPayloads")) {
            if (SCHEMA_VERSION.equals(supported.path("schemaVersion").asText())
                    && !supported.path("deprecated").asBoolean(false)) {
                return details;
            }
        }
        throw new PlatformApiException(
                PlatformApiException.Kind.CLIENT,
                0,
                "eBay no longer offers schema version " + SCHEMA_VERSION + " of " + topic
                        + ", the one this adapter reads");
    }

    /** The id of the destination with {@code address}, created, re-enabled or given the token where needed. */
    private String destination(URI address, String verificationToken) throws PlatformApiException {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("endpoint", address.toString());
        config.put("verificationToken", verificationToken);
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("name", name(address));
        request.put("status", "ENABLED");
        request.set("deliveryConfig", config);
        for (JsonNode destination : pages("/destination", "destinations", true, "eBay getDestinations")) {
            if (!address.equals(endpoint(destination))) {
                continue;
            }
            String id = destination.path("destinationId").asText();
            if (!"ENABLED".equals(destination.path("status").asText())
                    || !verificationToken.equals(destination
                            .path("deliveryConfig")
                            .path("verificationToken")
                            .asText())) {
                expect(
                        calls.send("PUT", BASE + "/destination/" + segment(id), request, true),
                        "eBay updateDestination");
            }
            return id;
        }
        return createdId(calls.send("POST", BASE + "/destination", request, true), "eBay createDestination");
    }

    /** eBay's destination names are free text; the store's endpoint path's last segment says whose it is. */
    private static String name(URI address) {
        String path = address.getPath() == null ? "" : address.getPath().replaceAll("/+$", "");
        return "commerce-sync " + path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The endpoint's verification token: the store's secret's ({@code verification_token}, what the ingest answers
     * eBay's challenge with), else one derived from the app's client secret and the endpoint (an install's stores get
     * it in their secret, {@link EbayInstallFlow#webhookSecret}). 64 hex characters: eBay takes 32 to 80 of {@code
     * [A-Za-z0-9_-]}.
     */
    private String verificationToken(WebhookSecret secret, URI address) throws PlatformApiException {
        Optional<String> stored = EbayStoreSecret.parse(secret).flatMap(EbayStoreSecret::verificationToken);
        if (stored.isPresent()) {
            return stored.get();
        }
        if (calls.credentials() instanceof ApiCredentials.RefreshToken refresh) {
            return derivedVerificationToken(refresh.clientSecret(), address);
        }
        throw new PlatformApiException(
                PlatformApiException.Kind.CLIENT,
                0,
                "the store's eBay secret has no verification_token for its notification endpoint");
    }

    /** HMAC-SHA256 of the endpoint with the app's client secret, hex: stable across re-installs. */
    static String derivedVerificationToken(String clientSecret, URI address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of()
                    .formatHex(mac.doFinal(("ebay-notification-endpoint " + address).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private List<JsonNode> pages(String path, String field, boolean asApplication, String description)
            throws PlatformApiException {
        List<JsonNode> all = new ArrayList<>();
        String continuation = null;
        for (int page = 0; page < 100; page++) {
            String query =
                    "?limit=" + PAGE + (continuation == null ? "" : "&continuation_token=" + segment(continuation));
            HttpResponse<byte[]> response = calls.send("GET", BASE + path + query, null, asApplication);
            if (response.statusCode() == 404) {
                return all; // none yet
            }
            JsonNode json = expect(response, description);
            json.path(field).forEach(all::add);
            continuation = nextToken(json.path("next").asText(""));
            if (continuation == null || json.path(field).isEmpty()) {
                return all;
            }
        }
        throw new PlatformApiException(
                PlatformApiException.Kind.SERVER, 200, description + " kept answering more pages");
    }

    /** eBay's {@code next} is a URL with the {@code continuation_token} of the next page. */
    private static String nextToken(String next) {
        int at = next.indexOf("continuation_token=");
        if (next.isEmpty() || at < 0) {
            return null;
        }
        String token = next.substring(at + "continuation_token=".length());
        int end = token.indexOf('&');
        return java.net.URLDecoder.decode(end < 0 ? token : token.substring(0, end), StandardCharsets.UTF_8);
    }

    private static URI endpoint(JsonNode destination) {
        String endpoint = destination.path("deliveryConfig").path("endpoint").asText("");
        try {
            return endpoint.isEmpty() ? null : URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A 2xx answer's JSON (none for 204); any other status a PlatformApiException with eBay's message. */
    private static JsonNode expect(HttpResponse<byte[]> response, String description) throws PlatformApiException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body() == null || response.body().length == 0
                    ? Json.MAPPER.createObjectNode()
                    : ApiHttp.json(response, description);
        }
        throw new PlatformApiException(
                status >= 500 ? PlatformApiException.Kind.SERVER : PlatformApiException.Kind.CLIENT,
                status,
                description + " failed with HTTP " + status + errorMessage(response));
    }

    /** eBay's first error message ({@code {"errors": [{"errorId", "message"}]}}), which names no secret. */
    private static String errorMessage(HttpResponse<byte[]> response) {
        try {
            JsonNode error =
                    Json.MAPPER.readTree(response.body()).path("errors").path(0);
            return error.isMissingNode()
                    ? ""
                    : ": " + error.path("errorId").asText() + " "
                            + error.path("message").asText();
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    private static String createdId(HttpResponse<byte[]> response, String description) throws PlatformApiException {
        expect(response, description);
        String location = response.headers().firstValue("Location").orElse("");
        String id = location.replaceAll("/+$", "");
        id = id.substring(id.lastIndexOf('/') + 1);
        if (id.isEmpty()) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER,
                    response.statusCode(),
                    description + " answered without the new resource's Location");
        }
        return java.net.URLDecoder.decode(id, StandardCharsets.UTF_8);
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
