package dev.commercesync.console;

import dev.commercesync.console.StoreActionViews.ActionRefused;
import dev.commercesync.console.StoreActionViews.ReconcileResult;
import dev.commercesync.console.StoreActions.Credentials;
import dev.commercesync.console.StoreActions.ReconcileRequest;
import dev.commercesync.console.StoreActions.ReplayRequest;
import dev.commercesync.console.StoreActions.Rotation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The store actions of the operations API (docs/console.md#store-actions): disable, enable, rotate the webhook secret,
 * replace the API credentials, reconcile, replay. Behind the internal token like all of {@code /api}; see {@link StoreActions} for where each is
 * done.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "store actions")
@SecurityRequirement(name = "internal-token")
public class StoreActionsApi {
    private final StoreActions actions;

    public StoreActionsApi(StoreActions actions) {
        this.actions = actions;
    }

    @POST
    @Path("/stores/{platform}/{store}/disable")
    @Operation(
            summary = "Disable a store",
            description =
                    "Through webhook-ingest's admin API: its webhooks are answered 404 until it is enabled again.")
    @APIResponse(responseCode = "200", description = "Disabled")
    @APIResponse(responseCode = "404", description = "No such store in the registry")
    @APIResponse(responseCode = "502", description = "webhook-ingest refused or did not answer")
    public Response disable(@PathParam("platform") String platform, @PathParam("store") String store)
            throws InterruptedException {
        return answer(() -> actions.disable(platform, store), 200);
    }

    @POST
    @Path("/stores/{platform}/{store}/enable")
    @Operation(summary = "Enable a disabled store", description = "Through webhook-ingest's admin API.")
    @APIResponse(responseCode = "200", description = "Enabled")
    @APIResponse(responseCode = "404", description = "No such store in the registry")
    @APIResponse(responseCode = "502", description = "webhook-ingest refused or did not answer")
    public Response enable(@PathParam("platform") String platform, @PathParam("store") String store)
            throws InterruptedException {
        return answer(() -> actions.enable(platform, store), 200);
    }

    @POST
    @Path("/stores/{platform}/{store}/secret-rotation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Rotate a store's webhook secret",
            description = "Body: {\"webhook_secret\": \"<new secret>\", \"grace_period\": \"PT24H\"}. Through"
                    + " webhook-ingest's admin API, which validates it (16 to 8192 characters; grace period PT0S to"
                    + " P30D, default PT24H) and encrypts it. The new secret is never answered, shown or logged.")
    @APIResponse(responseCode = "200", description = "Rotated: the store, without any secret")
    @APIResponse(responseCode = "400", description = "No or an invalid secret, an invalid grace period")
    @APIResponse(responseCode = "404", description = "No such store in the registry")
    @APIResponse(responseCode = "502", description = "webhook-ingest refused or did not answer")
    public Response rotate(@PathParam("platform") String platform, @PathParam("store") String store, Rotation rotation)
            throws InterruptedException {
        return answer(() -> actions.rotate(platform, store, rotation), 200);
    }

    @POST
    @Path("/stores/{platform}/{store}/api-credentials")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Replace a store's API credentials",
            description = "Body: {\"api_credentials\": \"<token>\"} (or {\"token\": ...} / {\"key\": ..., \"secret\":"
                    + " ...} as JSON text). For a revoked or expired token: through webhook-ingest's admin API, which"
                    + " validates and encrypts them; the poller uses them at its next call. Never answered, shown or"
                    + " logged.")
    @APIResponse(responseCode = "200", description = "Replaced: the store, without any secret")
    @APIResponse(responseCode = "400", description = "No or malformed credentials")
    @APIResponse(responseCode = "404", description = "No such store in the registry")
    @APIResponse(responseCode = "502", description = "webhook-ingest refused or did not answer")
    public Response replaceCredentials(
            @PathParam("platform") String platform, @PathParam("store") String store, Credentials credentials)
            throws InterruptedException {
        return answer(() -> actions.replaceCredentials(platform, store, credentials), 200);
    }

    @POST
    @Path("/stores/{platform}/{store}/reconciliation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Run a reconciliation pass of the store now",
            description =
                    "Body: {} (every entity type, by counts) or {\"entity_type\": \"ORDER\", \"full\": false}. The"
                            + " reconciler's POST"
                            + " /reconciliation/run; the console waits for it up to commercesync.console.reconcile-timeout"
                            + " (PT2M), then answers 202 RUNNING while the pass goes on.")
    @APIResponse(responseCode = "200", description = "FINISHED, with the reconciler's report")
    @APIResponse(responseCode = "202", description = "RUNNING: still running after the console's timeout")
    @APIResponse(responseCode = "400", description = "Unknown entity type")
    @APIResponse(responseCode = "404", description = "No such store in the registry")
    @APIResponse(
            responseCode = "502",
            description = "FAILED (the platform view or target failed for every type, with the report), or the"
                    + " reconciler refused or is unreachable")
    public Response reconcile(
            @PathParam("platform") String platform, @PathParam("store") String store, ReconcileRequest request)
            throws InterruptedException {
        try {
            ReconcileResult result = actions.reconcile(platform, store, request);
            int status =
                    switch (result.status()) {
                        case FINISHED -> 200;
                        case RUNNING -> 202;
                        case FAILED -> 502;
                    };
            return Response.status(status).entity(result).build();
        } catch (ActionRefused e) {
            return error(e);
        }
    }

    @POST
    @Path("/stores/{platform}/{store}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Replay the store's raw records of a time window",
            description = "Body: {\"from\": \"2026-12-07T06:00:00Z\", \"to\": \"2026-12-07T08:00:00Z\"} or {\"last\":"
                    + " \"PT6H\"} (to defaults to now), optionally \"entity_type\". Re-runs normalization with the"
                    + " console's mapping code over the records (synctl replay's code) and publishes the canonical"
                    + " events with source REPLAY. Without \"confirm\": true a dry run that publishes nothing and says"
                    + " how many records would be replayed; confirm with the from and to it answered.")
    @APIResponse(responseCode = "200", description = "The dry run's or the replay's counts")
    @APIResponse(responseCode = "400", description = "An invalid window: not ISO-8601, from after to, to in the future")
    public Response replay(
            @PathParam("platform") String platform, @PathParam("store") String store, ReplayRequest request)
            throws InterruptedException {
        return answer(() -> actions.replay(platform, store, request), 200);
    }

    private interface Action<T> {
        T run() throws InterruptedException;
    }

    private static <T> Response answer(Action<T> action, int status) throws InterruptedException {
        try {
            return Response.status(status).entity(action.run()).build();
        } catch (ActionRefused e) {
            return error(e);
        }
    }

    static Response error(ActionRefused e) {
        return Response.status(e.status())
                .entity(Map.of("error", e.error(), "message", e.getMessage()))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }
}
