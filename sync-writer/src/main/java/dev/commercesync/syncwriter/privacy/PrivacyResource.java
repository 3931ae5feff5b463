package dev.commercesync.syncwriter.privacy;

import dev.commercesync.syncwriter.target.postgres.PrivacyRequests;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The privacy requests the writer recorded (docs/privacy.md), behind the internal token like every path but health:
 * their status and deadline, a data request's export, and marking that export sent.
 */
@Path("/privacy/requests")
@Produces(MediaType.APPLICATION_JSON)
public class PrivacyResource {
    private final PrivacyRequests requests;

    public PrivacyResource(PrivacyRequests requests) {
        this.requests = requests;
    }

    /** {@code GET /privacy/requests?platform=shopify&store=acme.myshopify.com}: newest first. */
    @GET
    public List<PrivacyRequests.Status> list(
            @QueryParam("platform") String platform, @QueryParam("store") String store) {
        return requests.list(Optional.ofNullable(platform), Optional.ofNullable(store));
    }

    /** {@code GET /privacy/requests/export?request_id=…}: what the target holds of a data request's customer. */
    @GET
    @Path("/export")
    public Map<String, Object> export(@QueryParam("request_id") String requestId) {
        return requests.export(required(requestId))
                .orElseThrow(() -> new NotFoundException("no customer data request " + requestId));
    }

    /** {@code POST /privacy/requests/exported?request_id=…}: the export went to the merchant; the request is done. */
    @POST
    @Path("/exported")
    public Response exported(@QueryParam("request_id") String requestId) {
        if (!requests.markExported(required(requestId))) {
            throw new NotFoundException("no open customer data request " + requestId);
        }
        return Response.noContent().build();
    }

    private static String required(String requestId) {
        if (requestId == null || requestId.isBlank()) {
            throw new BadRequestException("request_id is required");
        }
        return requestId;
    }
}
