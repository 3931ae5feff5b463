package dev.commercesync.poller.install;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.commercesync.poller.install.StoreInstaller.InstallRefusedException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platforms' app install flows (docs/install.md): {@code GET /install/{platform}} and its callback are open, like
 * webhooks, because the merchant's browser and the platform call them; they store nothing before the callback's
 * signature and state nonce verified. {@link ConnectionResource} checks a store's connection.
 */
@Path("/install")
@Produces(MediaType.APPLICATION_JSON)
public class InstallResource {
    /** What the callback answers: the store connected, and what works of its connection. */
    public record InstallAnswer(
            String status,
            String platform,
            @JsonProperty("store_id") String storeId,
            boolean reinstalled,
            ConnectionCheck connection) {}

    private final StoreInstaller installer;

    public InstallResource(StoreInstaller installer) {
        this.installer = installer;
    }

    @GET
    @Path("{platform}")
    public Response begin(
            @PathParam("platform") String platform,
            @QueryParam("shop") String shop,
            @QueryParam("store") String store) {
        try {
            return Response.status(Response.Status.FOUND)
                    .location(installer.begin(platform, shop != null ? shop : store))
                    .header("Cache-Control", "no-store")
                    .build();
        } catch (InstallRefusedException e) {
            return refused(e);
        }
    }

    @GET
    @Path("{platform}/callback")
    public Response callback(@PathParam("platform") String platform, @Context UriInfo uri) {
        Map<String, String> query = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                query.put(name, values.get(0));
            }
        });
        try {
            StoreInstaller.Installed installed = installer.complete(platform, query);
            return Response.ok(new InstallAnswer(
                            "connected",
                            installed.platform(),
                            installed.storeId(),
                            installed.reinstalled(),
                            installed.connection()))
                    .header("Cache-Control", "no-store")
                    .build();
        } catch (InstallRefusedException e) {
            return refused(e);
        }
    }

    private static Response refused(InstallRefusedException e) {
        return Response.status(e.status())
                .entity(Map.of("error", e.error(), "message", e.getMessage()))
                .build();
    }
}
