package dev.commercesync.poller.fetch;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.FetchRequest;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Decodes fetch requests (and commands) with the registry's deserializer ({@link AvroSerdes}), configured in code rather than in the
 * channel's properties: the datum provider must be handed over as a class (by name, the deserializer's class lookup
 * does not see the service's classes in Quarkus dev and test mode).
 */
@ApplicationScoped
public class FetchRequestDecoder {
    private static final Logger LOG = Logger.getLogger(FetchRequestDecoder.class);

    private final Deserializer<SpecificRecord> deserializer;

    public FetchRequestDecoder(
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl) {
        deserializer = AvroSerdes.valueDeserializer(registryUrl);
    }

    /** @throws RuntimeException when the bytes are not a framed, registered FetchRequest */
    public FetchRequest decode(byte[] value) {
        return decode(CommerceTopic.FETCH_REQUESTS, FetchRequest.class, value);
    }

    /** @throws RuntimeException when the bytes are not a framed, registered record of {@code type} */
    public <T extends SpecificRecord> T decode(CommerceTopic topic, Class<T> type, byte[] value) {
        SpecificRecord decoded = deserializer.deserialize(topic.topicName(), value);
        if (type.isInstance(decoded)) {
            return type.cast(decoded);
        }
        throw new IllegalArgumentException("expected a " + type.getSimpleName() + ", got "
                + (decoded == null ? "null" : decoded.getClass().getName()));
    }

    /**
     * Decodes, waiting with {@link InfrastructureBackoff} while the registry cannot be reached.
     *
     * @param onWait called before each wait
     * @throws RuntimeException when the bytes are not a framed, registered FetchRequest
     */
    public FetchRequest decodeWhenReachable(byte[] value, Runnable onWait) throws InterruptedException {
        return decodeWhenReachable(CommerceTopic.FETCH_REQUESTS, FetchRequest.class, value, onWait);
    }

    /**
     * Decodes a record of {@code topic}, waiting with {@link InfrastructureBackoff} while the registry cannot be
     * reached.
     *
     * @param onWait called before each wait
     * @throws RuntimeException when the bytes are not a framed, registered record of {@code type}
     */
    public <T extends SpecificRecord> T decodeWhenReachable(
            CommerceTopic topic, Class<T> type, byte[] value, Runnable onWait) throws InterruptedException {
        InfrastructureBackoff backoff = new InfrastructureBackoff();
        while (true) {
            try {
                return decode(topic, type, value);
            } catch (RuntimeException e) {
                if (!registryUnreachable(e)) {
                    throw e;
                }
                onWait.run();
                LOG.warnf(
                        "the schema registry cannot be reached (%s): %s records wait; retrying in %s",
                        e.getClass().getSimpleName(), topic.topicName(), backoff.next());
                backoff.sleep();
            }
        }
    }

    /**
     * Whether a decoding failure is the registry being unreachable (connection refused or reset, timeout, unknown host)
     * rather than the record being wrong: then the record must wait, not be dead-lettered.
     */
    public static boolean registryUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketException
                    || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.http.HttpTimeoutException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t.getClass().getName().startsWith("io.netty.channel.")
                    || String.valueOf(t.getMessage()).contains("Connection refused")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    @PreDestroy
    void close() {
        deserializer.close();
    }
}
