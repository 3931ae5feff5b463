package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import dev.commercesync.simulator.CommandIds;
import dev.commercesync.simulator.Fault;
import dev.commercesync.simulator.FaultProfile;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Product;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.apache.avro.generic.GenericRecord;

/**
 * The demo's commands (docs/commands.md): during the traffic, each store gets commands of every kind its platform's
 * adapter declares, through the poller's {@code POST /commands} with the internal token, about entities the store
 * has and its generated changes leave alone ({@link SimulatedStore#reserve}), so that the store's final state can be
 * compared with what the commands asked for. Each store's first commands meet forced write faults — a 429, a write
 * answered 5xx after it was applied, one whose answer times out after it was applied — so the exactly-once path runs
 * on every platform in every demo (with stock commands where the adapter writes no prices: Amazon); a command for an
 * unknown item must end REJECTED (NOT_FOUND) and one whose deadline
 * passes while it waits behind its entity's command in flight EXPIRED. Afterwards {@link #finish} judges them.
 */
final class DemoCommands {
    /** Commands per store unless told otherwise. */
    static final int DEFAULT_PER_STORE = 12;
    /** The commands with a planned fault, rejection or expiry; more are spread over the traffic. */
    static final int PLANNED = 4;

    private static final String MISSING = "990000";
    private static final Set<String> FINAL = Set.of("APPLIED", "REJECTED", "EXPIRED", "FAILED");
    private static final List<CommandKind> CYCLE = List.of(
            CommandKind.SET_INVENTORY_LEVEL,
            CommandKind.CREATE_SHIPMENT,
            CommandKind.SET_PRICE,
            CommandKind.CANCEL_ORDER,
            CommandKind.UPDATE_ORDER_STATUS);

    /**
     * One command sent: its store and entity, and how the store shows its effect ({@code copies}: how many times
     * the effect is there, 1 once applied; null where the command's result is not the store's to show).
     */
    private record Sent(
            String id,
            SimulatedStore store,
            CommandKind kind,
            String entity,
            ToLongFunction<SimulatedStore> copies,
            long sentAt) {}

    private final PlatformRegistry registry = PlatformRegistry.loadInstalled();
    /** How long a command is sent again while the poller answers 503 or not at all. */
    static final Duration SEND_PATIENCE = Duration.ofMinutes(2);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI poller;
    private final String auth;
    private final List<SimulatedStore> stores;
    private final int perStore;
    private final Consumer<String> out;
    private final Map<String, List<Product>> reservedProducts = new HashMap<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    /** The journal's answer of each command once final. */
    private final Map<String, JsonNode> finals = new ConcurrentHashMap<>();

    private final List<Thread> senders = new ArrayList<>();

    /**
     * Reserves the products the commands will write to (before the traffic: no generated order contains them, so no
     * cancellation restocks them) and forces the first write faults of each store when the profile has write faults.
     */
    DemoCommands(
            URI poller,
            String auth,
            List<SimulatedStore> stores,
            int perStore,
            FaultProfile faults,
            Consumer<String> out) {
        this.poller = poller;
        this.auth = auth;
        this.stores = stores;
        this.perStore = perStore;
        this.out = out;
        boolean writeFaults = faults.rate(Fault.WRITE_RATE_LIMITED) > 0
                || faults.rate(Fault.WRITE_ERROR_AFTER_APPLY) > 0
                || faults.rate(Fault.WRITE_TIMEOUT_AFTER_APPLY) > 0;
        for (SimulatedStore store : stores) {
            List<Product> products = store.state().all(EntityType.PRODUCT).stream()
                    .map(Product.class::cast)
                    .toList();
            // Keep at least half the catalog to the generated changes.
            List<Product> mine =
                    products.subList(products.size() - Math.min(perStore, products.size() / 2), products.size());
            mine.forEach(p -> store.reserve(EntityType.PRODUCT, p.id()));
            reservedProducts.put(store.key(), new ArrayList<>(mine));
            if (writeFaults) {
                store.faultNextWrites(
                        Fault.WRITE_RATE_LIMITED, Fault.WRITE_ERROR_AFTER_APPLY, Fault.WRITE_TIMEOUT_AFTER_APPLY);
            }
        }
    }

    /** Starts sending, one thread per store, spread over {@code traffic}. */
    void start(Duration traffic) {
        for (SimulatedStore store : stores) {
            Thread t = new Thread(() -> send(store, traffic), "demo-commands-" + store.platform());
            t.setDaemon(true);
            senders.add(t);
            t.start();
        }
    }

