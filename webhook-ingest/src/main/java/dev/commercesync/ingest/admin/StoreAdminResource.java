package dev.commercesync.ingest.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.commercesync.ingest.ErrorAnswer;
import dev.commercesync.ingest.StoreLookup;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.shared.ApiBaseUrls;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.PlatformAdapter;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The store registry's admin API: add, list, rotate the webhook secret of, replace the API credentials of, disable and
 * enable stores. Secrets go in, never come out. Store ids are sent in bodies, not paths, because some contain slashes
 * (WooCommerce site URLs).
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
    /** Webhook secrets: at least 128 bits if random; at most a large PEM key with its client id. */
    static final int MIN_SECRET_LENGTH = 16;

    static final int MAX_SECRET_LENGTH = 8192;
    static final int MAX_DISPLAY_NAME_LENGTH = 200;

    /** A store as the admin API shows it: no secret, only whether credentials are set. */
    public record StoreSummary(
            String platform,
            @JsonProperty("store_id") String storeId,
            @JsonProperty("display_name") String displayName,
            @JsonProperty("api_base_url") String apiBaseUrl,
            boolean enabled,
            @JsonProperty("has_api_credentials") boolean hasApiCredentials,
            @JsonProperty("previous_secret_valid_until") Instant previousSecretValidUntil,
            @JsonProperty("disabled_reason") String disabledReason) {
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
                            : null,
                    v.disabledReason().orElse(null));
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

    /** New API credentials; {@link #toString()} hides them (a request object may be logged by a framework). */
    public record CredentialsReplacement(
            @JsonProperty("store_id") String storeId, @JsonProperty("api_credentials") String apiCredentials) {
        @Override
        public String toString() {
            return "CredentialsReplacement[store_id=" + storeId + "]";
        }
    }

    private final StoreRegistry registry;
    private final StoreLookup lookup;
    private final PlatformRegistry platforms;
    private final boolean allowInsecureApiUrls;

    public StoreAdminResource(
            StoreRegistry registry,
            StoreLookup lookup,
            PlatformRegistry platforms,
            @ConfigProperty(name = "commercesync.admin.allow-insecure-api-urls", defaultValue = "false")
                    boolean allowInsecureApiUrls) {
        this.registry = registry;
        this.lookup = lookup;
        this.platforms = platforms;
        this.allowInsecureApiUrls = allowInsecureApiUrls;
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
        Optional<PlatformAdapter> adapter = platforms.find(store.platform());
        if (adapter.isEmpty()) {
            return ErrorAnswer.response(
                    Response.Status.BAD_REQUEST, "unknown_platform", "no such platform; known: " + platforms.names());
        }
        Optional<String> problem = storeIdProblem(adapter.get(), store.storeId())
                .or(() -> secretProblem(store.webhookSecret()))
                .or(() -> Optional.ofNullable(store.apiBaseUrl())
                        .flatMap(url -> ApiBaseUrls.problem(adapter.get(), url, allowInsecureApiUrls))
                        .map(p -> "api_base_url " + p))
                .or(() -> credentialsProblem(store.apiCredentials()))
                .or(() -> store.displayName() != null && store.displayName().length() > MAX_DISPLAY_NAME_LENGTH
                        ? Optional.of("display_name must be at most " + MAX_DISPLAY_NAME_LENGTH + " characters")
                        : Optional.empty());
        if (problem.isPresent()) {
            return ErrorAnswer.response(Response.Status.BAD_REQUEST, "invalid_store", problem.get());
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
        Optional<String> problem = secretProblem(rotation.webhookSecret())
                .or(() -> grace.isNegative() || grace.compareTo(StoreRegistry.MAX_GRACE_PERIOD) > 0
                        ? Optional.of("grace_period must be between PT0S and " + StoreRegistry.MAX_GRACE_PERIOD)
                        : Optional.empty());
        if (problem.isPresent()) {
            return ErrorAnswer.response(Response.Status.BAD_REQUEST, "invalid_rotation", problem.get());
        }
        return changed(
                platform,
                rotation.storeId(),
                registry.rotateWebhookSecret(platform, rotation.storeId(), rotation.webhookSecret(), grace),
                "webhook secret rotated");
    }

    @POST
    @Path("/{platform}/api-credentials")
    @Operation(
            summary = "Replace a store's API credentials",
            description = "For a revoked or expired token: api_credentials in the registration's form (a token, "
                    + "{\"token\": ...} or {\"key\": ..., \"secret\": ...}), stored encrypted and never shown. The "
                    + "poller uses them at its next call: a store waiting for a person because its credentials were "
                    + "refused is polled again.")
    public Response replaceCredentials(@PathParam("platform") String platform, CredentialsReplacement replacement) {
        if (replacement == null || blank(replacement.storeId()) || blank(replacement.apiCredentials())) {
            return ErrorAnswer.response(
                    Response.Status.BAD_REQUEST, "invalid_credentials", "store_id and api_credentials are required");
        }
        Optional<String> problem = credentialsProblem(replacement.apiCredentials());
        if (problem.isPresent()) {
            return ErrorAnswer.response(Response.Status.BAD_REQUEST, "invalid_credentials", problem.get());
        }
        return changed(
                platform,
                replacement.storeId(),
                registry.replaceApiCredentials(platform, replacement.storeId(), replacement.apiCredentials()),
                "API credentials replaced");
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

    /** The store id as the platform forms it; never echoed (it may be anything). */
    private static Optional<String> storeIdProblem(PlatformAdapter adapter, String storeId) {
        return adapter.isValidStoreId(storeId)
                ? Optional.empty()
                : Optional.of("store_id is not a " + adapter.name() + " store id (see docs/webhook-ingest.md)");
    }

    private static Optional<String> secretProblem(String secret) {
        return secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH
                ? Optional.of(
                        "webhook_secret must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH + " characters")
                : Optional.empty();
    }

    private static Optional<String> credentialsProblem(String credentials) {
        if (credentials == null) {
            return Optional.empty();
        }
        if (credentials.length() > MAX_SECRET_LENGTH) {
            return Optional.of("api_credentials must be at most " + MAX_SECRET_LENGTH + " characters");
        }
        try {
            ApiCredentials.parse(credentials);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("api_credentials: " + e.getMessage()); // names the problem, never the value
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
