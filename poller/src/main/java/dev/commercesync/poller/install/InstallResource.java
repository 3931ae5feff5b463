package dev.commercesync.poller.install;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.poller.install.StoreInstaller.InstallRefusedException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
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
            @QueryParam("store") String store,
            @QueryParam("store_url") String storeUrl,
            @QueryParam("region") String region) {
        String given = shop != null ? shop : store != null ? store : storeUrl;
        try {
            return Response.status(Response.Status.FOUND)
                    .location(installer.begin(platform, given, java.util.Optional.ofNullable(region)))
                    .header("Cache-Control", "no-store")
                    .build();
        } catch (InstallRefusedException e) {
            return refused(e);
        }
    }

    @GET
    @Path("{platform}/callback")
    public Response callback(@PathParam("platform") String platform, @Context UriInfo uri) {
        return complete(platform, firstValues(uri));
    }

    private Response complete(String platform, Map<String, String> callback) {
        try {
            StoreInstaller.Installed installed = installer.complete(platform, callback);
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

    /**
     * A callback the platform POSTs server to server with a JSON object (WooCommerce's key delivery to {@code
     * callback_url}); its fields are checked as a GET callback's query is.
     */
    @POST
    @Path("{platform}/callback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response postedCallback(@PathParam("platform") String platform, Map<String, Object> body) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body != null) {
            body.forEach((name, value) -> {
                if (value != null && !(value instanceof Map) && !(value instanceof java.util.Collection)) {
                    fields.put(name, value.toString());
                }
            });
        }
        return complete(platform, fields);
    }

    /**
     * A callback the platform POSTs server to server as a form (Adobe Commerce's integration activation: {@code
     * oauth_consumer_key}, {@code oauth_consumer_secret}, {@code store_base_url}, {@code oauth_verifier}); checked as
     * a GET callback's query is.
     */
    @POST
    @Path("{platform}/callback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response formCallback(@PathParam("platform") String platform, MultivaluedMap<String, String> form) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (form != null) {
            form.forEach((name, values) -> {
                if (!values.isEmpty()) {
                    fields.put(name, values.get(0));
                }
            });
        }
        return complete(platform, fields);
    }

    /**
     * Where the platform sends the merchant's browser after a POSTed callback (WooCommerce's {@code return_url}): the
     * install's outcome is the callback's; this only tells the merchant whether they approved.
     */
    @GET
    @Path("{platform}/returned")
    public Response returned(@PathParam("platform") String platform, @QueryParam("success") String success) {
        boolean approved = "1".equals(success);
        return Response.ok(Map.of(
                        "status",
                        approved ? "approved" : "not_approved",
                        "message",
                        approved
                                ? "the store sent its keys; check the connection under /connections/" + platform
                                : "the store's keys were not approved: start the install again"))
                .header("Cache-Control", "no-store")
                .build();
    }

    /**
     * A signed notice of the platform's about the app at a store ({@code load}, {@code uninstall}: BigCommerce's
     * callbacks with {@code signed_payload_jwt}); refused (401) unless the adapter verifies it.
     */
    @GET
    @Path("{platform}/{notice:load|uninstall}")
    public Response notice(
            @PathParam("platform") String platform, @PathParam("notice") String notice, @Context UriInfo uri) {
        try {
            StoreInstaller.Noticed noticed = installer.notice(platform, notice, firstValues(uri));
            return Response.ok(new InstallAnswer(
                            noticed.kind() == InstallFlow.NoticeKind.UNINSTALL ? "uninstalled" : "loaded",
                            noticed.platform(),
                            noticed.storeId(),
                            false,
                            noticed.connection()))
                    .header("Cache-Control", "no-store")
                    .build();
        } catch (InstallRefusedException e) {
            return refused(e);
        }
    }

    private static Map<String, String> firstValues(UriInfo uri) {
        Map<String, String> query = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                query.put(name, values.get(0));
            }
        });
        return query;
    }

    private static Response refused(InstallRefusedException e) {
        return Response.status(e.status())
                .entity(Map.of("error", e.error(), "message", e.getMessage()))
                .build();
    }
}
