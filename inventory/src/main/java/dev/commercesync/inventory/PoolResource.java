package dev.commercesync.inventory;

import dev.commercesync.inventory.pool.MerchantState;
import dev.commercesync.inventory.pool.PoolJson;
import dev.commercesync.inventory.pool.PoolState;
import dev.commercesync.inventory.pool.PoolStores;
import dev.commercesync.inventory.pool.PoolView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The pools, answered from the local stores of the instance that holds the merchant (Kafka Streams interactive
 * queries): a request for a merchant held by another replica is forwarded to it once, with the internal token, and its
 * answer returned as it is (docs/inventory.md, "Guarantees and limits"). Internal token, as every path but the health
 * probes. 503 while the stores are being restored or rebalanced, or when the holding instance does not answer.
 */
@Path("/pools")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class PoolResource {

    private final KafkaStreams streams;
    private final MerchantConfigs configs;
    private final PoolLocator locator;
    private final PoolForwarder forwarder;

    public PoolResource(
            KafkaStreams streams,
            MerchantConfigs configs,
            @ConfigProperty(name = "quarkus.kafka-streams.application-server") Optional<String> applicationServer,
            @ConfigProperty(name = "commercesync.internal.token") Optional<String> internalToken) {
        this.streams = streams;
        this.configs = configs;
        this.locator = new PoolLocator(streams, applicationServer);
        this.forwarder = new PoolForwarder(internalToken);
    }

    @GET
    @Path("/{merchant}")
    public Response pools(
            @PathParam("merchant") String merchant,
            @Context UriInfo uri,
            @HeaderParam(PoolForwarder.FORWARDED) String forwardedBy) {
        return routed(uri, forwardedBy, merchant, PoolStores.POOLS, () -> {
            var view = configs.merchant(merchant).orElse(null);
            List<PoolView> pools = new ArrayList<>();
            try (var it = this.<PoolState>store(PoolStores.POOLS)
                    .prefixScan(merchant + "/", Serdes.String().serializer())) {
                it.forEachRemaining(kv -> pools.add(PoolView.of(kv.value, view)));
            }
            return Response.ok(json(Map.of("merchant", merchant, "pools", pools)));
        });
    }

    @GET
    @Path("/{merchant}/{sku}")
    public Response pool(
            @PathParam("merchant") String merchant,
            @PathParam("sku") String sku,
            @Context UriInfo uri,
            @HeaderParam(PoolForwarder.FORWARDED) String forwardedBy) {
        return routed(uri, forwardedBy, merchant, PoolStores.POOLS, () -> {
            PoolState pool = this.<PoolState>store(PoolStores.POOLS).get(merchant + "/" + sku);
            if (pool == null) {
                return Response.status(404).entity(json(Map.of("error", "no_pool", "message", "no pool for " + sku)));
            }
            return Response.ok(json(PoolView.of(pool, configs.merchant(merchant).orElse(null))));
        });
    }

    @GET
    @Path("/{merchant}/oversells")
    public Response oversells(
            @PathParam("merchant") String merchant,
            @Context UriInfo uri,
            @HeaderParam(PoolForwarder.FORWARDED) String forwardedBy) {
        return routed(uri, forwardedBy, merchant, PoolStores.MERCHANTS, () -> {
            MerchantState m = this.<MerchantState>store(PoolStores.MERCHANTS).get(merchant);
            return Response.ok(json(Map.of(
                    "merchant",
                    merchant,
                    "count",
                    m == null ? 0 : m.oversellCount,
                    "oversells",
                    m == null ? List.of() : m.oversells)));
        });
    }

    @GET
    @Path("/{merchant}/propagation")
    public Response propagation(
            @PathParam("merchant") String merchant,
            @QueryParam("since") @DefaultValue("0") long since,
            @Context UriInfo uri,
            @HeaderParam(PoolForwarder.FORWARDED) String forwardedBy) {
        return routed(
                uri,
                forwardedBy,
                merchant,
                PoolStores.MERCHANTS,
                () -> Response.ok(json(PoolView.Propagation.of(
                        this.<MerchantState>store(PoolStores.MERCHANTS).get(merchant), since))));
    }

    private interface Answer {
        Response.ResponseBuilder get();
    }

    /** Answers here, or forwards to the instance that holds the merchant (a forwarded request is answered here). */
    private Response routed(UriInfo uri, String forwardedBy, String merchant, String store, Answer local) {
        if (forwardedBy != null) {
            return answer(local);
        }
        PoolLocator.Where where;
        try {
            where = locator.locate(merchant, store);
        } catch (IllegalStateException e) { // KafkaStreams not yet running
            where = new PoolLocator.Where.Unknown();
        }
        if (where instanceof PoolLocator.Where.Here) {
            return answer(local);
        }
        if (where instanceof PoolLocator.Where.There there) {
            String query = uri.getRequestUri().getRawQuery();
            return forwarder.forward(
                    there.host(), uri.getRequestUri().getRawPath() + (query == null ? "" : "?" + query));
        }
        return notReady("the pool's state is being restored or rebalanced");
    }

    private static Response answer(Answer answer) {
        try {
            return answer.get().type(MediaType.APPLICATION_JSON).build();
        } catch (InvalidStateStoreException | MerchantConfigs.NotLoaded e) {
            return notReady("the pool's state is being restored");
        }
    }

    static Response notReady(String message) {
        return Response.status(503)
                .header("Retry-After", "5")
                .type(MediaType.APPLICATION_JSON)
                .entity(json(Map.of("error", "not_ready", "message", message)))
                .build();
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    /** With the pool's own mapper (snake_case), whatever the REST layer's defaults. */
    private static String json(Object value) {
        try {
            return PoolJson.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