    long sentCount() {
        return sent.size();
    }

    long finalCount() {
        return finals.size();
    }

    private void send(SimulatedStore store, Duration traffic) {
        try {
            List<Product> products = reservedProducts.get(store.key());
            int product = 0;
            Set<CommandKind> declared =
                    registry.get(store.platform()).capabilities().commandKinds();
            int planned = Math.min(perStore, PLANNED);
            // A platform whose adapter writes no prices (Amazon) gets stock commands in their place.
            boolean prices = declared.contains(CommandKind.SET_PRICE);
            if (planned > 0 && !products.isEmpty()) {
                // The first write is refused (429), then applied and answered 5xx: awaited, so that the next write
                // applied is the one answered with a timeout.
                Product p = products.get(product++ % products.size());
                Sent first = prices
                        ? price(store, p, Duration.ofMinutes(10))
                        : inventory(store, p, 5, Duration.ofMinutes(10));
                awaitFinal(first, Duration.ofMinutes(3));
            }
            if (planned > 1 && !products.isEmpty()) {
                Product p = products.get(product++ % products.size());
                inventory(store, p, 7, Duration.ofMinutes(10));
                if (planned > 2) {
                    // Behind the command in flight of its entity (held by the timeout): its deadline passes first.
                    inventory(store, p, 9, Duration.ofSeconds(3));
                }
            }
            if (planned > 3) {
                if (prices) {
                    unknownPrice(store);
                } else {
                    unknownInventory(store);
                }
            }
            int rest = perStore - planned;
            long pause = traffic.toMillis() / (rest + 1);
            for (int i = 0; i < rest; i++) {
                Thread.sleep(pause);
                CommandKind kind = CYCLE.get(i % CYCLE.size());
                if (!declared.contains(kind) || (kind.entityType() == EntityType.ORDER && !order(store, kind))) {
                    Product p = products.get(product++ % products.size());
                    if ((i % 2 == 0 || !prices) && declared.contains(CommandKind.SET_INVENTORY_LEVEL)) {
                        inventory(store, p, 11, Duration.ofMinutes(10));
                    } else {
                        price(store, p, Duration.ofMinutes(10));
                    }
                } else if (kind == CommandKind.SET_INVENTORY_LEVEL) {
                    inventory(store, products.get(product++ % products.size()), 11, Duration.ofMinutes(10));
                } else if (kind == CommandKind.SET_PRICE) {
                    price(store, products.get(product++ % products.size()), Duration.ofMinutes(10));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            out.accept("  commands to " + store.platform() + " stopped: " + e);
        }
    }

    // ---- the commands ----

    private Sent price(SimulatedStore store, Product product, Duration deadline)
            throws IOException, InterruptedException {
        CommandIds ids = CommandIds.of(store, product);
        BigDecimal amount = product.price()
                .add(new BigDecimal("1.25"))
                .add(BigDecimal.valueOf(sent.size() % 50, 2))
                .setScale(2, RoundingMode.HALF_UP);
        ObjectNode action = action("SetPrice").put("product_id", ids.productId());
        action.put("variant_id", ids.variantId());
        action.putObject("price").put("amount", amount.toPlainString()).put("currency", "USD");
        return post(
                store,
                CommandKind.SET_PRICE,
                "product/" + ids.productId(),
                action,
                deadline,
                s -> s.state()
                                        .get(EntityType.PRODUCT, product.id(), Product.class)
                                        .orElseThrow()
                                        .price()
                                        .compareTo(amount)
                                == 0
                        ? 1
                        : 0);
    }

    private Sent inventory(SimulatedStore store, Product product, int more, Duration deadline)
            throws IOException, InterruptedException {
        CommandIds ids = CommandIds.of(store, product);
        long quantity = CommandIds.levelOf(store, product).available() + more;
        ObjectNode action = action("SetInventoryLevel").put("item_id", ids.stockItem());
        action.put("location_id", ids.location());
        action.put("quantity", quantity);
        return post(
                store,
                CommandKind.SET_INVENTORY_LEVEL,
                "inventory_level/" + ids.levelId(),
                action,
                deadline,
                s -> CommandIds.levelOf(s, product).available() == quantity ? 1 : 0);
    }

    /** A price for a product the store does not have: REJECTED, NOT_FOUND. */
    private void unknownPrice(SimulatedStore store) throws IOException, InterruptedException {
        Product any = (Product) store.state().all(EntityType.PRODUCT).get(0);
        CommandIds ids = CommandIds.of(store, any);
        boolean bySku = !ids.productId().equals(any.id());
        ObjectNode action = action("SetPrice").put("product_id", bySku ? "SKU-" + MISSING : MISSING);
        action.put("variant_id", ids.variantId() == null ? null : MISSING);
        action.putObject("price").put("amount", "10.00").put("currency", "USD");
        post(store, CommandKind.SET_PRICE, "product/" + MISSING, action, Duration.ofMinutes(10), null);
    }

    /** Stock for an item the store does not have (where no prices are written): REJECTED, NOT_FOUND. */
    private void unknownInventory(SimulatedStore store) throws IOException, InterruptedException {
        Product any = (Product) store.state().all(EntityType.PRODUCT).get(0);
        CommandIds ids = CommandIds.of(store, any);
        String item = "SKU-" + MISSING;
        ObjectNode action = action("SetInventoryLevel").put("item_id", item);
        action.put("location_id", ids.location());
        action.put("quantity", 1);
        String level = ids.location() == null ? item : item + "@" + ids.location();
        post(store, CommandKind.SET_INVENTORY_LEVEL, "inventory_level/" + level, action, Duration.ofMinutes(10), null);
    }

    /** An order command about an open order of the store, reserved from now on; false when there is none. */
    private boolean order(SimulatedStore store, CommandKind kind) throws IOException, InterruptedException {
        Set<String> taken = new HashSet<>();
        sent.forEach(s -> taken.add(s.store().key() + "/" + s.entity()));
        Order order = null;
        for (Object o : store.state().all(EntityType.ORDER)) {
            Order candidate = (Order) o;
            if ((candidate.status() == OrderStatus.PENDING || candidate.status() == OrderStatus.PAID)
                    && candidate.refunded().signum() == 0
                    && store.state().shipmentsOf(candidate.id()).isEmpty()
                    && !taken.contains(store.key() + "/order/" + candidate.id())) {
                order = candidate;
                break;
            }
        }
        if (order == null) {
            return false;
        }
        store.reserve(EntityType.ORDER, order.id());
        // Read again under the reservation: a generated change may have moved it just before.
        Order o = store.state().get(EntityType.ORDER, order.id(), Order.class).orElseThrow();
        if (o.status() != OrderStatus.PENDING && o.status() != OrderStatus.PAID
                || o.refunded().signum() != 0
                || !store.state().shipmentsOf(o.id()).isEmpty()) {
            return false;
        }
        String orderId = o.id();
        switch (kind) {
            case CREATE_SHIPMENT -> {
                String number = "1ZDEMO" + Math.abs(store.key().hashCode() % 1000) + orderId;
                ObjectNode action = action("CreateShipment").put("order_id", orderId);
                var lines = action.putArray("lines");
                o.lines()
                        .forEach(l ->
                                lines.addObject().put("line_item_id", l.id()).put("quantity", l.quantity()));
                action.put("carrier", "UPS").put("tracking_number", number).put("notify_customer", false);
                post(
                        store,
                        kind,
                        "order/" + orderId,
                        action,
                        Duration.ofMinutes(10),
                        s -> s.state().shipmentsOf(orderId).stream()
                                        .filter(sh -> sh.trackingNumber().equals(number))
                                        .count()
                                + s.state().notesOf(orderId).stream()
                                        .filter(n -> n.note().contains(number))
                                        .count());
            }
            case CANCEL_ORDER -> {
                ObjectNode action = action("CancelOrder")
                        .put("order_id", orderId)
                        .put("reason", "CUSTOMER")
                        .put("restock", true)
                        .put("notify_customer", false);
                post(
                        store,
                        kind,
                        "order/" + orderId,
                        action,
                        Duration.ofMinutes(10),
                        s -> statusOf(s, orderId) == OrderStatus.CANCELLED ? 1 : 0);
            }
            case UPDATE_ORDER_STATUS -> {
                // The first status an open order can be put in that the platform's writer supports.
                boolean hold = supports(store, orderId, dev.commercesync.schemas.canonical.OrderStatus.ON_HOLD);
                OrderStatus wanted = hold ? OrderStatus.ON_HOLD : OrderStatus.CLOSED;
                ObjectNode action = action("UpdateOrderStatus")
                        .put("order_id", orderId)
                        .put("status", hold ? "ON_HOLD" : "ARCHIVED");
                post(
                        store,
                        kind,
                        "order/" + orderId,
                        action,
                        Duration.ofMinutes(10),
                        s -> statusOf(s, orderId) == wanted ? 1 : 0);
            }
            default -> throw new IllegalArgumentException(kind + " is not an order command");
        }
        return true;
    }

    private static OrderStatus statusOf(SimulatedStore store, String orderId) {
        return store.state()
                .get(EntityType.ORDER, orderId, Order.class)
                .orElseThrow()
                .status();
    }

    /** Whether the platform's writer applies the status (asked of a writer pointed at no store: it answers or tries). */
    private boolean supports(SimulatedStore store, String orderId, dev.commercesync.schemas.canonical.OrderStatus s) {
        PlatformWriteClient probe = registry.get(store.platform())
                .writeClient(new ApiConnection(URI.create("http://127.0.0.1:9/no-store"), store.credentials()));
        Command command = new Command(
                CommandMetadata.newBuilder()
                        .setCommandId("probe")
                        .setPlatform(store.platform())
                        .setStore(store.storeId())
                        .setEntityType(EntityType.ORDER)
                        .setEntityId(orderId)
                        .setCommandKey(
                                EventKeys.entityKey(store.platform(), store.storeId(), EntityType.ORDER, orderId))
                        .setIssuedAt(Instant.now())
                        .setDeadline(Instant.now().plusSeconds(60))
                        .build(),
                new UpdateOrderStatus(orderId, s));
        try {
            return !(probe.apply(command).value() instanceof WriteOutcome.Rejected rejected
                    && rejected.reason() == CommandResultReason.UNSUPPORTED);
        } catch (Exception e) {
            return true; // it tried the (unreachable) platform: supported
        }
    }

    private static ObjectNode action(String type) {
        return Json.MAPPER.createObjectNode().put("type", type);
    }

    private Sent post(
            SimulatedStore store,
            CommandKind kind,
            String entity,
            ObjectNode action,
            Duration deadline,
            ToLongFunction<SimulatedStore> copies)
            throws IOException, InterruptedException {
        String id = "demo-" + UUID.randomUUID();
        ObjectNode body = Json.MAPPER
                .createObjectNode()
                .put("command_id", id)
                .put("platform", store.platform())
                .put("store", store.storeId())
                .put("deadline", Instant.now().plus(deadline).toString())
                .put("issuer", "synctl demo");
        body.set("action", action);
        long at = System.nanoTime();
        // 503 (Kafka or PostgreSQL did not answer) or no answer at all: the same command_id again is harmless, the
        // poller's journal keeps it once. Infrastructure trouble is waited out for SEND_PATIENCE, not given up on.
        long giveUp = System.nanoTime() + SEND_PATIENCE.toNanos();
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(poller.resolve("/commands"))
                                .header("Authorization", auth)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(45))
                                .POST(HttpRequest.BodyPublishers.ofString(Json.encode(body)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    break;
                }
                if (response.statusCode() != 503) {
                    throw new IllegalStateException(
                            "POST /commands answered " + response.statusCode() + ": " + response.body());
                }
                failure = "503 " + response.body();
            } catch (IOException e) {
                failure = e.toString();
            }
            if (System.nanoTime() > giveUp) {
                throw new IOException("POST /commands of " + id + " failed " + attempt + " times, last: " + failure);
            }
            Thread.sleep(Math.min(5000, 500L * attempt));
        }
        Sent s = new Sent(id, store, kind, entity, copies, at);
        sent.add(s);
        return s;
    }

