package dev.commercesync.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.console.StoreActionViews.ActionRefused;
import dev.commercesync.console.StoreActionViews.ReconcileResult;
import dev.commercesync.console.StoreActionViews.ReconcileStatus;
import dev.commercesync.console.StoreActionViews.ReplayResult;
import dev.commercesync.console.StoreActionViews.StoreState;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.replay.Replay;
import dev.commercesync.schemas.canonical.EntityType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The store actions (docs/console.md#store-actions), each through the code that owns it:
 *
 * <ul>
 *   <li>disable, enable, rotate the webhook secret, replace the API credentials: webhook-ingest's {@code /admin/stores} (StoreAdminResource, the
 *       same API as {@code synctl stores}) with the admin token. Not the store registry directly: webhook-ingest
 *       validates the secret and the grace period, drops its cached copy of the store at once, and holds the key that
 *       encrypts secrets; the console never holds that key and never reads a secret;
 *   <li>reconcile: the reconciler's {@code POST /reconciliation/run} (as {@code synctl reconcile}) with the internal
 *       token;
 *   <li>replay: {@link Replay}, the code of {@code synctl replay}, in this process.
 * </ul>
 *
 * Every action is logged on the category {@code dev.commercesync.console.audit}: who (console), what, which store and
 * the outcome; never a secret.
 */
@ApplicationScoped
public class StoreActions {
    private static final Logger AUDIT = Logger.getLogger("dev.commercesync.console.audit");
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /** A new webhook secret (never logged: {@link #toString()} hides it) and how long the previous one stays valid. */
    public record Rotation(String webhookSecret, String gracePeriod) {
        @Override
        public String toString() {
            return "Rotation[grace_period=" + gracePeriod + "]";
        }
    }

    /**
     * New API credentials of a store (a revoked or expired token), in the registry's form: a token, {@code {"token":
     * ...}} or {@code {"key": ..., "secret": ...}}. Never logged: {@link #toString()} hides them.
     */
    public record Credentials(String apiCredentials) {
        @Override
        public String toString() {
            return "Credentials[***]";
        }
    }

    /** @param entityType one entity type, or all the reconciler's; @param full list every bucket */
    public record ReconcileRequest(String entityType, Boolean full) {}

    /**
     * The window of a replay: {@code from} (or {@code last}, a duration before {@code to}) and {@code to} (default
     * now); without {@code confirm} a dry run.
     */
    public record ReplayRequest(String from, String to, String last, String entityType, Boolean confirm) {}

    private final ServiceClient webhookIngest;
    private final ServiceClient reconciler;
    private final Duration reconcileTimeout;
    private final Duration maxReplayWindow;
    private final ConsoleService console;
    private final Normalization normalization = new Normalization(PlatformRegistry.loadInstalled());
    private final Clock clock = Clock.systemUTC();

    public StoreActions(
            ConsoleService console,
            @ConfigProperty(name = "commercesync.console.webhook-ingest-url") URI webhookIngestUrl,
            @ConfigProperty(name = "commercesync.admin.token") Optional<String> adminToken,
            @ConfigProperty(name = "commercesync.console.reconciler-url") URI reconcilerUrl,
            @ConfigProperty(name = "commercesync.internal.token") Optional<String> internalToken,
            @ConfigProperty(name = "commercesync.console.reconcile-timeout", defaultValue = "PT2M")
                    Duration reconcileTimeout,
            @ConfigProperty(name = "commercesync.console.replay-max-window", defaultValue = "P30D")
                    Duration maxReplayWindow) {
        this.console = console;
        this.webhookIngest = new ServiceClient("webhook-ingest", webhookIngestUrl, adminToken);
        this.reconciler = new ServiceClient("the reconciler", reconcilerUrl, internalToken);
        this.reconcileTimeout = reconcileTimeout;
        this.maxReplayWindow = maxReplayWindow;
    }

    public StoreState disable(String platform, String store) throws InterruptedException {
        return admin("disable", platform, store, "/disable", ref(store), "Store disabled: its webhooks are refused");
    }

    public StoreState enable(String platform, String store) throws InterruptedException {
        return admin("enable", platform, store, "/enable", ref(store), "Store enabled");
    }

    /** The new secret goes to webhook-ingest only; the answer and the log never contain it. */
    public StoreState rotate(String platform, String store, Rotation rotation) throws InterruptedException {
        if (rotation == null
                || rotation.webhookSecret() == null
                || rotation.webhookSecret().isBlank()) {
            throw refused("rotate", platform, store, 400, "invalid_rotation", "webhook_secret is required");
        }
        ObjectNode body = ref(store);
        body.put("webhook_secret", rotation.webhookSecret().strip());
        if (rotation.gracePeriod() != null && !rotation.gracePeriod().isBlank()) {
            Duration grace = duration("rotate", platform, store, "grace_period", rotation.gracePeriod());
            body.put("grace_period", grace.toString());
        }
        return admin("rotate", platform, store, "/secret-rotations", body, "Webhook secret rotated");
    }

