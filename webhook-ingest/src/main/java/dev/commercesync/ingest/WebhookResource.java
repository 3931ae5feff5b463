package dev.commercesync.ingest;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import dev.commercesync.telemetry.LogContext;
import dev.commercesync.telemetry.Spans;
import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/{platform}}: identify the store from the platform's own headers, verify the signature with the
 * store's secret(s), wrap the untouched body in a {@link RawEnvelope} and answer 2xx only once Kafka acknowledged it.
 * The body is never parsed here unless the adapter needs it to find the store (BigCommerce).
 */
@Path("/webhooks")
@Tag(name = "webhooks", description = "Platform webhook deliveries")
public class WebhookResource {
    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    private final PlatformRegistry platforms;
    private final StoreLookup stores;
    private final StoreRegistry registry;
    private final RawPublisher publisher;
    private final PrivacyPublisher privacyPublisher;
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public WebhookResource(
            PlatformRegistry platforms,
            StoreLookup stores,
            StoreRegistry registry,
            RawPublisher publisher,
            PrivacyPublisher privacyPublisher,
            IngestConfig config,
            IngestMetrics metrics) {
        this.platforms = platforms;
        this.stores = stores;
        this.registry = registry;
        this.publisher = publisher;
        this.privacyPublisher = privacyPublisher;
        this.config = config;
        this.metrics = metrics;
    }

    @POST
    @Path("/{platform}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive one webhook delivery of a platform")
    @APIResponse(
            responseCode = "200",
            description = "Verified and durably stored on Kafka; or, for the platform's uninstall notice, the store"
                    + " disabled and its API credentials deleted; or, for a privacy request, recorded on"
                    + " commerce.privacy.v1 without its personal data")
    @APIResponse(
            responseCode = "400",
            description = "The delivery does not name its store or event type, or a privacy request is malformed")
    @APIResponse(
            responseCode = "401",
            description = "Unknown or disabled store, or missing, malformed or wrong signature (one answer for all);"
                    + " nothing was stored")
    @APIResponse(responseCode = "404", description = "Unknown platform")
    @APIResponse(responseCode = "413", description = "Body over the configured limit")
    @APIResponse(responseCode = "415", description = "Content type is not JSON")
    @APIResponse(responseCode = "503", description = "Kafka (or the store registry) unavailable: retry later")
    public Response receive(@PathParam("platform") String platform, @Context HttpHeaders httpHeaders, byte[] body) {
        return receive(platform, null, httpHeaders, body);
    }

    /**
     * {@code POST /webhooks/{platform}/{store}}: the same, for platforms whose deliveries do not name the store (eBay's
     * notifications are the application's): the URL given to the platform names it, and the adapter reads it from
     * {@link WebhookRequest#PATH_STORE_HEADER}. The signature is still what authenticates the delivery.
     */
    @POST
    @Path("/{platform}/{store}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive one webhook delivery of a platform, to a URL that names the store")
    public Response receiveForStore(
            @PathParam("platform") String platform,
            @PathParam("store") String store,
            @Context HttpHeaders httpHeaders,
            byte[] body) {
        return receive(platform, store, httpHeaders, body);
    }

