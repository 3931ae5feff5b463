package dev.commercesync.ingest.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.commercesync.ingest.ErrorAnswer;
import dev.commercesync.stores.ChannelRule;
import dev.commercesync.stores.Merchant.PhysicalMode;
import dev.commercesync.stores.MerchantRegistry;
import dev.commercesync.stores.MerchantRegistry.MerchantView;
import dev.commercesync.stores.MerchantRegistry.Refused;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The merchants' admin API (docs/webhook-ingest.md#merchants): merchants, the stores they own, where their physical
 * stock comes from, SKU link overrides and channel rules, all through {@link MerchantRegistry}. Store ids travel in
 * bodies and query parameters, never in paths (some contain slashes). Same admin token as {@link StoreAdminResource}.
 */
@Path("/admin/merchants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin: merchants", description = "Merchants, their stores, SKU links and channel rules")
@SecurityRequirement(name = "admin-token")
public class MerchantAdminResource {
    private static final Logger LOG = Logger.getLogger(MerchantAdminResource.class);

    public record NewMerchant(String id, @JsonProperty("display_name") String displayName) {}

    public record MerchantStore(String platform, @JsonProperty("store_id") String storeId) {}

    /** The source of physical stock, as sent and as shown. */
    public record PhysicalSource(
            String platform,
            @JsonProperty("store_id") String storeId,
            String mode,
            @JsonProperty("location_id") String locationId) {}

    /** An SKU link, as sent and as shown. */
    public record Link(
            String platform,
            @JsonProperty("store_id") String storeId,
            @JsonProperty("item_id") String itemId,
            @JsonProperty("pool_sku") String poolSku) {}

    public record ChannelRuleBody(
            String platform,
            @JsonProperty("store_id") String storeId,
            @JsonProperty("safety_buffer") Long safetyBuffer,
            @JsonProperty("zero_at") Long zeroAt,
            Integer percentage,
            @JsonProperty("max_listed") Long maxListed,
            @JsonProperty("location_id") String locationId) {}

    /** A merchant in the list. */
    public record MerchantSummary(
            String id,
            @JsonProperty("display_name") String displayName,
            @JsonProperty("store_count") int storeCount,
            @JsonProperty("link_count") int linkCount,
            @JsonProperty("has_physical_source") boolean hasPhysicalSource,
            @JsonProperty("updated_at") Instant updatedAt) {
        static MerchantSummary of(MerchantView m) {
            return new MerchantSummary(
                    m.id(), m.displayName(), m.stores().size(), m.links().size(), m.physical() != null, m.updatedAt());
        }
    }

    public record RuleAnswer(
            @JsonProperty("safety_buffer") long safetyBuffer,
            @JsonProperty("zero_at") Long zeroAt,
            int percentage,
            @JsonProperty("max_listed") Long maxListed,
            @JsonProperty("location_id") String locationId) {}

    /** One of the merchant's stores; {@code rule} null: none set, the pool's available is listed as it is. */
    public record ChannelAnswer(String platform, @JsonProperty("store_id") String storeId, RuleAnswer rule) {}

    /** A merchant with everything it configures. */
    public record MerchantAnswer(
            String id,
            @JsonProperty("display_name") String displayName,
            PhysicalSource physical,
            List<ChannelAnswer> stores,
            List<Link> links,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("updated_at") Instant updatedAt) {
        static MerchantAnswer of(MerchantView m) {
            return new MerchantAnswer(
                    m.id(),
                    m.displayName(),
                    m.physical() == null
                            ? null
                            : new PhysicalSource(
                                    m.physical().store().platform(),
                                    m.physical().store().storeId(),
                                    m.physical().mode().name(),
                                    m.physical().locationId()),
                    m.stores().stream()
                            .map(c -> new ChannelAnswer(
                                    c.store().platform(),
                                    c.store().storeId(),
                                    c.rule() == null
                                            ? null
                                            : new RuleAnswer(
                                                    c.rule().safetyBuffer(),
                                                    c.rule().zeroAt(),
                                                    c.rule().percentage(),
                                                    c.rule().maxListed(),
                                                    c.rule().locationId())))
                            .toList(),
                    m.links().stream()
                            .map(l -> new Link(l.store().platform(), l.store().storeId(), l.itemId(), l.poolSku()))
                            .toList(),
                    m.createdAt(),
                    m.updatedAt());
        }
    }

    private final MerchantRegistry registry;