    /**
     * Replaces the store's API credentials through webhook-ingest (which validates and encrypts them); the poller uses
     * them at its next call, so a store waiting for a person because its credentials were refused is polled again. The
     * answer and the audit log never contain them.
     */
    public StoreState replaceCredentials(String platform, String store, Credentials credentials)
            throws InterruptedException {
        if (credentials == null
                || credentials.apiCredentials() == null
                || credentials.apiCredentials().isBlank()) {
            throw refused("credentials", platform, store, 400, "invalid_credentials", "api_credentials is required");
        }
        ObjectNode body = ref(store);
        body.put("api_credentials", credentials.apiCredentials().strip());
        return admin(
                "credentials",
                platform,
                store,
                "/api-credentials",
                body,
                "API credentials replaced: the poller uses them at its next call");
    }

    /** Runs a pass on the reconciler and waits for it up to {@code commercesync.console.reconcile-timeout}. */
    public ReconcileResult reconcile(String platform, String store, ReconcileRequest request)
            throws InterruptedException {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("platform", platform);
        body.put("store", store);
        if (request != null
                && request.entityType() != null
                && !request.entityType().isBlank()) {
            body.put("entity_type", request.entityType().strip());
        }
        body.put("full", request != null && Boolean.TRUE.equals(request.full()));
        ServiceClient.Answer answer;
        try {
            answer = reconciler.post("/reconciliation/run", body, reconcileTimeout);
        } catch (ServiceClient.Unreachable e) {
            if (e.timedOut) {
                String message = "Reconciliation started; still running after " + reconcileTimeout
                        + ": its outcome appears in the store's RECONCILE operations";
                audit("reconcile", platform, store, "running");
                return new ReconcileResult(platform, store, ReconcileStatus.RUNNING, message, null);
            }
            throw refused("reconcile", platform, store, 502, "reconciler_unreachable", e.getMessage());
        }
        return switch (answer.status()) {
            case 200, 502 -> {
                if (answer.status() == 502 && !answer.body().has("types")) {
                    throw refused("reconcile", platform, store, 502, "reconciler_failed", answer.message());
                }
                ReconcileStatus status = answer.status() == 200 ? ReconcileStatus.FINISHED : ReconcileStatus.FAILED;
                String message = summary(answer.body(), status);
                audit("reconcile", platform, store, status.name().toLowerCase(Locale.ROOT) + " " + message);
                yield new ReconcileResult(platform, store, status, message, answer.body());
            }
            case 400 -> throw refused("reconcile", platform, store, 400, "invalid_request", answer.message());
            case 404 ->
                throw refused(
                        "reconcile",
                        platform,
                        store,
                        404,
                        "unknown_store",
                        "the store registry has no store " + key(platform, store));
            default ->
                throw refused(
                        "reconcile", platform, store, 502, "reconciler_refused", refusal("the reconciler", answer));
        };
    }

    /**
     * Replays the store's raw records of the window ({@link Replay}); without {@code confirm} a dry run that publishes
     * nothing and says how many records would be replayed.
     */
    public ReplayResult replay(String platform, String store, ReplayRequest request) {
        ReplayRequest r = request != null ? request : new ReplayRequest(null, null, null, null, null);
        Replay.Window window = window(platform, store, r);
        boolean dryRun = !Boolean.TRUE.equals(r.confirm());
        Replay.Summary summary;
        try (PipelineKafka kafka = console.kafka()) {
            summary = new Replay(kafka, console.topics(), normalization, "console replay")
                    .run(window, dryRun, new Replay.Listener() {});
        }
        String message = dryRun
                ? summary.records() + " records would be replayed (" + summary.produced() + " events: "
                        + summary.changed() + " changed, " + summary.added() + " new, " + summary.unchanged()
                        + " unchanged; " + summary.quarantined() + " would be quarantined)"
                : "Replayed " + summary.records() + " records: " + summary.produced() + " events published ("
                        + summary.changed() + " changed, " + summary.added() + " new, " + summary.unchanged()
                        + " unchanged), " + summary.quarantined() + " quarantined";
        audit(
                dryRun ? "replay-dry-run" : "replay",
                platform,
                store,
                "window " + window.from() + ".." + window.to() + (window.entity() == null ? "" : " " + window.entity())
                        + ": " + message);
        return new ReplayResult(
                platform,
                store,
                window.from(),
                window.to(),
                window.entity() == null ? null : window.entity().name(),
                dryRun,
                summary.records(),
                summary.read(),
                summary.produced(),
                summary.changed(),
                summary.added(),
                summary.unchanged(),
                summary.quarantined(),
                summary.thin(),
                message);
    }

