package dev.commercesync.console;

import dev.commercesync.console.StoreActionViews.ActionRefused;
import dev.commercesync.console.StoreActionViews.ReplayResult;
import dev.commercesync.console.StoreActions.Credentials;
import dev.commercesync.console.StoreActions.ReconcileRequest;
import dev.commercesync.console.StoreActions.ReplayRequest;
import dev.commercesync.console.StoreActions.Rotation;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The store page's action forms (store-actions.html): each posts here, does the action through {@link StoreActions}
 * and goes back to the store page with its outcome as a notice (or a warning when refused). A replay first shows its
 * dry run ("N records would be replayed") on a page of its own, with the confirmation form.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class StoreActionPages {
    private final StoreActions actions;
    private final Template replayConfirm;

    public StoreActionPages(StoreActions actions, @Location("replay-confirm") Template replayConfirm) {
        this.actions = actions;
        this.replayConfirm = replayConfirm;
    }

    @POST
    @Path("/stores/{platform}/{store}/disable")
    @Operation(hidden = true)
    public Response disable(@PathParam("platform") String platform, @PathParam("store") String store)
            throws InterruptedException {
        return back(platform, store, () -> actions.disable(platform, store).message());
    }

    @POST
    @Path("/stores/{platform}/{store}/enable")
    @Operation(hidden = true)
    public Response enable(@PathParam("platform") String platform, @PathParam("store") String store)
            throws InterruptedException {
        return back(platform, store, () -> actions.enable(platform, store).message());
    }

    @POST
    @Path("/stores/{platform}/{store}/secret-rotation")
    @Operation(hidden = true)
    public Response rotate(
            @PathParam("platform") String platform,
            @PathParam("store") String store,
            @FormParam("webhook_secret") String secret,
            @FormParam("grace_period") String grace)
            throws InterruptedException {
        return back(platform, store, () -> actions.rotate(platform, store, new Rotation(secret, grace))
                .message());
    }

    @POST
    @Path("/stores/{platform}/{store}/api-credentials")
    @Operation(hidden = true)
    public Response replaceCredentials(
            @PathParam("platform") String platform,
            @PathParam("store") String store,
            @FormParam("api_credentials") String credentials)
            throws InterruptedException {
        return back(platform, store, () -> actions.replaceCredentials(platform, store, new Credentials(credentials))
                .message());
    }

    @POST
    @Path("/stores/{platform}/{store}/reconciliation")
    @Operation(hidden = true)
    public Response reconcile(
            @PathParam("platform") String platform,
            @PathParam("store") String store,
            @FormParam("entity_type") String entityType,
            @FormParam("full") String full)
            throws InterruptedException {
        return back(platform, store, () -> actions.reconcile(
                        platform, store, new ReconcileRequest(entityType, full != null && !full.isBlank()))
                .message());
    }

    /** Without {@code confirm}: the dry run's page; with it: the replay, then back to the store page. */
    @POST
    @Path("/stores/{platform}/{store}/replay")
    @Operation(hidden = true)
    public Response replay(
            @PathParam("platform") String platform,
            @PathParam("store") String store,
            @FormParam("from") String from,
            @FormParam("to") String to,
            @FormParam("last") String last,
            @FormParam("entity_type") String entityType,
            @FormParam("confirm") String confirm)
            throws InterruptedException {
        boolean confirmed = "true".equals(confirm);
        if (confirmed) {
            return back(platform, store, () -> actions.replay(
                            platform, store, new ReplayRequest(from, to, last, entityType, true))
                    .message());
        }
        try {
            ReplayResult dryRun = actions.replay(platform, store, new ReplayRequest(from, to, last, entityType, false));
            return Response.ok(replayConfirm.data("result", dryRun)).build();
        } catch (ActionRefused e) {
            return redirect(platform, store, "warning", e.getMessage());
        }
    }

    private interface Action {
        String run() throws InterruptedException;
    }

    private static Response back(String platform, String store, Action action) throws InterruptedException {
        try {
            return redirect(platform, store, "notice", action.run());
        } catch (ActionRefused e) {
            return redirect(platform, store, "warning", e.getMessage());
        }
    }

    private static Response redirect(String platform, String store, String kind, String text) {
        return Response.seeOther(UriBuilder.fromPath("/console/stores")
                        .path(platform)
                        .path(store)
                        .queryParam(kind, text)
                        .build())
                .build();
    }
}
