package dev.commercesync.normalizer;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.RegistryUnavailable;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.InventoryLevel;
import dev.commercesync.schemas.canonical.InventoryLevelEvent;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductEvent;
import dev.commercesync.schemas.canonical.Shipment;
import dev.commercesync.schemas.canonical.ShipmentEvent;
import dev.commercesync.schemas.canonical.TrackingInfo;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.command.CommandStatus;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import dev.commercesync.schemas.content.CanonicalEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.jboss.logging.Logger;

/**
 * Echo recognition: the canonical event a store sends back because of commerce-sync's own write carries that
 * command's id in {@code metadata.command_id} (docs/commands.md, "Recognisable echoes").
 *
 * <p>State, and why it is global: the commands ({@code commerce.commands.v1}) and their results ({@code
 * commerce.command-results.v1}) are keyed by the entity ({@code command_key}), the raw topic by the store ({@code
 * platform/store}), so a raw partition's task would not see the results of its entities in a co-partitioned store.
 * Both topics are read into <b>global stores</b> (every instance holds the recent ones: few compared with events),
 * keyed {@code command_key NUL command_id}, so the events of an entity find its commands by a prefix scan whatever
 * partition they come from; the topics are their changelogs (a restart with an empty state directory reads them
 * again through the same processors before any raw record is processed). Every final result is kept: an APPLIED
 * command is a candidate from its issue to its completion, a command without a result yet to its deadline (the
 * store's webhook about the write often comes before the result, which follows a read-back after a timeout or 5xx),
 * and a REJECTED, EXPIRED or FAILED command never. Which command was claimed by an echo (one event per command) is
 * kept in the normalize task's own changelogged store: all raw records of one store, hence of its entities, go
 * through one task (the raw topic is keyed by store).
 */
final class EchoRecognition {
    private static final Logger LOG = Logger.getLogger(EchoRecognition.class);

    /** Commands by {@code command_key NUL command_id}: the command's Avro binary (no registry framing). */
    static final String COMMANDS_STORE = "normalizer-echo-commands";
    /** Final results by {@code command_key NUL command_id}: the result's Avro binary (no registry framing). */
    static final String RESULTS_STORE = "normalizer-echo-results";
    /**
     * Commands whose echo was recognised: command_id → wall-clock millis of the claim, or the command's deadline if
     * later (changelogged; purged a retention after it, when the command is gone from the global stores).
     */
    static final String CLAIMS_STORE = "normalizer-echo-claims";

    private static final String SEPARATOR = "\u0000";

