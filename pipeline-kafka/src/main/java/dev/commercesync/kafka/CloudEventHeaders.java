package dev.commercesync.kafka;

import dev.commercesync.schemas.canonical.EventMetadata;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * CloudEvents attributes of a canonical event in the Kafka protocol binding's binary mode: the record value is the
 * event data (Confluent-framed Avro), the attributes are {@code ce_*} headers and {@code datacontenttype} is the
 * {@code content-type} header. Shared by the normalizer and {@code synctl replay}.
 */
public final class CloudEventHeaders {
    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/avro";

    private CloudEventHeaders() {}

    /**
     * {@code ce_id} = event_id (stable across redeliveries and replays, so CloudEvents consumers deduplicate too),
     * {@code ce_source} = {@code /commerce-sync/<platform>/<store>}, {@code ce_type} =
     * {@code dev.commercesync.<entity type>.<operation>}, {@code ce_time} = the platform's updated-at (else when it was
     * received), {@code ce_subject} = entity_key.
     */
    public static Headers of(EventMetadata metadata) {
        Instant time = metadata.getSourceUpdatedAt() != null ? metadata.getSourceUpdatedAt() : metadata.getReceivedAt();
        RecordHeaders headers = new RecordHeaders();
        add(headers, "ce_specversion", SPEC_VERSION);
        add(headers, "ce_id", metadata.getEventId());
        add(headers, "ce_source", source(metadata.getPlatform(), metadata.getStore()));
        add(headers, "ce_type", type(metadata));
        add(headers, "ce_time", time.toString());
        add(headers, "ce_subject", metadata.getEntityKey());
        add(headers, "content-type", CONTENT_TYPE);
        return headers;
    }

    static String source(String platform, String store) {
        return "/commerce-sync/" + encode(platform) + "/" + encode(store);
    }

    static String type(EventMetadata metadata) {
        return "dev.commercesync." + metadata.getEntityType().name().toLowerCase(Locale.ROOT) + "."
                + metadata.getOperation().name().toLowerCase(Locale.ROOT);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
