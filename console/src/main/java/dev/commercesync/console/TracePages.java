package dev.commercesync.console;

import dev.commercesync.kafka.EntityTrace.Trace;
import dev.commercesync.schemas.canonical.EntityType;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The entity trace page ({@code /console/trace}, behind the browser session like every {@code /console} page): a search
 * form and the timeline of one entity. The search field takes a platform id, an order number or a customer email: the
 * page traces the id and lists the orders whose number or email it is.
 */
@Path("/console/trace")
@Produces(MediaType.TEXT_HTML)
public class TracePages {
    /** An order a number or email search found, and the page of its trace. */
    public record OrderLink(String id, String href) {}

    private final TraceService traces;
    private final Template trace;

    public TracePages(TraceService traces, Template trace) {
        this.traces = traces;
        this.trace = trace;
    }

    @GET
    @Operation(hidden = true)
    public Response page(
            @QueryParam("platform") String platform,
            @QueryParam("store") String store,
            @QueryParam("q") String q,
            @QueryParam("entity_type") String entityType,
            @QueryParam("since") String since) {
        TemplateInstance page = trace.data("platform", platform)
                .data("store", store)
                .data("q", q)
                .data("entityType", entityType)
                .data("since", since == null || since.isBlank() ? "24h" : since)
                .data("types", List.of(EntityType.values()))
                .data("trace", null)
                .data("orders", List.of())
                .data("error", null);
        boolean searched = platform != null || store != null || q != null;
        if (!searched) {
            return Response.ok(page).build();
        }
        TraceService.Query query;
        try {
            query = TraceService.Query.parse(platform, store, q, entityType, since);
        } catch (IllegalArgumentException e) {
            return Response.status(400)
                    .entity(page.data("error", e.getMessage().replace("entity_id", "the id, number or email")))
                    .build();
        }
        Trace found = traces.trace(query);
        List<OrderLink> orders = traces.findOrders(query).stream()
                .filter(id -> !id.equals(query.entityId()))
                .map(id -> new OrderLink(
                        id,
                        UriBuilder.fromPath("/console/trace")
                                .queryParam("platform", query.platform())
                                .queryParam("store", query.store())
                                .queryParam("q", id)
                                .queryParam("entity_type", EntityType.ORDER.name())
                                .queryParam("since", since == null || since.isBlank() ? "24h" : since)
                                .build()
                                .toString()))
                .toList();
        if (found.steps().isEmpty() && orders.size() == 1) {
            // An order number or email that names one order: show that order's trace at once.
            found = traces.trace(new TraceService.Query(
                    query.platform(), query.store(), orders.get(0).id(), EntityType.ORDER, query.since()));
        }
        return Response.ok(page.data("trace", found).data("orders", orders)).build();
    }
}