    /**
     * @param commandsTopic where the commands are ({@code commerce.commands.v1})
     * @param resultsTopic where their results are ({@code commerce.command-results.v1})
     * @param window how far an event's time (source_updated_at, else received_at) may be before the command's issue or
     *     after its completion (a command without a result yet: its deadline)
     * @param retention how long results, commands and claims are kept (at least the window): late deliveries of an
     *     echo (a platform's webhook retries) are recognised within it, by their source_updated_at
     */
    record Settings(String commandsTopic, String resultsTopic, Duration window, Duration retention) {
        Settings {
            Objects.requireNonNull(commandsTopic, "commandsTopic");
            Objects.requireNonNull(resultsTopic, "resultsTopic");
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("normalizer.echo.window must be positive, is " + window);
            }
            if (retention == null || retention.compareTo(window) < 0) {
                throw new IllegalArgumentException(
                        "normalizer.echo.retention (" + retention + ") must be at least the window (" + window + ")");
            }
        }
    }

    /**
     * What the platform's adapter reads in a mapped entity for echo recognition: the command_id its payload names
     * ({@link PlatformAdapter#commandMarker}), and whether a product shows a price ({@link
     * PlatformAdapter#showsPrice}: some platforms keep prices only in platform_fields).
     */
    interface Markers {
        Optional<String> commandId(String platform, SpecificRecord entity);

        boolean showsPrice(String platform, Product product, SetPrice price);

        static Markers of(PlatformRegistry platforms) {
            return new Markers() {
                @Override
                public Optional<String> commandId(String platform, SpecificRecord entity) {
                    return platforms.find(platform).flatMap(adapter -> adapter.commandMarker(entity));
                }

                @Override
                public boolean showsPrice(String platform, Product product, SetPrice price) {
                    return platforms
                            .find(platform)
                            .map(adapter -> adapter.showsPrice(product, price))
                            .orElse(false);
                }
            };
        }
    }

    /** Adds the global stores (fed by the commands and results topics) and the claims store of {@code normalize}. */
    static void addTo(Topology topology, Settings settings, String registryApiUrl, String normalizeProcessor) {
        addKept(
                topology,
                COMMANDS_STORE,
                "echo-commands",
                Command.class,
                settings.commandsTopic(),
                settings,
                registryApiUrl);
        addKept(
                topology,
                RESULTS_STORE,
                "echo-results",
                CommandResult.class,
                settings.resultsTopic(),
                settings,
                registryApiUrl);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(CLAIMS_STORE), Serdes.String(), Serdes.Long())
                        .withCachingDisabled(),
                normalizeProcessor);
    }

    /**
     * A global store of the {@code kind} records of {@code topic}, kept by a {@link Keeper} (the topic is its
     * changelog: logging disabled).
     */
    private static void addKept(
            Topology topology,
            String store,
            String name,
            Class<? extends SpecificRecord> kind,
            String topic,
            Settings settings,
            String registryApiUrl) {
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                name,
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(),
                topic,
                name + "-keeper",
                () -> new Keeper(store, kind, settings, AvroSerdes.valueDeserializer(registryApiUrl)));
    }

    private final Settings settings;
    private final Markers markers;
    private final KeyValueStore<String, byte[]> commands;
    private final KeyValueStore<String, byte[]> results;
    private final KeyValueStore<String, Long> claims;

    EchoRecognition(ProcessorContext<?, ?> context, Settings settings, Markers markers) {
        this.settings = settings;
        this.markers = markers;
        this.commands = context.getStateStore(COMMANDS_STORE);
        this.results = context.getStateStore(RESULTS_STORE);
        this.claims = context.getStateStore(CLAIMS_STORE);
    }

    /**
     * Sets {@code metadata.command_id} of {@code event} when it is the echo of a recent command of its entity that no
     * earlier event claimed: the command the payload's marker names, or else one whose effect the event shows. A
     * command is a candidate when the event's time lies between its issue and its completion (APPLIED) or, while it
     * has no result, its deadline, each widened by the window; never once its result is REJECTED, EXPIRED or FAILED.
     * Of several, the one completed (without a result: issued) closest to the event's time. The claim is stored (in
     * the task's transaction).
     *
     * @return the command_id set, if any
     */
    Optional<String> recognise(SpecificRecord event, long nowMillis) {
        EventMetadata metadata = CanonicalEvents.metadata(event);
        Optional<Target> target = target(event, metadata);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> marker = markers.commandId(metadata.getPlatform(), CanonicalEvents.entity(event));
        long time = (metadata.getSourceUpdatedAt() != null ? metadata.getSourceUpdatedAt() : metadata.getReceivedAt())
                .toEpochMilli();
        long window = settings.window().toMillis();
        Command best = null;
        long bestDistance = Long.MAX_VALUE;
        for (KeyValue<String, byte[]> stored : commandsOf(target.get().commandKey())) {
            Command command = decodeCommand(stored.value);
            CommandMetadata of = command.getMetadata();
            Optional<CommandResult> result = result(results.get(stored.key));
            if (result.filter(r -> r.getStatus() != CommandStatus.APPLIED).isPresent()) {
                continue; // nothing of it is on the platform
            }
            Optional<Instant> completed = result.map(CommandResult::getCompletedAt);
            long from = of.getIssuedAt().toEpochMilli() - window;
            long until = completed.orElse(of.getDeadline()).toEpochMilli() + window;
            long distance = Math.abs(time - completed.orElse(of.getIssuedAt()).toEpochMilli());
            if (time < from
                    || time > until
                    || distance >= bestDistance
                    || claims.get(of.getCommandId()) != null
                    || marker.filter(id -> !id.equals(of.getCommandId())).isPresent()
                    || (marker.isEmpty() && !target.get().showsEffect().test(command.getAction()))) {
                continue;
            }
            best = command;
            bestDistance = distance;
        }
        if (best == null) {
            return Optional.empty();
        }
        String commandId = best.getMetadata().getCommandId();
        // Kept while the command can still be a candidate: past its deadline, and past the claim (late deliveries).
        claims.put(
                commandId, Math.max(nowMillis, best.getMetadata().getDeadline().toEpochMilli()));
        metadata.setCommandId(commandId);
        return Optional.of(commandId);
    }

    /** Forgets claims older than the retention (their commands and results are gone from the global stores by then). */
    void purgeClaims(long nowMillis) {
        purge(claims, nowMillis - settings.retention().toMillis(), claimedAt -> claimedAt);
    }

    private List<KeyValue<String, byte[]>> commandsOf(String commandKey) {
        List<KeyValue<String, byte[]>> found = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> stored =
                commands.prefixScan(commandKey + SEPARATOR, Serdes.String().serializer())) {
            stored.forEachRemaining(found::add);
        }
        return found;
    }

    /** The entity whose commands an event can echo, and whether a command's action shows in the event. */
    record Target(String commandKey, Predicate<Object> showsEffect) {}

    private Optional<Target> target(SpecificRecord event, EventMetadata metadata) {
        String key = metadata.getEntityKey();
        if (event instanceof InventoryLevelEvent e && e.getInventoryLevel() != null) {
            InventoryLevel level = e.getInventoryLevel();
            // Adobe Commerce source items report the quantity as on hand, the others as available.
            Long quantity = level.getAvailable() != null ? level.getAvailable() : level.getOnHand();
            return Optional.of(new Target(
                    key,
                    action -> action instanceof SetInventoryLevel set
                            && Long.valueOf(set.getQuantity()).equals(quantity)));
        }
        if (event instanceof ShipmentEvent e && e.getShipment() != null) {
            Shipment shipment = e.getShipment();
            // A shipment command targets the order: its results are keyed by the order's entity key.
            String orderKey = EventKeys.entityKey(
                    metadata.getPlatform(), metadata.getStore(), EntityType.ORDER, shipment.getOrderId());
            return Optional.of(new Target(
                    orderKey,
                    action -> action instanceof CreateShipment create
                            && shipment.getTracking().stream()
                                    .map(TrackingInfo::getNumber)
                                    .anyMatch(create.getTrackingNumber()::equals)));
        }
        if (event instanceof OrderEvent e && e.getOrder() != null) {
            Order order = e.getOrder();
            return Optional.of(new Target(
                    key,
                    action -> (action instanceof CancelOrder && order.getStatus() == OrderStatus.CANCELLED)
                            || (action instanceof UpdateOrderStatus update
                                    && order.getStatus() == update.getStatus())));
        }
        if (event instanceof ProductEvent e && e.getProduct() != null) {
            Product product = e.getProduct();
            // Whether the variant it prices shows the price: the platform's adapter knows where its product keeps it.
            return Optional.of(new Target(
                    key,
                    action -> action instanceof SetPrice price
                            && markers.showsPrice(metadata.getPlatform(), product, price)));
        }
        return Optional.empty();
    }

    private static Command decodeCommand(byte[] command) {
        try {
            return Command.fromByteBuffer(ByteBuffer.wrap(command));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The stored final result; empty without one, or for a value an earlier normalizer stored (the completed_at of an
     * APPLIED result, 8 bytes): such a command is taken as one without a result, and the value is pruned.
     */
    private static Optional<CommandResult> result(byte[] stored) {
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(CommandResult.fromByteBuffer(ByteBuffer.wrap(stored)));
        } catch (IOException | AvroRuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] encode(SpecificRecord record) {
        try {
            ByteBuffer buffer = record instanceof Command command
                    ? command.toByteBuffer()
                    : ((CommandResult) record).toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Until when a command or result is kept (then for the retention): a command by its deadline, a result by its
     * completion or its command's deadline, whichever is later — the result outlives the command it decides about.
     */
    private static long keptBy(SpecificRecord record) {
        if (record instanceof Command command) {
            return command.getMetadata().getDeadline().toEpochMilli();
        }
        CommandResult result = (CommandResult) record;
        return Math.max(
                result.getMetadata().getDeadline().toEpochMilli(),
                result.getCompletedAt().toEpochMilli());
    }

    /** Deletes the entries whose time (or value) is missing or before {@code cutoff}; returns how many. */
    static <V> int purge(KeyValueStore<String, V> store, long cutoff, ToLongFunction<V> time) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, V> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, V> entry = all.next();
                if (entry.value == null || time.applyAsLong(entry.value) < cutoff) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
        return expired.size();
    }

    /**
     * The global stores' processor: keeps each command (by its deadline) or final result (by its completion or its
     * command's deadline, whichever is later) for the retention, pruning the store at most once per window. It runs on
     * the global thread, outside the tasks' transactions: the topic is the truth, the store a view of it. A value the
     * registry cannot be asked about now waits (the thread retries with a backoff); a value that is not a command or
     * result is skipped with a warning.
     */
    private static final class Keeper implements Processor<String, byte[], Void, Void> {
        private static final long MAX_BACKOFF_MILLIS = 30_000;

        private final String storeName;
        private final Class<? extends SpecificRecord> kind;
        private final Settings settings;
        private final Deserializer<SpecificRecord> values;
        private ProcessorContext<Void, Void> context;
        private long lastPurge;

        Keeper(
                String storeName,
                Class<? extends SpecificRecord> kind,
                Settings settings,
                Deserializer<SpecificRecord> values) {
            this.storeName = storeName;
            this.kind = kind;
            this.settings = settings;
            this.values = values;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.value() == null) {
                return;
            }
            String topic = context.recordMetadata().map(m -> m.topic()).orElse(storeName);
            SpecificRecord value;
            try {
                value = decodeWaitingForTheRegistry(topic, record.value());
            } catch (RuntimeException e) {
                LOG.warnf("Skipped a record of %s that is not readable (%s): it is never an echo", topic, e.toString());
                return;
            }
            if (!kind.isInstance(value)) {
                LOG.warnf(
                        "Skipped a %s on %s: not a %s", value.getClass().getSimpleName(), topic, kind.getSimpleName());
                return;
            }
            long now = context.currentSystemTimeMs();
            long cutoff = now - settings.retention().toMillis();
            KeyValueStore<String, byte[]> store = context.getStateStore(storeName);
            if (keptBy(value) >= cutoff) {
                CommandMetadata metadata = value instanceof Command command
                        ? command.getMetadata()
                        : ((CommandResult) value).getMetadata();
                store.put(metadata.getCommandKey() + SEPARATOR + metadata.getCommandId(), encode(value));
            }
            if (now - lastPurge >= settings.window().toMillis()) {
                purge(
                        store,
                        cutoff,
                        bytes -> kind == Command.class
                                ? keptBy(decodeCommand(bytes))
                                : result(bytes).map(EchoRecognition::keptBy).orElse(Long.MIN_VALUE));
                lastPurge = now;
            }
        }

        private SpecificRecord decodeWaitingForTheRegistry(String topic, byte[] bytes) {
            long backoff = 500;
            while (true) {
                try {
                    return values.deserialize(topic, bytes);
                } catch (RuntimeException e) {
                    if (!RegistryUnavailable.causedBy(e)) {
                        throw e;
                    }
                    LOG.warnf("schema registry unavailable while reading %s; retrying in %d ms", topic, backoff);
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for the registry", interrupted);
                    }
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            }
        }
    }
}
