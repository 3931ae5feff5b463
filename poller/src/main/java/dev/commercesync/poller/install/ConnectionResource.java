package dev.commercesync.poller.install;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** {@code GET /connections/{platform}?store_id=} (internal token): what works of a store's connection (docs/install.md). */
@Path("/connections")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionResource {
    private final StoreInstaller installer;

    public ConnectionResource(StoreInstaller installer) {
        this.installer = installer;
    }

    @GET
    @Path("{platform}")
    public Response connection(@PathParam("platform") String platform, @QueryParam("store_id") String storeId) {
        if (storeId == null || storeId.isBlank()) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Map.of("error", "invalid_store", "message", "store_id is required"))
                    .build();
        }
        return installer
                .check(platform, storeId)
                .map(check -> Response.ok(check).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(Map.of("error", "unknown_store"))
                        .build());
    }
}
