package dev.commercesync.normalizer;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.CloudEventHeaders;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.RegistryUnavailable;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.telemetry.KafkaTraceContext;
import dev.commercesync.telemetry.LogContext;
import dev.commercesync.telemetry.Spans;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * One raw record in, its outputs out: canonical events (unless their dedup key was seen), a fetch request for a thin
 * payload, or a quarantine record. Runs inside the Kafka Streams task's transaction, so the dedup keys it stores, the
 * records it forwards and the consumed offset commit together or not at all.
 *
 * <p>The raw value arrives as bytes and is decoded here rather than by a deserialization exception handler: in Kafka
 * Streams 4.1 such a handler can only skip or fail, not emit a record, and an undecodable record must be quarantined
 * inside the same transaction (with its bytes, so nothing is lost). A value that cannot be decoded because the registry
 * is unavailable is not undecodable: the processor fails instead, and the record is processed again later.
 *
 * <p>Each record is processed in its own span, a child of the trace context in the raw record's headers (the ingest's
 * producer span), and every record it forwards carries this span's context in its headers, so the sync-writer's spans
 * join the same trace. Platform, store and event id are in the log context meanwhile.
 */
final class NormalizeProcessor implements Processor<String, byte[], String, SpecificRecord> {
    private static final Logger LOG = Logger.getLogger(NormalizeProcessor.class);
    static final String COMPONENT = "normalizer";

    private final RawNormalizer normalizer;
    private final Deserializer<SpecificRecord> rawDeserializer;
    private final NormalizerMetrics metrics;
    private final Duration dedupRetention;
    private final Duration purgeInterval;
    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final EchoRecognition.Settings echoSettings;
    private final EchoRecognition.Markers markers;
    private EchoRecognition echoes;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Long> dedupKeys;