    // ---- following and judging ----

    /** The journal's answer when final and its result published; null while open or unknown. */
    private JsonNode poll(Sent s) {
        JsonNode known = finals.get(s.id());
        if (known != null) {
            return known;
        }
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(
                                    poller.resolve("/commands/" + URLEncoder.encode(s.id(), StandardCharsets.UTF_8)))
                            .header("Authorization", auth)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonNode row = Json.MAPPER.readTree(response.body());
                if (FINAL.contains(row.path("state").asText())
                        && row.path("result_published").asBoolean()) {
                    finals.put(s.id(), row);
                    return row;
                }
            }
        } catch (IOException e) {
            // the poller does not answer now: asked again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private void awaitFinal(Sent s, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (poll(s) == null && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
    }

    /** Waits (up to {@code timeout}) for the senders and for every command's final result. */
    void awaitResults(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : senders) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        while (System.nanoTime() < deadline) {
            if (sent.stream().allMatch(s -> poll(s) != null)) {
                break;
            }
            Thread.sleep(500);
        }
    }

    /**
     * Judges each store's commands: the journal's final states, the results topic, the echoes on the canonical
     * topics, the stores' state and their count of writes applied twice.
     */
    CommandsVerdict verdict(Endpoints endpoints) {
        sent.forEach(this::poll);
        Map<String, Set<String>> results = new HashMap<>();
        Set<String> echoed = new HashSet<>();
        Set<String> ids = new HashSet<>();
        sent.forEach(s -> ids.add(s.id()));
        try (PipelineKafka kafka = new PipelineKafka(endpoints.kafkaBootstrap(), endpoints.registryUrl())) {
            kafka.readRange(CommerceTopic.COMMAND_RESULTS.topicName(), null, record -> {
                CommandResult result = (CommandResult) kafka.decode(record);
                results.computeIfAbsent(result.getCommandId(), k -> new HashSet<>())
                        .add(result.getStatus().name());
            });
            for (CommerceTopic topic : CommerceTopic.values()) {
                if (!topic.isCanonical()) {
                    continue;
                }
                kafka.readRange(topic.topicName(), null, record -> {
                    Object metadata = ((GenericRecord) kafka.decode(record)).get("metadata");
                    Object commandId = metadata instanceof GenericRecord m ? m.get("command_id") : null;
                    if (commandId != null && ids.contains(commandId.toString())) {
                        echoed.add(commandId.toString());
                    }
                });
            }
        }
        List<CommandsVerdict.Row> rows = new ArrayList<>();
        for (SimulatedStore store : stores) {
            rows.add(judge(store, results, echoed));
        }
        return new CommandsVerdict(rows);
    }

    private CommandsVerdict.Row judge(SimulatedStore store, Map<String, Set<String>> results, Set<String> echoed) {
        List<Sent> mine = sent.stream().filter(s -> s.store() == store).toList();
        int applied = 0, expired = 0, failed = 0, ambiguous = 0, echoes = 0, lost = 0, oneResult = 0;
        int ambiguousRecognisable = 0, ambiguousEchoed = 0;
        Set<CommandKind> recognisable = registry.get(store.platform()).recognisableEchoes();
        long twice = store.stats().writesAppliedTwice();
        Map<String, Integer> rejected = new TreeMap<>();
        // The last command of each entity the journal says was applied: the store must show it.
        Map<String, Sent> lastApplied = new LinkedHashMap<>();
        for (Sent s : mine) {
            JsonNode row = finals.get(s.id());
            Set<String> published = results.getOrDefault(s.id(), Set.of());
            if (row == null) {
                lost++;
                continue;
            }
            String state = row.path("state").asText();
            if (published.size() == 1 && published.contains(state)) {
                oneResult++;
            }
            switch (state) {
                case "APPLIED" -> {
                    applied++;
                    String errorClass = row.path("error_class").asText("");
                    boolean wasAmbiguous = errorClass.equals("SERVER") || errorClass.equals("TRANSPORT");
                    boolean wasEchoed = echoed.contains(s.id());
                    if (wasAmbiguous) {
                        ambiguous++;
                        if (recognisable.contains(s.kind())) {
                            ambiguousRecognisable++;
                            if (wasEchoed) {
                                ambiguousEchoed++;
                            }
                        }
                    }
                    if (wasEchoed) {
                        echoes++;
                    }
                    if (s.copies() != null) {
                        lastApplied.merge(s.entity(), s, (a, b) -> a.sentAt() > b.sentAt() ? a : b);
                    }
                }
                case "REJECTED" -> rejected.merge(row.path("reason").asText("?"), 1, Integer::sum);
                case "EXPIRED" -> expired++;
                default -> failed++;
            }
        }
        int matched = 0;
        for (Sent s : lastApplied.values()) {
            long copies = s.copies().applyAsLong(store);
            if (copies == 1) {
                matched++;
            } else if (copies > 1) {
                twice++;
            } else {
                lost++; // a result without the store's state to match
            }
        }
        return new CommandsVerdict.Row(
                store.platform(),
                store.storeId(),
                mine.size(),
                applied,
                rejected,
                expired,
                failed,
                ambiguous,
                echoes,
                ambiguousRecognisable,
                ambiguousEchoed,
                (int) twice,
                lost,
                lastApplied.size(),
                matched,
                oneResult,
                store.stats().fault(Fault.WRITE_RATE_LIMITED),
                store.stats().fault(Fault.WRITE_ERROR_AFTER_APPLY),
                store.stats().fault(Fault.WRITE_TIMEOUT_AFTER_APPLY));
    }
}
