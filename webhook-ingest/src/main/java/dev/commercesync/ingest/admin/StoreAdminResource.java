package dev.commercesync.ingest.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.commercesync.ingest.ErrorAnswer;
import dev.commercesync.ingest.StoreLookup;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The store registry's admin API: add, list, rotate the webhook secret of, disable and enable stores. Secrets go in,
 * never come out. Store ids are sent in bodies, not paths, because some contain slashes (WooCommerce site URLs).
 */
@Path("/admin/stores")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin: stores", description = "Manage the stores whose webhooks are accepted")
@SecurityScheme(securitySchemeName = "admin-token", type = SecuritySchemeType.HTTP, scheme = "bearer")
@SecurityRequirement(name = "admin-token")
public class StoreAdminResource {
    private static final Logger LOG = Logger.getLogger(StoreAdminResource.class);
    private static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    /** A store as the admin API shows it: no secret, only whether credentials are set. */
    public record StoreSummary(
            String platform,
            @JsonProperty("store_id") String storeId,
            @JsonProperty("display_name") String displayName,
            @JsonProperty("api_base_url") String apiBaseUrl,
            boolean enabled,
            @JsonProperty("has_api_credentials") boolean hasApiCredentials,
            @JsonProperty("previous_secret_valid_until") Instant previousSecretValidUntil) {
        static StoreSummary of(StoreView v) {
            return new StoreSummary(
                    v.platform(),
                    v.storeId(),
                    v.displayName(),
                    v.apiBaseUrl(),
                    v.enabled(),
                    v.apiCredentials().isPresent(),
                    v.previousSecretValidUntil() != null
                                    && v.previousSecretValidUntil().isAfter(Instant.now())
                            ? v.previousSecretValidUntil()
                            : null);
        }
    }

    public record NewStore(
            String platform,
            @JsonProperty("store_id") String storeId,
            @JsonProperty("display_name") String displayName,
            @JsonProperty("api_base_url") String apiBaseUrl,
            @JsonProperty("webhook_secret") String webhookSecret,
            @JsonProperty("api_credentials") String apiCredentials) {}

    public record SecretRotation(
            @JsonProperty("store_id") String storeId,
            @JsonProperty("webhook_secret") String webhookSecret,
            @JsonProperty("grace_period") Duration gracePeriod) {}

    public record StoreRef(@JsonProperty("store_id") String storeId) {}

    private final StoreRegistry registry;
    private final StoreLookup lookup;
    private final PlatformRegistry platforms;

    public StoreAdminResource(StoreRegistry registry, StoreLookup lookup, PlatformRegistry platforms) {
        this.registry = registry;
        this.lookup = lookup;
        this.platforms = platforms;
    }

    @GET
    @Operation(summary = "List stores (without secrets)")
    public List<StoreSummary> list() {
        return registry.list().stream().map(StoreSummary::of).toList();
    }

    @POST
    @Operation(summary = "Register a store with its webhook secret and (optional) API credentials")
    public Response add(NewStore store) {
        if (store == null || blank(store.platform()) || blank(store.storeId()) || blank(store.webhookSecret())) {
            return ErrorAnswer.response(
                    Response.Status.BAD_REQUEST, "invalid_store", "platform, store_id and webhook_secret are required");
        }
        if (platforms.find(store.platform()).isEmpty()) {
            return ErrorAnswer.response(
                    Response.Status.BAD_REQUEST,
                    "unknown_platform",
                    "no platform named '" + store.platform() + "'; known: " + platforms.names());
        }
        try {
            StoreView added = registry.add(
                    store.platform(),
                    store.storeId(),
                    store.displayName(),
                    store.apiBaseUrl(),
                    store.webhookSecret(),
                    store.apiCredentials());
            lookup.invalidate(store.platform(), store.storeId());
            LOG.infof("store %s/%s added", store.platform(), store.storeId());
            return Response.status(Response.Status.CREATED)
                    .entity(StoreSummary.of(added))
                    .build();
        } catch (IllegalStateException e) {
            return ErrorAnswer.response(Response.Status.CONFLICT, "store_exists", e.getMessage());
        }
    }

    @POST
    @Path("/{platform}/secret-rotations")
    @Operation(
            summary = "Rotate a store's webhook secret",
            description = "The new secret is current at once; the previous one stays valid for grace_period "
                    + "(ISO-8601 duration, default PT24H) so deliveries signed before the switch still verify.")
    public Response rotate(@PathParam("platform") String platform, SecretRotation rotation) {
        if (rotation == null || blank(rotation.storeId()) || blank(rotation.webhookSecret())) {
            return ErrorAnswer.response(
                    Response.Status.BAD_REQUEST, "invalid_rotation", "store_id and webhook_secret are required");
        }
        Duration grace = rotation.gracePeriod() != null ? rotation.gracePeriod() : DEFAULT_GRACE;
        if (grace.isNegative()) {
            return ErrorAnswer.response(
                    Response.Status.BAD_REQUEST, "invalid_rotation", "grace_period must not be negative");
        }
        return changed(
                platform,
                rotation.storeId(),
                registry.rotateWebhookSecret(platform, rotation.storeId(), rotation.webhookSecret(), grace),
                "webhook secret rotated");
    }

    @POST
    @Path("/{platform}/disable")
    @Operation(summary = "Disable a store: its webhooks are answered 404 until it is enabled again")
    public Response disable(@PathParam("platform") String platform, StoreRef ref) {
        return setEnabled(platform, ref, false);
    }

    @POST
    @Path("/{platform}/enable")
    @Operation(summary = "Enable a disabled store")
    public Response enable(@PathParam("platform") String platform, StoreRef ref) {
        return setEnabled(platform, ref, true);
    }

    private Response setEnabled(String platform, StoreRef ref, boolean enabled) {
        if (ref == null || blank(ref.storeId())) {
            return ErrorAnswer.response(Response.Status.BAD_REQUEST, "invalid_store", "store_id is required");
        }
        return changed(
                platform,
                ref.storeId(),
                registry.setEnabled(platform, ref.storeId(), enabled),
                enabled ? "enabled" : "disabled");
    }

    private Response changed(String platform, String storeId, Optional<StoreView> result, String what) {
        if (result.isEmpty()) {
            return ErrorAnswer.response(
                    Response.Status.NOT_FOUND, "unknown_store", "no store " + platform + "/" + storeId);
        }
        lookup.invalidate(platform, storeId);
        LOG.infof("store %s/%s: %s", platform, storeId, what);
        return Response.ok(StoreSummary.of(result.get())).build();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