    NormalizeProcessor(
            RawNormalizer normalizer,
            Deserializer<SpecificRecord> rawDeserializer,
            NormalizerMetrics metrics,
            Duration dedupRetention,
            Duration purgeInterval,
            OpenTelemetry openTelemetry,
            EchoRecognition.Settings echoSettings,
            EchoRecognition.Markers markers) {
        this.normalizer = normalizer;
        this.echoSettings = echoSettings;
        this.markers = markers;
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(Spans.SCOPE);
        this.rawDeserializer = rawDeserializer;
        this.metrics = metrics;
        this.dedupRetention = dedupRetention;
        this.purgeInterval = purgeInterval;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.dedupKeys = context.getStateStore(NormalizerTopology.DEDUP_STORE);
        this.echoes = new EchoRecognition(context, echoSettings, markers);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purgeExpiredKeys);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        metrics.consumed();
        RecordMetadata position = context.recordMetadata().orElseThrow();
        Span span = Spans.startProcessing(
                tracer,
                "normalize " + position.topic(),
                KafkaTraceContext.extract(openTelemetry, record.headers(), Context.root()),
                position.topic(),
                position.partition(),
                position.offset());
        try (Scope ignored = span.makeCurrent();
                LogContext logContext = LogContext.of(null, null)) {
            process(record, position, span);
        } catch (RuntimeException | Error e) {
            Spans.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    private void process(Record<String, byte[]> record, RecordMetadata position, Span span) {
        RawRecordRef rawRef = new RawRecordRef(position.topic(), position.partition(), position.offset());
        int retryCount = PipelineRecords.retryCount(record.headers());
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());

        RawEnvelope envelope;
        try {
            if (record.value() == null) {
                throw new IllegalArgumentException("no value");
            }
            envelope = AvroSerdes.decodeRaw(rawDeserializer, position.topic(), record.value());
        } catch (RuntimeException e) {
            if (RegistryUnavailable.causedBy(e)) {
                // Not the record's fault: fail the task, so that its transaction is aborted and the record is read
                // again once the registry answers (StreamThreadReplacer, module pipeline-kafka).
                throw new IllegalStateException(
                        "schema registry unavailable while decoding " + describe(rawRef) + "; the record waits", e);
            }
            QuarantineRecord quarantined =
                    PipelineRecords.undecodable(record.value(), e, rawRef, retryCount, now, COMPONENT);
            LOG.warnf("Quarantined undecodable raw record %s: %s", describe(rawRef), quarantined.getReason());
            forwardQuarantine(record, record.key(), quarantined);
            return;
        }

        span.setAttribute(Spans.PLATFORM, envelope.getPlatform()).setAttribute(Spans.STORE, envelope.getStore());
        LogContext.platformAndStore(envelope.getPlatform(), envelope.getStore());
        NormalizationOutcome outcome = normalizer.normalize(envelope, rawRef);
        String storeKey = PipelineRecords.storeKey(envelope.getPlatform(), envelope.getStore());
        if (outcome instanceof NormalizationOutcome.Events events) {
            long produced = 0;
            for (SpecificRecord event : events.canonicalEvents()) {
                EventMetadata metadata = CanonicalEvents.metadata(event);
                LogContext.eventId(metadata.getEventId());
                span.setAttribute(Spans.ENTITY_TYPE, Spans.lower(metadata.getEntityType()))
                        .setAttribute(Spans.EVENT_ID, metadata.getEventId());
                if (seen(metadata.getDedupKey())) {
                    metrics.duplicate();
                    continue;
                }
                remember(metadata.getDedupKey());
                echoes.recognise(event, context.currentSystemTimeMs()).ifPresent(commandId -> {
                    metrics.echo();
                    LOG.debugf("%s is the echo of command %s", metadata.getEntityKey(), commandId);
                });
                context.forward(new Record<>(
                        metadata.getEntityKey(), event, record.timestamp(), traced(CloudEventHeaders.of(metadata))));
                metrics.produced(metadata.getEntityType());
                produced++;
                LOG.debugf("normalized %s into %s", describe(rawRef), metadata.getEntityKey());
            }
            span.setAttribute(Spans.EVENT_COUNT, produced)
                    .setAttribute(Spans.OUTCOME, produced > 0 ? "normalized" : "duplicate");
        } else if (outcome instanceof NormalizationOutcome.FetchNeeded fetch) {
            // A thin event support re-submitted from the quarantine (its hydration had failed) asks for a fresh fetch:
            // its dedup key, and so its request id, names the retry. The fetch request carries the retry headers on,
            // so the poller quarantines a failure again with the retry count.
            Optional<String> retryOf = PipelineRecords.retryOf(record.headers());
            String dedupKey = retryOf.map(id -> PipelineRecords.retryDedupKey(fetch.dedupKey(), id, retryCount))
                    .orElse(fetch.dedupKey());
            if (seen(dedupKey)) {
                metrics.duplicate();
                span.setAttribute(Spans.OUTCOME, "duplicate");
                return;
            }
            remember(dedupKey);
            FetchRequest request = OutcomeRecords.fetchRequest(fetch, dedupKey, envelope, rawRef, now, COMPONENT);
            Headers headers = new RecordHeaders();
            retryOf.ifPresent(id -> PipelineRecords.withRetry(headers, id, retryCount));
            context.forward(new Record<>(storeKey, request, record.timestamp(), traced(headers)));
            metrics.fetchRequest();
            span.setAttribute(Spans.OUTCOME, "fetch_requested");
        } else if (outcome instanceof NormalizationOutcome.Failed failed) {
            QuarantineRecord quarantined = PipelineRecords.quarantined(
                    failed.quarantineRecord(), envelope, rawRef, retryCount, now, COMPONENT);
            // The reason never contains the payload (Failed's contract); the body stays on Kafka only.
            LOG.warnf(
                    "Quarantined %s %s/%s %s (%s): %s",
                    describe(rawRef),
                    envelope.getPlatform(),
                    envelope.getStore(),
                    envelope.getEventType(),
                    failed.errorClass(),
                    failed.reason());
            forwardQuarantine(record, storeKey, quarantined);
        }
    }

    private void forwardQuarantine(Record<String, byte[]> record, String key, QuarantineRecord quarantined) {
        context.forward(new Record<>(key, quarantined, record.timestamp(), traced(new RecordHeaders())));
        metrics.quarantined(quarantined.getErrorClass());
        Span.current().setAttribute(Spans.OUTCOME, "quarantined");
    }

    /** The headers of a record this processor forwards, with the current span's trace context added. */
    private Headers traced(Headers headers) {
        return KafkaTraceContext.inject(openTelemetry, Context.current(), headers);
    }

    private boolean seen(String dedupKey) {
        return dedupKeys.get(dedupKey) != null;
    }

    private void remember(String dedupKey) {
        dedupKeys.put(dedupKey, context.currentSystemTimeMs());
    }

    /**
     * Forgets dedup keys first seen longer ago than the retention, and echo claims older than the echo retention; the
     * deletes are changelogged like the puts.
     */
    private void purgeExpiredKeys(long nowMillis) {
        echoes.purgeClaims(nowMillis);
        int expired = EchoRecognition.purge(dedupKeys, nowMillis - dedupRetention.toMillis(), firstSeen -> firstSeen);
        if (expired > 0) {
            LOG.debugf("Purged %d dedup keys older than %s", expired, dedupRetention);
        }
    }

    private static String describe(RawRecordRef ref) {
        return ref.getTopic() + "/" + ref.getPartition() + "@" + ref.getOffset();
    }
}