    private Replay.Window window(String platform, String store, ReplayRequest r) {
        Instant now = clock.instant();
        Instant to = blank(r.to()) ? now.truncatedTo(ChronoUnit.SECONDS) : instant(platform, store, "to", r.to());
        Instant from;
        if (!blank(r.last())) {
            if (!blank(r.from())) {
                throw refused("replay", platform, store, 400, "invalid_window", "give from or last, not both");
            }
            Duration last = duration("replay", platform, store, "last", r.last());
            if (last.isNegative() || last.isZero()) {
                throw refused("replay", platform, store, 400, "invalid_window", "last must be positive");
            }
            from = to.minus(last);
        } else if (!blank(r.from())) {
            from = instant(platform, store, "from", r.from());
        } else {
            throw refused("replay", platform, store, 400, "invalid_window", "from or last is required");
        }
        if (to.isAfter(now)) {
            throw refused("replay", platform, store, 400, "invalid_window", "to is in the future");
        }
        if (!from.isBefore(to)) {
            throw refused("replay", platform, store, 400, "invalid_window", "from must be before to");
        }
        if (Duration.between(from, to).compareTo(maxReplayWindow) > 0) {
            throw refused(
                    "replay", platform, store, 400, "invalid_window", "the window is longer than " + maxReplayWindow);
        }
        EntityType entity = null;
        if (!blank(r.entityType())) {
            try {
                entity = EntityType.valueOf(r.entityType().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw refused(
                        "replay",
                        platform,
                        store,
                        400,
                        "invalid_window",
                        "entity_type must be one of " + List.of(EntityType.values()));
            }
        }
        return new Replay.Window(from, to, platform, store, entity);
    }

    private StoreState admin(String action, String platform, String store, String path, ObjectNode body, String done)
            throws InterruptedException {
        ServiceClient.Answer answer;
        try {
            answer = webhookIngest.post("/admin/stores/" + encode(platform) + path, body, ADMIN_TIMEOUT);
        } catch (ServiceClient.Unreachable e) {
            throw refused(action, platform, store, 502, "webhook_ingest_unreachable", e.getMessage());
        }
        switch (answer.status()) {
            case 200 -> {
                JsonNode s = answer.body();
                String until = s.path("previous_secret_valid_until").asText(null);
                Instant validUntil = until == null ? null : Instant.parse(until);
                String message = validUntil != null && "rotate".equals(action)
                        ? done + "; the previous one is accepted until " + validUntil
                        : done;
                audit(action, platform, store, "done");
                return new StoreState(
                        s.path("platform").asText(platform),
                        s.path("store_id").asText(store),
                        s.path("enabled").asBoolean(),
                        validUntil,
                        message);
            }
            case 400 ->
                throw refused(
                        action,
                        platform,
                        store,
                        400,
                        answer.body().path("error").asText("invalid"),
                        answer.message());
            case 404 ->
                throw refused(
                        action,
                        platform,
                        store,
                        404,
                        "unknown_store",
                        "the store registry has no store " + key(platform, store));
            default ->
                throw refused(
                        action, platform, store, 502, "webhook_ingest_refused", refusal("webhook-ingest", answer));
        }
    }

    private static String refusal(String service, ServiceClient.Answer answer) {
        return service + " refused (HTTP " + answer.status() + ", "
                + answer.body().path("error").asText("no error code") + ")"
                + (answer.status() == 401 || answer.status() == 503
                        ? ": check the console's tokens (docs/auth.md)"
                        : "");
    }

    /** "Reconciliation run …: N findings, M platform API calls", and the types that failed. */
    private static String summary(JsonNode report, ReconcileStatus status) {
        int findings = 0;
        StringBuilder failed = new StringBuilder();
        for (JsonNode type : report.path("types")) {
            findings += type.path("findings").size();
            if (type.hasNonNull("error")) {
                failed.append(failed.isEmpty() ? "" : "; ")
                        .append(type.path("entity_type").asText())
                        .append(": ")
                        .append(type.path("error").asText());
            }
        }
        return "Reconciliation " + report.path("run_id").asText("") + " "
                + (status == ReconcileStatus.FINISHED ? "finished" : "failed") + ": " + findings + " findings, "
                + report.path("api_calls").asInt() + " platform API calls"
                + (failed.isEmpty() ? "" : " (failed: " + failed + ")");
    }

    private Instant instant(String platform, String store, String field, String value) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw refused(
                    "replay",
                    platform,
                    store,
                    400,
                    "invalid_window",
                    field + " must be an ISO-8601 instant, e.g. 2026-12-07T06:00:00Z");
        }
    }

    private Duration duration(String action, String platform, String store, String field, String value) {
        try {
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw refused(
                    action,
                    platform,
                    store,
                    400,
                    "replay".equals(action) ? "invalid_window" : "invalid_rotation",
                    field + " must be an ISO-8601 duration, e.g. PT6H or P1D");
        }
    }

    private static ObjectNode ref(String store) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("store_id", store);
        return body;
    }

    private ActionRefused refused(
            String action, String platform, String store, int status, String error, String message) {
        audit(action, platform, store, "refused " + status + " " + error + ": " + message);
        return new ActionRefused(status, error, message);
    }

    private static void audit(String action, String platform, String store, String outcome) {
        AUDIT.infof("who=console action=%s store=%s outcome=%s", action, key(platform, store), outcome);
    }

    private static String key(String platform, String store) {
        return PipelineRecords.storeKey(platform, store);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
