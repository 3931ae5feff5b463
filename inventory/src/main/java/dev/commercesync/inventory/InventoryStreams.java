package dev.commercesync.inventory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;

/** Wires the pool's topology into Quarkus' Kafka Streams extension (scaffolding: the pool replaces it). */
@ApplicationScoped
public class InventoryStreams {
    @Produces
    @Singleton
    Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("commerce.orders.v1", Consumed.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }
}
