package dev.commercesync.cli;

import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.schemas.CommerceTopic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Registers the schema of every commerce-sync topic, one after the other, before a local run's services start.
 *
 * <p>The dev registry (Apicurio 2.4.2 on H2) is not safe under concurrent registrations: when the services register
 * their first schemas at the same moment, its id sequences' locks time out on each other (HTTP 500 after 20-60 s), and
 * a demo's webhooks and commands were answered 503 for up to two minutes. Registered here first, through the services'
 * own serializer (so the content and the references are exactly theirs), a service's first registration finds its
 * schema and writes nothing.
 */
final class SchemaCatalogue {
    private SchemaCatalogue() {}

    /** Best effort: a schema that could not be registered here is registered by its service as before. */
    static void register(Endpoints stack, Consumer<String> progress) {
        long t0 = System.nanoTime();
        List<String> missing = new ArrayList<>();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (Serializer<SpecificRecord> serializer = AvroSerdes.valueSerializer(stack.registryApiUrl())) {
            for (CommerceTopic topic : CommerceTopic.values()) {
                // The serializer registers the record's schema before it encodes the record; an empty record then
                // fails to encode (its required fields are null), which is all that is left to do with it.
                SpecificRecord empty = (SpecificRecord) SpecificData.get().newRecord(null, topic.valueSchema());
                try {
                    serializer.serialize(topic.topicName(), empty);
                } catch (RuntimeException expected) {
                    // checked below: registered or not
                }
                if (!registered(http, stack, topic)) {
                    missing.add(topic.valueSubject());
                }
            }
        }
        progress.accept(String.format(
                "schemas          %d of %d topics registered in %.1f s%s",
                CommerceTopic.values().length - missing.size(),
                CommerceTopic.values().length,
                (System.nanoTime() - t0) / 1e9,
                missing.isEmpty() ? "" : " (the services register " + missing + " themselves)"));
    }

    private static boolean registered(HttpClient http, Endpoints stack, CommerceTopic topic) {
        HttpRequest meta = HttpRequest.newBuilder(URI.create(
                        stack.registryApiUrl() + "/groups/default/artifacts/" + topic.valueSubject() + "/meta"))
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            return http.send(meta, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
