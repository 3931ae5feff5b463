package dev.commercesync.ingest;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The raw producer's record size, derived from the one body limit ({@code quarkus.http.limits.max-body-size}): every
 * body the HTTP layer lets in must fit in one Kafka record, or a validly signed delivery would get 503 forever. The
 * channel {@code raw-out} takes this map ({@code kafka-configuration=raw-out-size}).
 */
@ApplicationScoped
public class RawRecordSize {
    /**
     * Room for the envelope around the body: ids, the kept headers (Vert.x caps all request headers at 20 KiB), Avro
     * and Kafka record framing. Generous on purpose: it only has to stay under the broker's limit.
     */
    static final long ENVELOPE_HEADROOM_BYTES = 1024 * 1024;

    @Produces
    @Identifier("raw-out-size")
    Map<String, Object> rawOutSize(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody,
            @ConfigProperty(name = "commercesync.kafka.max-record-bytes") long maxRecordBytes) {
        long recordBytes = maxBody.asLongValue() + ENVELOPE_HEADROOM_BYTES;
        if (recordBytes > maxRecordBytes || recordBytes > Integer.MAX_VALUE) {
            throw new IllegalStateException("quarkus.http.limits.max-body-size (" + maxBody.asLongValue()
                    + " bytes) plus " + ENVELOPE_HEADROOM_BYTES + " bytes of envelope does not fit the pipeline's "
                    + "commercesync.kafka.max-record-bytes (" + maxRecordBytes + "): raise that on the topics, the "
                    + "broker and every service, or lower the body limit");
        }
        return Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) recordBytes);
    }
}
