package dev.commercesync.reconciler.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.reconciler.ReconcilerConfig;
import dev.commercesync.reconciler.core.PlatformView;
import dev.commercesync.reconciler.core.Range;
import dev.commercesync.reconciler.core.StoreRef;
import dev.commercesync.schemas.canonical.EntityType;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform view served by the poller (docs/reconciler.md, "Platform-view contract"): {@code GET
 * {poller}/platform-view/{platform}/count} and {@code /list}, and {@code /snapshot} for types listed without updated-at, JSON. The poller spends the store's rate limit and
 * reports the platform requests each answer cost.
 */
@ApplicationScoped
public class PollerPlatformView implements PlatformView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final Duration timeout;
    private final Optional<String> authorization;

    /** @param internalToken the internal token (docs/auth.md), which the poller asks of every platform-view request */
    public PollerPlatformView(
            ReconcilerConfig config,
            @ConfigProperty(name = "commercesync.internal.token") Optional<String> internalToken) {
        this.base = config.pollerUrl();
        this.timeout = config.pollerTimeout();
        this.authorization = internalToken.filter(t -> !t.isBlank()).map(t -> "Bearer " + t.trim());
    }

    @Override
    public Listable listable(String platform) throws PlatformViewException {
        JsonNode body =
                get(URI.create(root() + "/platform-view/" + encode(platform) + "/capabilities"), "capabilities");
        return new Listable(
                types(body.path("listed_by_updated_at")),
                types(body.path("listed_as_snapshot")),
                types(body.path("listed_without_count")));
    }

    private static Set<EntityType> types(JsonNode names) {
        Set<EntityType> types = EnumSet.noneOf(EntityType.class);
        for (JsonNode name : names) {
            try {
                types.add(EntityType.valueOf(name.asText()));
            } catch (IllegalArgumentException e) {
                // A type this reconciler does not know yet (a newer poller): not reconciled here.
            }
        }
        return types;
    }

    @Override
    public Count count(StoreRef store, EntityType type, Range range) throws PlatformViewException {
        JsonNode body = get("count", store, type, range);
        JsonNode count = body.path("count");
        if (!count.isIntegralNumber()) {
            throw new PlatformViewException("the poller's count answer has no count");
        }
        return new Count(count.asLong(), body.path("api_calls").asInt(1));
    }

    @Override
    public Listing list(StoreRef store, EntityType type, Range range) throws PlatformViewException {
        JsonNode body = get("list", store, type, range);
        List<Entity> entities = new ArrayList<>();
        for (JsonNode e : body.path("entities")) {
            String updated = e.path("updated_at").asText(null);
            entities.add(new Entity(
                    e.path("id").asText(),
                    updated == null ? null : Instant.parse(updated),
                    e.path("parent_id").asText(null)));
        }
        return new Listing(entities, body.path("api_calls").asInt(1));
    }

    @Override
    public Snapshot snapshot(StoreRef store, EntityType type) throws PlatformViewException {
        JsonNode body = get("snapshot", store, type, null);
        List<SnapshotEntity> entities = new ArrayList<>();
        for (JsonNode e : body.path("entities")) {
            JsonNode fingerprint = e.path("fingerprint");
            entities.add(new SnapshotEntity(
                    e.path("id").asText(), fingerprint.isIntegralNumber() ? fingerprint.asLong() : null));
        }
        return new Snapshot(entities, body.path("api_calls").asInt(1));
    }

    /** @param range the {@code [from, to)} of a count or listing; null for a snapshot */
    private JsonNode get(String what, StoreRef store, EntityType type, Range range) throws PlatformViewException {
        URI uri = URI.create(root() + "/platform-view/" + encode(store.platform()) + "/" + what + "?store="
                + encode(store.store()) + "&type=" + type.name()
                + (range == null
                        ? ""
                        : "&from=" + encode(range.from().toString()) + "&to="
                                + encode(range.to().toString())));
        return get(uri, what);
    }

    private String root() {
        return base.toString().endsWith("/")
                ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
    }

    private JsonNode get(URI uri, String what) throws PlatformViewException {
        HttpResponse<byte[]> response;
        try {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
            authorization.ifPresent(value -> request.header("Authorization", value));
            response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new PlatformViewException(
                    "poller platform-view " + what + " failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformViewException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new PlatformViewException(
                    "poller platform-view " + what + " answered HTTP " + response.statusCode() + errorOf(response),
                    errorClassOf(response));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new PlatformViewException("poller platform-view " + what + " answered a body that is not JSON");
        }
    }

    /** The poller's error code ({@code {"error": "..."}}), never the body verbatim. */
    private static String errorOf(HttpResponse<byte[]> response) {
        try {
            String error = JSON.readTree(response.body()).path("error").asText("");
            return error.matches("[a-z_]{1,40}") ? " (" + error + ")" : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * What failed, for the operational state: the poller's classification of the platform's failure ({@code
     * error_class} of a 502), its rate limiter (503: quota), a request the poller refuses (4xx, e.g. a type it cannot
     * list, a store it does not know, our token: a person must fix the configuration) or the poller failing (5xx).
     */
    static ErrorClass errorClassOf(HttpResponse<byte[]> response) {
        try {
            Optional<ErrorClass> reported = ErrorClass.ofLabel(
                    JSON.readTree(response.body()).path("error_class").asText(""));
            if (reported.isPresent()) {
                return reported.get();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: classified by the status below
        }
        int status = response.statusCode();
        return status == 503 || status == 429
                ? ErrorClass.QUOTA
                : status >= 400 && status < 500 ? ErrorClass.VALIDATION : ErrorClass.TRANSIENT;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
