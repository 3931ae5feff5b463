package dev.commercesync.platforms.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductVariant;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything commerce-sync knows about one commerce platform. Implementations are stateless and thread-safe, have a
 * public no-argument constructor and are registered with {@link java.util.ServiceLoader}.
 */
public interface PlatformAdapter {

    /** What {@link #isValidStoreId} accepts unless a platform says more: 1 to 255 plain characters. */
    Pattern PLAIN_STORE_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,255}");

    /** Lower-case platform name, unique among adapters: {@code shopify}, {@code woocommerce}, ... */
    String name();

    /**
     * Checks a webhook's signature exactly as the platform documents it, against each candidate secret (the current
     * one and, during a rotation grace period, the previous one). Never throws for bad input: a missing or malformed
     * header is a {@link VerificationResult.Rejected} with its reason.
     *
     * @param clock for platforms whose signatures carry a timestamp that must be recent
     */
    VerificationResult verifyWebhook(WebhookRequest request, List<WebhookSecret> candidateSecrets, Clock clock);

    /**
     * Reads what the ingest needs to file a delivery (store, platform topic, delivery and event ids, headers to keep)
     * from the platform's own headers (or payload). Call before verification: the store selects the secrets.
     */
    WebhookDelivery describeDelivery(WebhookRequest request);

    /**
     * Whether {@code storeId} has the form of this platform's store identifiers (length and characters). The ingest
     * checks it before any look-up, metric or log line, so a made-up value costs nothing; the admin API checks it
     * before registering a store. The default accepts {@link #PLAIN_STORE_ID}.
     */
    default boolean isValidStoreId(String storeId) {
        return storeId != null && PLAIN_STORE_ID.matcher(storeId).matches();
    }

    /**
     * Why {@code apiBaseUrl}'s host cannot be this platform's API, or empty when it can: the platform's own rule only
     * (Shopify: {@code *.myshopify.com}). Scheme, userinfo and private addresses are checked for every platform by
     * {@code dev.commercesync.platforms.shared.ApiBaseUrls}. The default (self-hosted platforms) accepts any host.
     */
    default Optional<String> apiHostProblem(URI apiBaseUrl) {
        return Optional.empty();
    }

    /**
     * Classifies a raw record: canonical entity type and operation, entity id, source updated-at, dedup key, and
     * whether the payload is complete. An event type the adapter does not know is {@link
     * Classification.UnknownEventType}, never an exception.
     *
     * @param payload the envelope's body parsed with {@code dev.commercesync.platforms.shared.Json}
     * @throws MappingException when the payload lacks what classification needs (the entity id)
     */
    Classification classify(RawEnvelope envelope, JsonNode payload) throws MappingException;

    /** The mapper of full payloads of the given entity type, if the platform has that entity. */
    Optional<EntityMapper> mapper(EntityType entityType);

    /** The platform topics this adapter classifies, in the platform's spelling (for webhook registration). */
    Set<String> webhookTopics();

    /**
     * Where a store's webhooks are to be sent, under the ingest's public URL: {@code /webhooks/<platform>} by default
     * (the deliveries name their store); a platform whose deliveries do not (eBay's notifications are the
     * application's) has the URL name it, {@code /webhooks/<platform>/<store>}.
     */
    default URI webhookAddress(URI ingestUrl, String storeId) {
        return URI.create(ingestUrl.toString().replaceAll("/+$", "") + "/webhooks/" + name());
    }

    /** A client of the platform's API for one store. Creating it does no I/O. */
    PlatformApiClient apiClient(ApiConnection connection);

    /**
     * A client that writes canonical commands to one store's API (the rules it follows: {@link PlatformWriteClient}).
     * Creating it does no I/O. It applies exactly the kinds declared in {@link PlatformCapabilities#commandKinds()}.
     * The default, for a platform without a writer, rejects every command as UNSUPPORTED.
     */
    default PlatformWriteClient writeClient(ApiConnection connection) {
        return PlatformWriteClient.unsupported(name());
    }

    /**
     * The {@code command_id} a commerce-sync write left in the platform's record of this canonical entity, when the
     * mapped entity carries the marker this platform's writer puts there (a shipment comment naming the command, ...):
     * the normalizer's echo recognition then prefers it to matching by value (docs/commands.md, "Recognisable
     * echoes"). Empty when the entity carries none; the default, for a platform whose payloads echo no marker.
     *
     * @param entity a canonical entity this adapter's mappers produced ({@code Shipment}, {@code InventoryLevel}, ...)
     */
    default Optional<String> commandMarker(org.apache.avro.specific.SpecificRecord entity) {
        return Optional.empty();
    }

    /**
     * Whether a mapped product shows a SetPrice applied: the variant it prices ({@link #pricedVariants}) has its price,
     * whatever the scale — how the normalizer recognises a price's echo (docs/commands.md, "Recognisable echoes").
     * The default reads the canonical variant price. An adapter whose product payloads name no currency, so that its
     * mapper keeps prices verbatim in platform_fields and the canonical price is null (Shopify, WooCommerce), reads
     * them there, as its writer's read-back does.
     */
    default boolean showsPrice(Product product, SetPrice price) {
        return pricedVariants(product, price).stream()
                .anyMatch(variant -> variant.getPrice() != null
                        && variant.getPrice()
                                        .getAmount()
                                        .compareTo(price.getPrice().getAmount())
                                == 0);
    }

    /**
     * The variants of a mapped product a SetPrice prices: the one named {@code variant_id}; without one (a product
     * priced as a whole) its only variant, or the variant with the product's id.
     */
    static List<ProductVariant> pricedVariants(Product product, SetPrice price) {
        List<ProductVariant> variants = product.getVariants();
        return variants.stream()
                .filter(variant -> price.getVariantId() != null
                        ? price.getVariantId().equals(variant.getId())
                        : variants.size() == 1 || price.getProductId().equals(variant.getId()))
                .toList();
    }

    /**
     * The command kinds whose echoes can be recognised on this platform (docs/commands.md, "Recognisable echoes"): those
     * its writer applies ({@link PlatformCapabilities#commandKinds()}) whose echo's entity ({@link
     * CommandKind#echoType()}) the adapter maps, so that the store's answer to the write becomes a canonical event.
     * A platform without that entity (WooCommerce: no shipment, stock only inside products) has no echo to recognise.
     */
    default Set<CommandKind> recognisableEchoes() {
        Set<CommandKind> kinds = EnumSet.noneOf(CommandKind.class);
        capabilities().commandKinds().stream()
                .filter(kind -> mapper(kind.echoType()).isPresent())
                .forEach(kinds::add);
        return Collections.unmodifiableSet(kinds);
    }

    /**
     * The platform's app install flow, when merchants can connect a store themselves ({@link InstallFlow}); empty
     * (the default) where stores are registered through the admin API only.
     */
    default Optional<InstallFlow> installFlow() {
        return Optional.empty();
    }

    /**
     * How to read the notifications the platform delivers to a message queue instead of an HTTPS endpoint (Amazon
     * SP-API's SQS destinations), when it does; empty (the default) for platforms that push webhooks only. The ingest's
     * queue consumer refuses to start for a platform without it (docs/webhook-ingest.md, "Queued notifications").
     */
    default Optional<QueuedNotifications> queuedNotifications() {
        return Optional.empty();
    }

    /**
     * The webhook topics that carry privacy requests ({@link #privacyRequest}). They are accepted for a disabled
     * (uninstalled) store too: Shopify sends {@code shop/redact} 48 hours after the uninstall.
     */
    default Set<String> privacyTopics() {
        return Set.of();
    }

    /**
     * The privacy request a verified webhook delivery carries, when its topic is one of the platform's privacy topics
     * (Shopify's mandatory compliance webhooks), without the requester's personal data (docs/privacy.md); empty for every
     * other delivery, and by default.
     *
     * @throws MappingException the topic is a privacy topic but the body is not the platform's documented shape
     */
    default Optional<dev.commercesync.schemas.envelope.PrivacyRequest> privacyRequest(
            WebhookDelivery delivery, byte[] body, java.time.Instant receivedAt) throws MappingException {
        return Optional.empty();
    }

    /**
     * The API versions this adapter's clients are written for, the default, and their announced sunsets: the range a
     * store's configured version must fall in ({@link ApiConnection#apiVersion()}). Adapters declare theirs; this
     * default, for an adapter that has not, is one version named {@code default}, which its clients ignore.
     */
    default ApiVersions apiVersions() {
        return ApiVersions.single("not versioned by commerce-sync", "default");
    }

    /**
     * The answer to a platform's endpoint validation request ({@code GET} of the webhook URL with the platform's
     * challenge parameters, {@code query}), as the JSON body to return with HTTP 200, computed with the store's
     * secrets; empty when the platform validates no endpoint this way or the query is not its challenge (the ingest
     * then answers 404). The default: none. eBay's marketplace account deletion endpoint is validated so.
     */
    default Optional<String> endpointChallengeResponse(
            java.util.Map<String, String> query, List<WebhookSecret> candidateSecrets) {
        return Optional.empty();
    }

    /** The platform's documented API budget and how to read the remaining quota from a response. */
    RateLimitProfile rateLimitProfile();

    /**
     * What the platform can do: the types its client lists by updated-at or only as a snapshot, its webhook topics
     * (equal to {@link #webhookTopics()}), which types' webhooks are thin, the cost of a listing request and its rate
     * profile (equal to {@link #rateLimitProfile()}), the command kinds its {@link #writeClient} applies. Services take their per-platform defaults from here; the contract
     * suite checks the declaration against the client.
     */
    PlatformCapabilities capabilities();
}