    public MerchantAdminResource(MerchantRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Operation(summary = "List merchants")
    public List<MerchantSummary> list() {
        return registry.list().stream().map(MerchantSummary::of).toList();
    }

    @POST
    @Operation(summary = "Create a merchant: id 1-63 of [a-z0-9-], not starting with '-'")
    public Response create(NewMerchant merchant) {
        if (merchant == null) {
            return missingBody();
        }
        return answer(
                Response.Status.CREATED,
                merchant.id(),
                "created",
                () -> registry.create(merchant.id(), merchant.displayName()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A merchant with its stores, physical source, SKU links and channel rules")
    public Response show(@PathParam("id") String id) {
        return registry.find(id)
                .map(m -> Response.ok(MerchantAnswer.of(m)).build())
                .orElseGet(
                        () -> ErrorAnswer.response(Response.Status.NOT_FOUND, "unknown_merchant", "no merchant " + id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a merchant that has no stores (409 while it has)")
    public Response delete(@PathParam("id") String id) {
        try {
            registry.delete(id);
        } catch (Refused e) {
            return refused(e);
        }
        LOG.infof("merchant %s: deleted", id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/stores")
    @Operation(summary = "Attach a registered store to the merchant (409 when it belongs to another one)")
    public Response attach(@PathParam("id") String id, MerchantStore store) {
        if (store == null) {
            return missingBody();
        }
        return answer(
                Response.Status.OK, id, "store attached", () -> registry.attach(id, store.platform(), store.storeId()));
    }

    @DELETE
    @Path("/{id}/stores")
    @Operation(
            summary = "Detach a store from the merchant, with its SKU links and channel rule",
            description = "409 while it is the merchant's source of physical stock.")
    public Response detach(
            @PathParam("id") String id,
            @QueryParam("platform") String platform,
            @QueryParam("store_id") String storeId) {
        return answer(Response.Status.OK, id, "store detached", () -> registry.detach(id, platform, storeId));
    }

    @PUT
    @Path("/{id}/physical")
    @Operation(
            summary = "Designate the merchant's source of physical stock",
            description = "One of its stores; mode LOCATION (its level at location_id, or its only level) or"
                    + " SUM_OF_LOCATIONS (the sum over its locations; no location_id).")
    public Response setPhysical(@PathParam("id") String id, PhysicalSource body) {
        if (body == null) {
            return missingBody();
        }
        PhysicalMode mode;
        try {
            mode = body.mode() == null ? null : PhysicalMode.valueOf(body.mode().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return ErrorAnswer.response(
                    Response.Status.BAD_REQUEST,
                    "invalid_physical",
                    "mode must be one of " + Arrays.toString(PhysicalMode.values()));
        }
        return answer(
                Response.Status.OK,
                id,
                "physical source set",
                () -> registry.setPhysical(id, body.platform(), body.storeId(), mode, body.locationId()));
    }

    @DELETE
    @Path("/{id}/physical")
    @Operation(summary = "No store is the merchant's source of physical stock any more")
    public Response clearPhysical(@PathParam("id") String id) {
        return answer(Response.Status.OK, id, "physical source cleared", () -> registry.clearPhysical(id));
    }

    @PUT
    @Path("/{id}/links")
    @Operation(summary = "Link one item of one of the merchant's stores to the pool of pool_sku")
    public Response putLink(@PathParam("id") String id, Link link) {
        if (link == null) {
            return missingBody();
        }
        return answer(
                Response.Status.OK,
                id,
                "SKU link set",
                () -> registry.putLink(id, link.platform(), link.storeId(), link.itemId(), link.poolSku()));
    }

    @DELETE
    @Path("/{id}/links")
    @Operation(summary = "Remove an item's link: it is pooled by its own SKU again")
    public Response deleteLink(
            @PathParam("id") String id,
            @QueryParam("platform") String platform,
            @QueryParam("store_id") String storeId,
            @QueryParam("item_id") String itemId) {
        return answer(
                Response.Status.OK, id, "SKU link removed", () -> registry.deleteLink(id, platform, storeId, itemId));
    }

    @PUT
    @Path("/{id}/rules")
    @Operation(
            summary = "Set (replace) a channel's rule",
            description = "listed = available - safety_buffer; 0 when available <= zero_at;"
                    + " floor(listed * percentage / 100); at most max_listed; never below 0."
                    + " Absent fields: safety_buffer 0, percentage 100, no zero_at, no max_listed.")
    public Response putRule(@PathParam("id") String id, ChannelRuleBody body) {
        if (body == null) {
            return missingBody();
        }
        ChannelRule rule;
        try {
            rule = new ChannelRule(
                    body.safetyBuffer() == null ? 0 : body.safetyBuffer(),
                    body.zeroAt(),
                    body.percentage() == null ? 100 : body.percentage(),
                    body.maxListed(),
                    body.locationId());
        } catch (IllegalArgumentException e) {
            return ErrorAnswer.response(Response.Status.BAD_REQUEST, "invalid_rule", e.getMessage());
        }
        return answer(
                Response.Status.OK,
                id,
                "channel rule set",
                () -> registry.putRule(id, body.platform(), body.storeId(), rule));
    }

    @DELETE
    @Path("/{id}/rules")
    @Operation(summary = "Remove a channel's rule: it lists the pool's available as it is")
    public Response deleteRule(
            @PathParam("id") String id,
            @QueryParam("platform") String platform,
            @QueryParam("store_id") String storeId) {
        return answer(Response.Status.OK, id, "channel rule removed", () -> registry.deleteRule(id, platform, storeId));
    }

    /** The merchant after the change, or the refusal. */
    private static Response answer(Response.Status status, String id, String what, Supplier<MerchantView> change) {
        MerchantView changed;
        try {
            changed = change.get();
        } catch (Refused e) {
            return refused(e);
        }
        LOG.infof("merchant %s: %s", id, what);
        return Response.status(status).entity(MerchantAnswer.of(changed)).build();
    }

    private static Response refused(Refused e) {
        Response.Status status =
                switch (e.kind()) {
                    case INVALID -> Response.Status.BAD_REQUEST;
                    case NOT_FOUND -> Response.Status.NOT_FOUND;
                    case CONFLICT -> Response.Status.CONFLICT;
                };
        return ErrorAnswer.response(status, e.code(), e.getMessage());
    }

    private static Response missingBody() {
        return ErrorAnswer.response(Response.Status.BAD_REQUEST, "missing_body", "a JSON body is required");
    }
}