    /**
     * {@code GET /webhooks/{platform}/{store}?...}: a platform validating the endpoint before it sends to it (eBay's
     * marketplace account deletion endpoint: {@code ?challenge_code=}). The adapter computes the answer with the
     * store's secrets ({@code PlatformAdapter.endpointChallengeResponse}); 404 for any other request, an unknown or
     * disabled store, or a platform without such a validation.
     */
    @GET
    @Path("/{platform}/{store}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer a platform's endpoint validation challenge")
    @APIResponse(responseCode = "200", description = "The challenge's answer, as the platform documents it")
    @APIResponse(responseCode = "404", description = "Not a challenge of this platform, or no such enabled store")
    public Response challenge(
            @PathParam("platform") String platform, @PathParam("store") String store, @Context UriInfo uri) {
        Optional<PlatformAdapter> adapter = platforms.find(platform);
        if (adapter.isEmpty() || !adapter.get().isValidStoreId(store)) {
            return ErrorAnswer.response(Response.Status.NOT_FOUND, "not_found", "no endpoint validation here");
        }
        Optional<StoreView> known = stores.find(platform, store).filter(StoreView::enabled);
        Map<String, String> query = new HashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                query.put(name, values.get(0));
            }
        });
        Optional<String> answer = known.flatMap(s -> adapter.get()
                .endpointChallengeResponse(
                        query,
                        s.webhookSecrets().stream().map(WebhookSecret::of).toList()));
        if (answer.isEmpty()) {
            metrics.rejected(platform, "unanswered_challenge");
            return ErrorAnswer.response(Response.Status.NOT_FOUND, "not_found", "no endpoint validation here");
        }
        return Response.ok(answer.get(), MediaType.APPLICATION_JSON).build();
    }

    private Response receive(String platform, String pathStore, HttpHeaders httpHeaders, byte[] body) {
        Instant receivedAt = clock.instant();
        Optional<PlatformAdapter> adapter = platforms.find(platform);
        if (adapter.isEmpty()) {
            return ErrorAnswer.response(
                    Response.Status.NOT_FOUND,
                    "unknown_platform",
                    "no platform named '" + safe(platform) + "'; known: " + platforms.names());
        }
        metrics.received(platform);
        String contentType = httpHeaders.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (!acceptedContentType(contentType)) {
            metrics.rejected(platform, "unsupported_media_type");
            return ErrorAnswer.response(
                    Response.Status.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "webhook bodies must be one of " + config.acceptedContentTypes());
        }
        Map<String, String> headers = firstValues(httpHeaders);
        if (pathStore != null) {
            headers.put(WebhookRequest.PATH_STORE_HEADER, pathStore);
        }
        WebhookRequest request = new WebhookRequest(headers, body == null ? new byte[0] : body);
        WebhookDelivery delivery = adapter.get().describeDelivery(request);
        Optional<String> store = delivery.store().filter(adapter.get()::isValidStoreId);
        if (store.isEmpty() || delivery.eventType().isEmpty()) {
            metrics.rejected(platform, "unidentified_delivery");
            return ErrorAnswer.response(
                    Response.Status.BAD_REQUEST,
                    "unidentified_delivery",
                    "the delivery does not name its " + (store.isEmpty() ? "store" : "event type") + " in the form "
                            + platform + " documents");
        }
        // Until the signature verified, the store is only what the sender wrote: no per-store metric, cache entry or
        // log line at INFO, and one answer for "no such store" and "wrong signature" (stores cannot be enumerated).
        // The platform's uninstall notice is accepted for a store already disabled (a redelivery): it only disables.
        boolean uninstall = adapter.get()
                .installFlow()
                .flatMap(InstallFlow::uninstallTopic)
                .filter(delivery.eventType().get()::equals)
                .isPresent();
        // Privacy requests too: Shopify sends shop/redact 48 hours after the uninstall.
        boolean privacy =
                adapter.get().privacyTopics().contains(delivery.eventType().get());
        Optional<StoreView> known = stores.find(platform, store.get()).filter(s -> uninstall || privacy || s.enabled());
        if (known.isEmpty()) {
            return unauthenticated(platform, store.get(), "unknown_store", "no enabled store of that id");
        }
        List<WebhookSecret> secrets =
                known.get().webhookSecrets().stream().map(WebhookSecret::of).toList();
        VerificationResult verification = adapter.get().verifyWebhook(request, secrets, clock);
        if (verification instanceof VerificationResult.Rejected rejected) {
            return unauthenticated(
                    platform, store.get(), rejected.reason().name().toLowerCase(Locale.ROOT), rejected.message());
        }
        if (uninstall) {
            return uninstalled(platform, store.get());
        }
        if (privacy) {
            return privacyRequest(adapter.get(), delivery, request, receivedAt);
        }

        RawEnvelope envelope = RawEnvelopes.fromWebhook(platform, delivery, request, receivedAt);
        // Only now, with the signature verified, do the store's names go into the span and the log context.
        String eventId = eventId(envelope);
        Span.current()
                .setAttribute(Spans.PLATFORM, platform)
                .setAttribute(Spans.STORE, store.get())
                .setAttribute(Spans.EVENT_ID, eventId);
        try (LogContext ignored = LogContext.of(platform, store.get(), eventId)) {
            long t0 = System.nanoTime();
            try {
                // One store's deliveries share a partition, so one entity's deliveries stay in order.
                publisher.publish(PipelineRecords.storeKey(platform, store.get()), envelope, config.produceTimeout());
            } catch (RawPublisher.NotStoredException e) {
                metrics.rejected(platform, "kafka_unavailable");
                LOG.warnf(
                        "%s webhook for store %s not stored (%s); answering 503",
                        platform, store.get(), e.getMessage());
                return ErrorAnswer.builder(
                                Response.Status.SERVICE_UNAVAILABLE,
                                "kafka_unavailable",
                                "the webhook could not be stored durably; retry later")
                        .header("Retry-After", "5")
                        .build();
            }
            metrics.accepted(platform, store.get(), Duration.ofNanos(System.nanoTime() - t0));
            LOG.debugf("stored %s webhook %s as %s", platform, envelope.getEventType(), envelope.getEnvelopeId());
        }
        return Response.ok(Map.of("status", "stored", "envelope_id", envelope.getEnvelopeId()))
                .build();
    }

    /**
     * The merchant removed the app (the platform's uninstall topic, signature verified): the store stops being polled
     * and written (disabled, reason "uninstalled") and its API credentials are deleted; nothing goes to Kafka. A
     * reinstall through the install flow gives it new credentials and it resumes from its poll cursors.
     */
    private Response uninstalled(String platform, String store) {
        try {
            registry.uninstall(platform, store);
        } catch (RuntimeException e) {
            metrics.rejected(platform, "registry_unavailable");
            LOG.warnf("%s uninstall of store %s not recorded (%s); answering 503", platform, store, e.getMessage());
            return ErrorAnswer.builder(
                            Response.Status.SERVICE_UNAVAILABLE,
                            "registry_unavailable",
                            "the uninstall could not be recorded; retry later")
                    .header("Retry-After", "5")
                    .build();
        }
        stores.invalidate(platform, store);
        LOG.infof("store %s/%s uninstalled by its merchant: disabled, API credentials deleted", platform, store);
        return Response.ok(Map.of("status", "uninstalled")).build();
    }

    /**
     * A privacy request (the platform's privacy topic, signature verified): published without the requester's personal
     * data to {@code commerce.privacy.v1} instead of the raw topic, so that the body (email, phone) is never retained;
     * the sync-writer carries it out (docs/privacy.md). 2xx only once Kafka acknowledged it, else 503 and the platform
     * retries.
     */
    private Response privacyRequest(
            PlatformAdapter adapter, WebhookDelivery delivery, WebhookRequest request, Instant receivedAt) {
        String platform = adapter.name();
        String store = delivery.store().orElseThrow();
        PrivacyRequest privacyRequest;
        try {
            privacyRequest = adapter.privacyRequest(delivery, request.body(), receivedAt)
                    .orElseThrow(() -> new IllegalStateException("a privacy topic without a privacy request"));
        } catch (MappingException e) {
            metrics.rejected(platform, "malformed_privacy_request");
            return ErrorAnswer.response(
                    Response.Status.BAD_REQUEST,
                    "malformed_privacy_request",
                    "the privacy request is not in the form " + platform + " documents: " + e.getMessage());
        }
        try {
            privacyPublisher.publish(
                    PipelineRecords.storeKey(platform, store), privacyRequest, config.produceTimeout());
        } catch (RawPublisher.NotStoredException e) {
            metrics.rejected(platform, "kafka_unavailable");
            LOG.warnf(
                    "%s privacy request for store %s not stored (%s); answering 503", platform, store, e.getMessage());
            return ErrorAnswer.builder(
                            Response.Status.SERVICE_UNAVAILABLE,
                            "kafka_unavailable",
                            "the privacy request could not be stored durably; retry later")
                    .header("Retry-After", "5")
                    .build();
        }
        LOG.infof(
                "%s privacy request %s for store %s stored, due %s",
                platform, privacyRequest.getKind(), store, privacyRequest.getDueAt());
        return Response.ok(Map.of("status", "recorded", "request_id", privacyRequest.getRequestId()))
                .build();
    }

    /**
     * The id a webhook is known by before it is normalized: the platform's event id (stable across redeliveries) where
     * the platform has one, else its delivery id, else the raw envelope's id. The canonical event id comes later, from
     * the normalizer.
     */
    private static String eventId(RawEnvelope envelope) {
        if (envelope.getPlatformEventId() != null) {
            return envelope.getPlatformEventId();
        }
        return envelope.getDeliveryId() != null ? envelope.getDeliveryId() : envelope.getEnvelopeId();
    }

    /**
     * The one answer to every delivery that cannot be authenticated, whatever the reason (unknown or disabled store,
     * missing, malformed, stale or wrong signature): the reason goes to the metric and a DEBUG line only.
     */
    private Response unauthenticated(String platform, String store, String reason, String detail) {
        metrics.rejected(platform, reason);
        LOG.debugf("rejected %s webhook for store %s: %s (%s)", platform, store, reason, detail);
        return ErrorAnswer.response(
                Response.Status.UNAUTHORIZED,
                "unauthenticated",
                "the delivery is not signed with the secret of an enabled, registered store");
    }

    private boolean acceptedContentType(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return config.acceptedContentTypes().contains(mediaType);
    }

    private static Map<String, String> firstValues(HttpHeaders headers) {
        Map<String, String> first = new HashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            // the URL's store is the ingest's to say: a sender's value of that header is dropped
            if (!values.isEmpty() && !name.equalsIgnoreCase(WebhookRequest.PATH_STORE_HEADER)) {
                first.put(name, values.get(0));
            }
        });
        return first;
    }

    /** Echoes caller-supplied names into answers only when they are short and plain. */
    private static String safe(String value) {
        return value.length() <= 200 && value.matches("[A-Za-z0-9._:/-]*") ? value : "(not shown)";
    }
}
