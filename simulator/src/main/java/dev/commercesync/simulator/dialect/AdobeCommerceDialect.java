package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.RateLimitProfile;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiBudget;
import dev.commercesync.simulator.http.ApiRequest;
import dev.commercesync.simulator.model.Address;
import dev.commercesync.simulator.model.Customer;
import dev.commercesync.simulator.model.IdKind;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderLine;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.Refund;
import dev.commercesync.simulator.model.Shipment;
import dev.commercesync.simulator.model.SimEntity;
import dev.commercesync.simulator.webhooks.DeliveryPolicy;
import dev.commercesync.simulator.webhooks.Subscription;
import dev.commercesync.simulator.webhooks.WebhookMessage;
import io.github.bucket4j.TimeMeter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adobe Commerce (Magento 2, adapter {@code magento2}): the REST API under the store's REST root ({@code
 * <base>/V1/...}) with an integration's Bearer token; lists are {@code searchCriteria} searches ({@code
 * filter_groups} ANDed, {@code updated_at} compared in whole UTC seconds, {@code pageSize} at most 300 as 2.4.7's
 * default {@code webapi/validation/maximum_page_size}, {@code currentPage} past the end answered with the last page)
 * answering {@code items}, {@code search_criteria} and {@code total_count}: orders, products, customers ({@code
 * /V1/customers/search}), shipments ({@code /V1/shipments}), credit memos ({@code /V1/creditmemos}) and MSI source
 * items ({@code /V1/inventory/source-items}); get by id ({@code /V1/orders/{id}}, {@code /V1/products/{sku}}, {@code
 * /V1/customers/{id}}, {@code /V1/shipment/{id}}, {@code /V1/creditmemo/{id}}) and {@code /V1/store/storeConfigs}.
 *
 * <p>Rate behaviour: Adobe Commerce has no per-store REST quota of its own; the simulator enforces the adapter's {@link
 * RateLimitProfile} (read from the adapter, so the fact stays in one place) as a refilling bucket, answers 429 with
 * {@code Retry-After} when it is spent or on an injected fault (as Fastly does in front of Adobe Commerce Cloud), and
 * sends no quota headers.
 *
 * <p>Events are Adobe I/O Events deliveries: CloudEvents 1.0 JSON of the observer events {@code
 * com.adobe.commerce.observer.<model>_save_commit_after} whose {@code data.value} carries the model's fields (as a
 * subscription choosing all the fields the mappers need would), signed with RSA-SHA256 in {@code
 * x-adobe-digital-signature-1} and {@code -2}. Each store has its own key pair; what the ingest registers as the
 * store's webhook secret is {@code {"client_id": <Developer Console project>, "public_key": <PEM>}} ({@link
 * #webhookSecret}), the form {@code AdobeIoEventsVerifier} reads. The store id is the event provider id of the
 * CloudEvent {@code source}. Stock moves have no observer event of their own: the product's save event carries the new
 * quantity ({@code stock_data.qty}). Registrations are not the store API's (Adobe Developer Console, {@code bin/magento
 * events:subscribe}; the adapter's capabilities say {@code subscriptionsThroughApi} false): the store serves no
 * webhook routes and is subscribed directly ({@code subscribeAll}).
 */
public final class AdobeCommerceDialect implements PlatformDialect {
    static final String NAME = "magento2";
    /** Magento's REST times: UTC, whole seconds, {@code 2017-08-21 22:22:19}. */
    private static final DateTimeFormatter MAGENTO_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static final DateTimeFormatter MAGENTO = MAGENTO_LOCAL.withZone(ZoneOffset.UTC);
    /** 2.4.7's default {@code webapi/validation/maximum_page_size}. */
    private static final int MAX_PAGE_SIZE = 300;

    private static final String OBSERVER = "com.adobe.commerce.observer.";
    private static final String ORDER_EVENT = OBSERVER + "sales_order_save_commit_after";
    private static final String PRODUCT_EVENT = OBSERVER + "catalog_product_save_commit_after";
    private static final String CUSTOMER_EVENT = OBSERVER + "customer_save_commit_after";
    private static final String CREDITMEMO_EVENT = OBSERVER + "sales_order_creditmemo_save_commit_after";
    private static final String SHIPMENT_EVENT = OBSERVER + "sales_order_shipment_save_commit_after";
    /** MSI's {@code SourceItemsSaveInterface::execute} as a plugin event: its argument, the saved source items. */
    private static final String SOURCE_ITEMS_SAVE_EVENT =
            "com.adobe.commerce.plugin.magento.inventory_api.api.source_items_save.execute";

    private static final Pattern ORDER = Pattern.compile("/V1/orders/([0-9]+)");
    private static final Pattern PRODUCT = Pattern.compile("/V1/products/([^/]+)");
    private static final Pattern CUSTOMER = Pattern.compile("/V1/customers/([0-9]+)");
    private static final Pattern CREDITMEMO = Pattern.compile("/V1/creditmemo/([0-9]+)");
    private static final Pattern SHIPMENT = Pattern.compile("/V1/shipment/([0-9]+)");
    private static final Pattern FILTER =
            Pattern.compile("searchCriteria\\[filter_groups]\\[([0-9]+)]\\[filters]\\[([0-9]+)]\\[field]");

    /** Per store, the private key of its registered public key (keyed by the registered secret's text). */
    private final Map<String, PrivateKey> signingKeys = new ConcurrentHashMap<>();

    @Override
    public String platform() {
        return NAME;
    }

    /** Magento's entity ids are small auto-increments per table; the order's increment id is 9 digits. */
    @Override
    public long firstId(IdKind kind) {
        return switch (kind) {
            case LOCATION, ORDER, ORDER_NUMBER, REFUND, SHIPMENT -> 1;
            default -> 1 + (long) kind.ordinal() * 100_000L;
        };
    }

    /** Products are keyed by SKU, source items by {@code sku@source_code} (as the adapter maps them). */
    @Override
    public String platformId(SimEntity entity) {
        if (entity instanceof Product product) {
            return product.sku();
        }
        if (entity instanceof InventoryLevel level) {
            return level.sku() + "@" + sourceCode(level.locationId());
        }
        return entity.id();
    }

    /** The Commerce instance's I/O event provider id: the CloudEvent {@code source} the adapter files the store by. */
    @Override
    public String storeId(String storeKey, URI baseUrl) {
        return Payloads.uuid("magento2 event provider " + storeKey);
    }

    @Override
    public ApiCredentials credentials(String storeKey) {
        return new ApiCredentials.AccessToken(Payloads.tokenFor("", storeKey));
    }

    /**
     * The store's registered secret: a key pair of its own (the private half signs its deliveries) and the Developer
     * Console project's client id, as {@code {"client_id", "public_key"}}.
     */
    @Override
    public WebhookSecret webhookSecret(String storeKey, String secret) {
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key pair generator", e);
        }
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        ObjectNode registered = Payloads.object();
        registered.put("client_id", clientId(storeKey, secret));
        registered.put("public_key", pem);
        String text = dev.commercesync.platforms.shared.Json.encode(registered);
        signingKeys.put(text, pair.getPrivate());
        return WebhookSecret.of(text);
    }

    private static String clientId(String storeKey, String secret) {
        return Payloads.sha1Hex(("magento2 client " + storeKey + " " + secret).getBytes(StandardCharsets.UTF_8))
                .substring(0, 32);
    }

    private static RateLimitProfile profile() {
        return PlatformRegistry.loadInstalled().get(NAME).rateLimitProfile();
    }

    @Override
    public Map<String, ApiBudget> budgets(TimeMeter time, boolean enforced) {
        RateLimitProfile profile = profile();
        long scale = enforced ? 1 : 1_000_000;
        return Map.of(
                "api",
                ApiBudget.refilling(
                        (long) profile.budget() * scale, Math.max(1, (long) profile.refillPerSecond()) * scale, time));
    }

    /** Adobe I/O Events retries with exponential backoff for 24 hours; here 8 attempts over about 2 minutes. */
    @Override
    public DeliveryPolicy deliveryPolicy() {
        return new DeliveryPolicy(8, Duration.ofSeconds(1), 0);
    }

    @Override
    public Set<String> topics() {
        return Set.of(
                ORDER_EVENT, PRODUCT_EVENT, CUSTOMER_EVENT, CREDITMEMO_EVENT, SHIPMENT_EVENT, SOURCE_ITEMS_SAVE_EVENT);
    }

    // ---- Integrations: activation (OAuth 1.0a token exchange), signed requests, ACL ----

    /** The integration's ACL resources of the reads whose routes check them here ({@link #resourceOf}). */
    private static final Set<String> ACL_RESOURCES =
            Set.of("Magento_Sales::actions_view", "Magento_Catalog::products", "Magento_Customer::customer");

    /** A request token issued for a consumer, to be exchanged with the activation's verifier. */
    private record RequestToken(String storeKey, String secret) {}

    private final Map<String, RequestToken> requestTokens = new ConcurrentHashMap<>();

    /** The store's integration: its consumer key and secret, access token and access token secret. */
    private static dev.commercesync.platforms.shared.OAuth1Signatures.Keys integration(StoreContext store) {
        return new dev.commercesync.platforms.shared.OAuth1Signatures.Keys(
                Payloads.tokenFor("", store.storeKey() + " integration consumer key"),
                Payloads.tokenFor("", store.storeKey() + " integration consumer secret"),
                ((ApiCredentials.AccessToken) store.credentials()).token(),
                Payloads.tokenFor("", store.storeKey() + " integration access token secret"));
    }

    /**
     * The merchant activates the integration whose callback URL is {@code callbackUrl}: the store POSTs {@code
     * oauth_consumer_key}, {@code oauth_consumer_secret}, {@code store_base_url} and a fresh {@code oauth_verifier}
     * (form-encoded) to it; the answer's status (the Admin shows an error unless 2xx). The integration's ACL is every
     * resource unless {@link AppInstalls#grantOnly} narrows it.
     */
    @Override
    public int activateIntegration(URI callbackUrl, String storeBaseUrl, StoreContext store) {
        var keys = integration(store);
        String verifier = store.appInstalls().issue(keys.consumerKey(), ACL_RESOURCES);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("oauth_consumer_key", keys.consumerKey());
        form.put("oauth_consumer_secret", keys.consumerSecret());
        form.put("store_base_url", storeBaseUrl);
        form.put("oauth_verifier", verifier);
        return store.appInstalls()
                .deliver(
                        callbackUrl,
                        "application/x-www-form-urlencoded",
                        dev.commercesync.platforms.shared.TokenRequests.form(form)
                                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code POST /oauth/token/request} (signed with the consumer's key and secret: a request token) and {@code POST
     * /oauth/token/access} (signed with the consumer's and the request token's secrets, with the activation's {@code
     * oauth_verifier}: the integration's access token, which works again from then on). Answers are form-encoded;
     * a bad signature, an unknown consumer, token or verifier is a 401 with {@code oauth_problem}.
     */
    @Override
    public ApiAnswer appInstall(ApiRequest request, StoreContext store) {
        boolean requestToken = request.path().equals("/oauth/token/request");
        if (!(requestToken || request.path().equals("/oauth/token/access"))
                || !request.method().equals("POST")) {
            return null;
        }
        var keys = integration(store);
        Map<String, String> oauth = dev.commercesync.platforms.shared.OAuth1Signatures.parseAuthorization(
                request.header("Authorization").orElse(null));
        URI signed = signedUri(request, store);
        if (!keys.consumerKey().equals(oauth.get("oauth_consumer_key"))) {
            return oauthProblem("consumer_key_rejected");
        }
        if (requestToken) {
            if (!dev.commercesync.platforms.shared.OAuth1Signatures.verifies(
                    "POST", signed, oauth, keys.consumerSecret(), "")) {
                return oauthProblem("signature_invalid");
            }
            String token = Payloads.tokenFor("", store.storeKey() + " request token " + UUID.randomUUID());
            String secret = Payloads.tokenFor("", token + " secret");
            requestTokens.put(token, new RequestToken(store.storeKey(), secret));
            return formAnswer(Map.of("oauth_token", token, "oauth_token_secret", secret));
        }
        RequestToken issued = requestTokens.get(oauth.getOrDefault("oauth_token", ""));
        if (issued == null || !issued.storeKey().equals(store.storeKey())) {
            return oauthProblem("token_rejected");
        }
        if (!dev.commercesync.platforms.shared.OAuth1Signatures.verifies(
                "POST", signed, oauth, keys.consumerSecret(), issued.secret())) {
            return oauthProblem("signature_invalid");
        }
        String verifier = oauth.getOrDefault("oauth_verifier", "");
        if (!store.appInstalls()
                .peek(verifier)
                .map(code -> code.clientId().equals(keys.consumerKey()))
                .orElse(false)) {
            return oauthProblem("verifier_invalid");
        }
        requestTokens.remove(oauth.get("oauth_token"));
        store.appInstalls().redeem(verifier);
        return formAnswer(Map.of("oauth_token", keys.token(), "oauth_token_secret", keys.tokenSecret()));
    }

    private static ApiAnswer oauthProblem(String problem) {
        return new ApiAnswer(
                401,
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                ("oauth_problem=" + problem).getBytes(StandardCharsets.UTF_8));
    }

    private static ApiAnswer formAnswer(Map<String, String> fields) {
        return new ApiAnswer(
                200,
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                dev.commercesync.platforms.shared.TokenRequests.form(new java.util.TreeMap<>(fields))
                        .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The integration's access token as a Bearer token, or a request OAuth 1.0a-signed (HMAC-SHA256 or -SHA1) with its
     * four values; and, once the integration was activated, a route whose ACL resource it holds. Adobe Commerce
     * answers 401 for either refusal.
     */
    @Override
    public boolean authorized(ApiRequest request, StoreContext store) {
        String header = request.header("Authorization").orElse("");
        boolean authenticated;
        if (header.equals("Bearer " + credentialsText(store.credentials()))) {
            authenticated = true;
        } else {
            var keys = integration(store);
            Map<String, String> oauth = dev.commercesync.platforms.shared.OAuth1Signatures.parseAuthorization(header);
            URI signed = signedUri(request, store);
            authenticated = keys.consumerKey().equals(oauth.get("oauth_consumer_key"))
                    && keys.token().equals(oauth.get("oauth_token"))
                    && dev.commercesync.platforms.shared.OAuth1Signatures.verifies(
                            request.method(), signed, oauth, keys.consumerSecret(), keys.tokenSecret());
        }
        Set<String> acl = store.appInstalls().grantedScopes();
        String resource = resourceOf(request.path());
        return authenticated && (acl.isEmpty() || resource == null || acl.contains(resource));
    }

    /**
     * The URI the client signed: the address it called (its {@code Host}, which may differ from the simulator's own
     * name behind a container network), the store's base path, the route and the query.
     */
    private static URI signedUri(ApiRequest request, StoreContext store) {
        URI base = store.baseUrl();
        String query = dev.commercesync.platforms.shared.TokenRequests.form(request.query());
        return URI.create(base.getScheme() + "://" + request.header("Host").orElse(base.getRawAuthority())
                + base.getRawPath().replaceAll("/+$", "")
                + request.path()
                + (query.isEmpty() ? "" : "?" + query));
    }

    /** The ACL resource Adobe Commerce checks for the reads of {@link #ACL_RESOURCES}; null for other routes. */
    private static String resourceOf(String path) {
        if (path.startsWith("/V1/orders")) {
            return "Magento_Sales::actions_view";
        }
        if (path.startsWith("/V1/products")) {
            return "Magento_Catalog::products";
        }
        if (path.startsWith("/V1/customers")) {
            return "Magento_Customer::customer";
        }
        return null;
    }

    @Override
    public ApiAnswer handle(ApiRequest request, StoreContext store) {
        ApiBudget.Outcome budget = store.budget("api").consume(1);
        if (!budget.granted()) {
            store.stats().apiRateLimited();
            return tooManyRequests(budget.retryAfter());
        }
        return route(request, store);
    }

    @Override
    public ApiAnswer rateLimited(ApiRequest request, StoreContext store) {
        return tooManyRequests(profile().defaultRetryAfter());
    }

    private static ApiAnswer tooManyRequests(Duration retryAfter) {
        return error(429, "Too Many Requests")
                .withHeader("Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
    }

    static ApiAnswer error(int status, String message) {
        ObjectNode body = Payloads.object();
        body.put("message", message);
        return ApiAnswer.json(status, body);
    }

    static ApiAnswer notFound() {
        return error(404, "The entity that was requested doesn't exist. Verify the entity and try again.");
    }

    private ApiAnswer route(ApiRequest request, StoreContext store) {
        Optional<ApiAnswer> written = AdobeCommerceWrites.route(request, store);
        if (written.isPresent()) {
            return written.get();
        }
        if (!request.method().equals("GET")) {
            return error(404, "Request does not match any route.");
        }
        String path = request.path();
        Matcher m;
        switch (path) {
            case "/V1/store/storeConfigs" -> {
                ArrayNode configs = dev.commercesync.platforms.shared.Json.MAPPER.createArrayNode();
                ObjectNode config = configs.addObject();
                config.put("id", 1);
                config.put("code", "default");
                config.put("website_id", 1);
                config.put("locale", "en_US");
                config.put("base_currency_code", "USD");
                config.put("default_display_currency_code", "USD");
                config.put("timezone", "UTC");
                config.put("base_url", store.baseUrl().toString());
                return ApiAnswer.json(200, configs);
            }
            case "/V1/orders" -> {
                return search(request, store, EntityType.ORDER, e -> order((Order) e, store));
            }
            case "/V1/products" -> {
                return search(request, store, EntityType.PRODUCT, e -> product((Product) e));
            }
            case "/V1/customers/search" -> {
                return search(request, store, EntityType.CUSTOMER, e -> customer((Customer) e));
            }
            case "/V1/creditmemos" -> {
                return search(request, store, EntityType.REFUND, e -> creditMemo((Refund) e, store));
            }
            case "/V1/shipments" -> {
                return search(request, store, EntityType.SHIPMENT, e -> shipment((Shipment) e, store));
            }
            case "/V1/inventory/source-items" -> {
                return sourceItems(request, store);
            }
            default -> {
                // by id, below
            }
        }
        if ((m = ORDER.matcher(path)).matches()) {
            return one(store, EntityType.ORDER, m.group(1), Order.class, o -> order(o, store));
        }
        if ((m = CUSTOMER.matcher(path)).matches()) {
            return one(store, EntityType.CUSTOMER, m.group(1), Customer.class, this::customer);
        }
        if ((m = CREDITMEMO.matcher(path)).matches()) {
            return one(store, EntityType.REFUND, m.group(1), Refund.class, r -> creditMemo(r, store));
        }
        if ((m = SHIPMENT.matcher(path)).matches()) {
            return one(store, EntityType.SHIPMENT, m.group(1), Shipment.class, sh -> shipment(sh, store));
        }
        if ((m = PRODUCT.matcher(path)).matches()) {
            String sku = m.group(1);
            return store.state().all(EntityType.PRODUCT).stream()
                    .map(Product.class::cast)
                    .filter(p -> p.sku().equals(sku))
                    .findFirst()
                    .map(p -> ApiAnswer.json(200, product(p)))
                    .orElseGet(AdobeCommerceDialect::notFound);
        }
        return error(404, "Request does not match any route.");
    }

    private static <T extends SimEntity> ApiAnswer one(
            StoreContext store, EntityType type, String id, Class<T> kind, Function<T, ObjectNode> render) {
        return store.state()
                .get(type, id, kind)
                .map(e -> ApiAnswer.json(200, render.apply(e)))
                .orElseGet(AdobeCommerceDialect::notFound);
    }

    // ---- searchCriteria ----

    /** One filter of a search: field, value, condition type ({@code eq} when absent). */
    private record Filter(String field, String value, String condition) {}

    /** The filters of a searchCriteria query, by filter group (groups are ANDed, a group's filters ORed). */
    private static List<List<Filter>> filterGroups(ApiRequest request) {
        Map<Integer, List<Filter>> groups = new java.util.TreeMap<>();
        for (String name : request.query().keySet()) {
            Matcher m = FILTER.matcher(name);
            if (!m.matches()) {
                continue;
            }
            String prefix = name.substring(0, name.length() - "[field]".length());
            groups.computeIfAbsent(Integer.parseInt(m.group(1)), g -> new ArrayList<>())
                    .add(new Filter(
                            request.query().get(name),
                            request.query().getOrDefault(prefix + "[value]", ""),
                            request.param(prefix + "[condition_type]").orElse("eq")));
        }
        return List.copyOf(groups.values());
    }

    /** A filter on {@code updated_at}: Magento compares the stored whole seconds with the value as text. */
    private static Predicate<Instant> timeFilter(Filter filter) {
        Instant at = LocalDateTime.parse(filter.value(), MAGENTO_LOCAL).toInstant(ZoneOffset.UTC);
        return switch (filter.condition()) {
            case "gteq" -> t -> !t.isBefore(at);
            case "gt" -> t -> t.isAfter(at);
            case "lt" -> t -> t.isBefore(at);
            case "lteq" -> t -> !t.isAfter(at);
            case "eq" -> t -> t.equals(at);
            default -> throw new IllegalArgumentException(filter.condition());
        };
    }

    /**
     * A search of entities by {@code updated_at}, sorted by it (ascending): orders, products, customers, memos; the
     * order's shipments and credit memos also by {@code order_id} ({@code eq} or {@code in}, as Adobe Commerce's
     * sales repositories filter them).
     */
    private static ApiAnswer search(
            ApiRequest request, StoreContext store, EntityType type, Function<SimEntity, ObjectNode> render) {
        Predicate<SimEntity> matches = e -> true;
        boolean byOrder = type == EntityType.SHIPMENT || type == EntityType.REFUND;
        try {
            for (List<Filter> group : filterGroups(request)) {
                Predicate<SimEntity> any = e -> false;
                for (Filter filter : group) {
                    if (filter.field().equals("updated_at")) {
                        Predicate<Instant> time = timeFilter(filter);
                        any = any.or(e -> time.test(e.updatedAt()));
                    } else if (byOrder && filter.field().equals("order_id")) {
                        any = any.or(orderFilter(filter));
                    } else {
                        return error(400, "\"" + filter.field() + "\" is not supported here by the simulator.");
                    }
                }
                matches = matches.and(any);
            }
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return error(400, "The searchCriteria filter is invalid.");
        }
        List<SimEntity> found = new ArrayList<>();
        for (SimEntity e : store.state().changedSince(type, Instant.EPOCH)) {
            if (matches.test(e)) {
                found.add(e);
            }
        }
        return page(request, found, render);
    }

    /** A filter on {@code order_id}: {@code eq}, or {@code in} a comma-separated list. */
    private static Predicate<SimEntity> orderFilter(Filter filter) {
        List<String> ids =
                switch (filter.condition()) {
                    case "eq" -> List.of(filter.value().trim());
                    case "in" ->
                        Arrays.stream(filter.value().split(","))
                                .map(String::trim)
                                .toList();
                    default -> throw new IllegalArgumentException(filter.condition());
                };
        return e -> ids.contains(e.parentId());
    }

    /** The page {@code currentPage} of {@code pageSize} (past the end: the last page, as Magento answers). */
    private static ApiAnswer page(ApiRequest request, List<SimEntity> found, Function<SimEntity, ObjectNode> render) {
        int size = request.intParam("searchCriteria[pageSize]", 0);
        if (size > MAX_PAGE_SIZE) {
            ObjectNode body = Payloads.object();
            body.put("message", "Maximum SearchCriteria pageSize is %1");
            body.putArray("parameters").add(MAX_PAGE_SIZE);
            return ApiAnswer.json(400, body);
        }
        List<SimEntity> slice = found;
        int current = Math.max(1, request.intParam("searchCriteria[currentPage]", 1));
        if (size > 0) {
            int lastPage = Math.max(1, (found.size() + size - 1) / size);
            int pageNo = Math.min(current, lastPage);
            slice = found.subList(Math.min(found.size(), (pageNo - 1) * size), Math.min(found.size(), pageNo * size));
        }
        ObjectNode root = Payloads.object();
        ArrayNode items = root.putArray("items");
        slice.forEach(e -> items.add(render.apply(e)));
        ObjectNode criteria = root.putObject("search_criteria");
        ArrayNode groups = criteria.putArray("filter_groups");
        for (List<Filter> group : filterGroups(request)) {
            ArrayNode filters = groups.addObject().putArray("filters");
            for (Filter f : group) {
                filters.addObject()
                        .put("field", f.field())
                        .put("value", f.value())
                        .put("condition_type", f.condition());
            }
        }
        if (size > 0) {
            criteria.put("page_size", size);
            criteria.put("current_page", current);
        }
        root.put("total_count", found.size());
        return ApiAnswer.json(200, root);
    }

    /** GET /V1/inventory/source-items: filters {@code eq} or {@code in} on sku and source_code. */
    private ApiAnswer sourceItems(ApiRequest request, StoreContext store) {
        List<List<Filter>> groups = filterGroups(request);
        List<SimEntity> found = new ArrayList<>();
        for (SimEntity e : store.state().all(EntityType.INVENTORY_LEVEL)) {
            InventoryLevel level = (InventoryLevel) e;
            Map<String, String> fields = Map.of("sku", level.sku(), "source_code", sourceCode(level.locationId()));
            boolean all = true;
            for (List<Filter> group : groups) {
                boolean any = false;
                for (Filter f : group) {
                    String value = fields.get(f.field());
                    any |= value != null
                            && (f.condition().equals("in")
                                    ? List.of(f.value().split(",")).contains(value)
                                    : value.equals(f.value()));
                }
                all &= any;
            }
            if (all) {
                found.add(level);
            }
        }
        return page(request, found, e -> sourceItem((InventoryLevel) e));
    }

    // ---- payloads, from Adobe's published examples ----

    private static String time(Instant at) {
        return MAGENTO.format(at);
    }

    /** MSI source codes: the single-source store's {@code default}, then one per further location. */
    private String sourceCode(String locationId) {
        return Long.parseLong(locationId) == firstId(IdKind.LOCATION) ? "default" : "source_" + locationId;
    }

    private ObjectNode sourceItem(InventoryLevel level) {
        ObjectNode item = Payloads.object();
        item.put("sku", level.sku());
        item.put("source_code", sourceCode(level.locationId()));
        item.put("quantity", level.available());
        item.put("status", level.available() > 0 ? 1 : 0);
        return item;
    }

    /** Adobe Commerce's state and status of an order whose simulated status is {@code simulated}. */
    private static String[] stateOf(Order order, OrderStatus simulated) {
        if (simulated == OrderStatus.CANCELLED) {
            return new String[] {"canceled", "canceled"};
        } else if (simulated == OrderStatus.ON_HOLD) {
            return new String[] {"holded", "holded"};
        } else if ((order.fullyRefunded() && order.refunded().signum() > 0) || simulated == OrderStatus.REFUNDED) {
            return new String[] {"closed", "closed"};
        } else if (simulated == OrderStatus.FULFILLED || simulated == OrderStatus.CLOSED) {
            return new String[] {"complete", "complete"};
        } else if (simulated == OrderStatus.PAID) {
            return new String[] {"processing", "processing"};
        }
        return new String[] {"new", "pending"};
    }

    private ObjectNode order(Order order, StoreContext store) {
        ObjectNode json = Payloads.template("magento2/order.rest_get_V1_orders_id.json");
        long id = Payloads.id(order.id());
        String[] stateAndStatus = stateOf(order, order.status());
        String state = stateAndStatus[0];
        String status = stateAndStatus[1];
        Optional<OrderStatus> before = store.writer().read(w -> w.statusBefore(order.id()));
        if (before.isPresent()) {
            // held: Adobe Commerce keeps the state and status to return to on unhold
            String[] held = stateOf(order, before.get());
            json.put("hold_before_state", held[0]);
            json.put("hold_before_status", held[1]);
        } else {
            json.remove("hold_before_state");
            json.remove("hold_before_status");
        }
        BigDecimal subtotal = order.subtotal();
        BigDecimal total = order.total();
        BigDecimal paid = order.status() == OrderStatus.PENDING || order.status() == OrderStatus.CANCELLED
                ? BigDecimal.ZERO
                : total;
        json.put("entity_id", id);
        json.put("increment_id", String.format("%09d", order.number()));
        json.put("state", state);
        json.put("status", status);
        json.put("created_at", time(order.createdAt()));
        json.put("updated_at", time(order.updatedAt()));
        json.put("customer_id", Payloads.id(order.customerId()));
        json.put("customer_email", order.email());
        json.put("customer_firstname", order.firstName());
        json.put("customer_lastname", order.lastName());
        json.put("customer_is_guest", 0);
        if (order.note() != null) {
            json.put("customer_note", order.note());
        }
        for (String field : List.of("order_currency_code", "base_currency_code", "store_currency_code")) {
            json.put(field, order.currency());
        }
        for (String prefix : List.of("", "base_")) {
            json.put(prefix + "subtotal", subtotal);
            json.put(prefix + "subtotal_incl_tax", subtotal);
            json.put(prefix + "shipping_amount", order.shipping());
            json.put(prefix + "shipping_incl_tax", order.shipping());
            json.put(prefix + "grand_total", total);
            json.put(prefix + "total_due", total.subtract(paid));
            json.put(prefix + "total_paid", paid);
            json.put(prefix + "total_refunded", order.refunded());
        }
        json.put("total_item_count", order.lines().size());
        json.put("total_qty_ordered", order.itemCount());
        json.put("quote_id", id);
        ArrayNode items = json.putArray("items");
        ObjectNode itemTemplate = (ObjectNode) Payloads.template("magento2/order.rest_get_V1_orders_id.json")
                .path("items")
                .path(0);
        for (OrderLine line : order.lines()) {
            ObjectNode item = itemTemplate.deepCopy();
            item.put("item_id", Payloads.id(line.id()));
            item.put("quote_item_id", Payloads.id(line.id()));
            item.put("order_id", id);
            item.put("product_id", Payloads.id(line.productId()));
            item.put("sku", line.sku());
            item.put("name", line.title());
            item.put("created_at", time(order.createdAt()));
            item.put("updated_at", time(order.updatedAt()));
            for (String field : List.of("price", "base_price", "original_price", "base_original_price")) {
                item.put(field, line.unitPrice());
            }
            item.put("price_incl_tax", line.unitPrice());
            item.put("base_price_incl_tax", line.unitPrice());
            for (String field :
                    List.of("row_total", "base_row_total", "row_total_incl_tax", "base_row_total_incl_tax")) {
                item.put(field, line.total());
            }
            BigDecimal refunded = line.unitPrice().multiply(BigDecimal.valueOf(line.refundedQuantity()));
            item.put("qty_ordered", line.quantity());
            item.put("qty_invoiced", paid.signum() > 0 ? line.quantity() : 0);
            item.put("qty_shipped", order.status() == OrderStatus.FULFILLED ? line.quantity() : 0);
            item.put("qty_refunded", line.refundedQuantity());
            item.put("qty_canceled", order.status() == OrderStatus.CANCELLED ? line.quantity() : 0);
            item.put("amount_refunded", refunded);
            item.put("base_amount_refunded", refunded);
            items.add(item);
        }
        ObjectNode billing = (ObjectNode) json.path("billing_address");
        orderAddress(billing, order, id, id * 2);
        ObjectNode payment = (ObjectNode) json.path("payment");
        payment.put("entity_id", id);
        payment.put("parent_id", id);
        payment.put("amount_ordered", total);
        payment.put("base_amount_ordered", total);
        payment.put("shipping_amount", order.shipping());
        payment.put("base_shipping_amount", order.shipping());
        json.put("billing_address_id", id * 2);
        ObjectNode shipping = (ObjectNode) json.path("extension_attributes")
                .path("shipping_assignments")
                .path(0)
                .path("shipping");
        orderAddress((ObjectNode) shipping.path("address"), order, id, id * 2 + 1);
        ObjectNode shippingTotal = (ObjectNode) shipping.path("total");
        for (String prefix : List.of("", "base_")) {
            shippingTotal.put(prefix + "shipping_amount", order.shipping());
            shippingTotal.put(prefix + "shipping_incl_tax", order.shipping());
        }
        ((ObjectNode) json.path("extension_attributes")
                        .path("shipping_assignments")
                        .path(0))
                .set("items", items);
        return json;
    }

    private static void orderAddress(ObjectNode json, Order order, long orderId, long addressId) {
        json.put("entity_id", addressId);
        json.put("parent_id", orderId);
        json.put("email", order.email());
        json.put("firstname", order.firstName());
        json.put("lastname", order.lastName());
        address(json, order.address());
        json.put("region", order.address().province());
        json.put("region_code", order.address().provinceCode());
    }

    private static void address(ObjectNode json, Address a) {
        json.put("city", a.city());
        json.put("country_id", a.countryCode());
        json.put("postcode", a.zip());
        json.putArray("street").add(a.address1());
        json.put("telephone", a.phone());
    }

    private static ObjectNode product(Product product) {
        ObjectNode json = Payloads.template("magento2/product.rest_post_V1_products_response.json");
        json.put("id", Payloads.id(product.id()));
        json.put("sku", product.sku());
        json.put("name", product.title());
        json.put("price", product.price());
        json.put("status", 1);
        json.put("created_at", time(product.createdAt()));
        json.put("updated_at", time(product.updatedAt()));
        ObjectNode stock = (ObjectNode) json.path("extension_attributes").path("stock_item");
        stock.put("item_id", Payloads.id(product.id()));
        stock.put("product_id", Payloads.id(product.id()));
        stock.put("qty", product.stock());
        stock.put("is_in_stock", product.stock() > 0);
        for (com.fasterxml.jackson.databind.JsonNode attribute : json.path("custom_attributes")) {
            String code = attribute.path("attribute_code").asText();
            if (code.equals("description")) {
                ((ObjectNode) attribute).put("value", "<p>" + product.title() + "</p>");
            } else if (code.equals("url_key")) {
                ((ObjectNode) attribute).put("value", product.handle());
            }
        }
        return json;
    }

    private ObjectNode customer(Customer customer) {
        ObjectNode json = Payloads.template("magento2/customer.rest_post_V1_customers_response.json");
        long id = Payloads.id(customer.id());
        json.put("id", id);
        json.put("email", customer.email());
        json.put("firstname", customer.firstName());
        json.put("lastname", customer.lastName());
        json.put("created_at", time(customer.createdAt()));
        json.put("updated_at", time(customer.updatedAt()));
        json.put("default_billing", Long.toString(id));
        json.put("default_shipping", Long.toString(id));
        ObjectNode address = (ObjectNode) json.path("addresses").path(0);
        address.put("id", id);
        address.put("customer_id", id);
        address.put("firstname", customer.firstName());
        address.put("lastname", customer.lastName());
        address(address, customer.address());
        ObjectNode region = (ObjectNode) address.path("region");
        region.put("region", customer.address().province());
        region.put("region_code", customer.address().provinceCode());
        return json;
    }

    private static ObjectNode creditMemo(Refund refund, StoreContext store) {
        ObjectNode json = Payloads.template("magento2/creditmemo.assembled_from_refund_tutorial.json");
        long id = Payloads.id(refund.id());
        Optional<Order> order = store.state().get(EntityType.ORDER, refund.orderId(), Order.class);
        String currency = order.map(Order::currency).orElse("USD");
        json.put("entity_id", id);
        json.put("increment_id", String.format("%09d", id));
        json.put("order_id", Payloads.id(refund.orderId()));
        json.put("created_at", time(refund.createdAt()));
        json.put("updated_at", time(refund.updatedAt()));
        for (String field : List.of("order_currency_code", "base_currency_code", "store_currency_code")) {
            json.put(field, currency);
        }
        for (String prefix : List.of("", "base_")) {
            json.put(prefix + "grand_total", refund.amount());
            json.put(prefix + "subtotal", refund.amount());
            json.put(prefix + "subtotal_incl_tax", refund.amount());
        }
        ObjectNode item = (ObjectNode) json.path("items").path(0);
        item.put("entity_id", id);
        item.put("parent_id", id);
        item.put("order_item_id", Payloads.id(refund.lineId()));
        item.put("qty", refund.quantity());
        BigDecimal unit = refund.amount().divide(BigDecimal.valueOf(refund.quantity()));
        for (String field : List.of("price", "base_price", "price_incl_tax")) {
            item.put(field, unit);
        }
        for (String field : List.of("row_total", "base_row_total", "row_total_incl_tax")) {
            item.put(field, refund.amount());
        }
        order.flatMap(o -> o.lines().stream()
                        .filter(l -> l.id().equals(refund.lineId()))
                        .findFirst())
                .ifPresent(line -> {
                    item.put("sku", line.sku());
                    item.put("name", line.title());
                    item.put("product_id", Payloads.id(line.productId()));
                });
        ArrayNode comments = json.putArray("comments");
        comments.addObject().put("comment", refund.reason()).put("parent_id", id);
        return json;
    }

    /**
     * A shipment ({@code salesDataShipmentInterface}): items, one track (carrier code and title), the MSI source; the
     * carrier's progress shows as a comment (Magento shipments have no delivery status), and moves updated_at.
     */
    private ObjectNode shipment(Shipment shipment, StoreContext store) {
        ObjectNode json = Payloads.template("magento2/shipment.assembled_from_shipment_tutorial.json");
        long id = Payloads.id(shipment.id());
        long orderId = Payloads.id(shipment.orderId());
        Optional<Order> order = store.state().get(EntityType.ORDER, shipment.orderId(), Order.class);
        json.put("entity_id", id);
        json.put("increment_id", String.format("%09d", id));
        json.put("order_id", orderId);
        json.put("customer_id", order.map(o -> Payloads.id(o.customerId())).orElse(0L));
        json.put("billing_address_id", orderId * 2);
        json.put("shipping_address_id", orderId * 2 + 1);
        json.put("created_at", time(shipment.createdAt()));
        json.put("updated_at", time(shipment.updatedAt()));
        json.put(
                "total_qty",
                shipment.lines().stream().mapToInt(Shipment.Line::quantity).sum());
        ObjectNode itemTemplate = (ObjectNode) json.path("items").path(0);
        ArrayNode items = json.putArray("items");
        int index = 0;
        for (Shipment.Line line : shipment.lines()) {
            ObjectNode item = itemTemplate.deepCopy();
            item.put("entity_id", id * 100 + index++);
            item.put("parent_id", id);
            item.put("order_item_id", Payloads.id(line.orderLineId()));
            item.put("product_id", Payloads.id(line.productId()));
            item.put("sku", line.sku());
            item.put("name", line.title());
            item.put("qty", line.quantity());
            order.flatMap(o -> o.lines().stream()
                            .filter(l -> l.id().equals(line.orderLineId()))
                            .findFirst())
                    .ifPresent(l -> item.put("price", l.unitPrice()));
            items.add(item);
        }
        ObjectNode track = (ObjectNode) json.path("tracks").path(0);
        track.put("order_id", orderId);
        track.put("parent_id", id);
        track.put("entity_id", id);
        track.put("created_at", time(shipment.createdAt()));
        track.put("updated_at", time(shipment.createdAt()));
        track.put("track_number", shipment.trackingNumber());
        track.put("title", shipment.service());
        track.put("carrier_code", shipment.carrier().split(" ")[0].toLowerCase(java.util.Locale.ROOT));
        ObjectNode comment = json.putArray("comments").addObject();
        comment.put("parent_id", id);
        comment.put(
                "comment",
                shipment.progress().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        comment.put("created_at", time(shipment.updatedAt()));
        ((ObjectNode) json.path("extension_attributes"))
                .put("source_code", sourceCode(Long.toString(firstId(IdKind.LOCATION))));
        return json;
    }

    // ---- Adobe I/O Events ----

    @Override
    public List<WebhookMessage> webhooks(Notification notification, String eventSeed, StoreContext store) {
        SimEntity entity = notification.entity();
        String type;
        ObjectNode value;
        if (entity instanceof Order order) {
            type = ORDER_EVENT;
            value = order(order, store);
        } else if (entity instanceof Product product) {
            type = PRODUCT_EVENT;
            value = productEventValue(product);
        } else if (entity instanceof Customer customer) {
            type = CUSTOMER_EVENT;
            value = customer(customer);
            // the customer model names its id entity_id
            value.put("entity_id", value.path("id").asLong());
        } else if (entity instanceof Refund refund) {
            type = CREDITMEMO_EVENT;
            value = creditMemo(refund, store);
        } else if (entity instanceof Shipment shipment) {
            type = SHIPMENT_EVENT;
            value = shipment(shipment, store);
        } else if (entity instanceof InventoryLevel level) {
            type = SOURCE_ITEMS_SAVE_EVENT;
            value = Payloads.object();
            value.putArray("sourceItems").add(sourceItem(level));
        } else {
            return List.of();
        }
        String eventId = Payloads.uuid("magento2/" + store.storeId() + "/" + eventSeed);
        ObjectNode event = Payloads.object();
        event.put("specversion", "1.0");
        event.put("id", Payloads.uuid("magento2 cloudevent/" + store.storeId() + "/" + eventSeed));
        event.put("source", "urn:uuid:" + store.storeId());
        event.put("type", type);
        event.put("datacontenttype", "application/json");
        event.put("time", entity.updatedAt().toString());
        event.put("eventid", eventId);
        event.put("event_id", eventId);
        String clientId = clientIdOf(store.webhookSecret());
        event.put("recipient_client_id", clientId);
        event.put("recipientclientid", clientId);
        ObjectNode data = event.putObject("data");
        data.put("key", Payloads.uuid("magento2 event key/" + eventId));
        data.set("value", value);
        data.put("source", store.storeId() + ".Production");
        ObjectNode metadata = data.putObject("_metadata");
        metadata.put("commerceEdition", "Adobe Commerce");
        metadata.put("commerceVersion", "2.4.7");
        metadata.put("eventsClientVersion", "1.12.1");
        metadata.put("storeId", "1");
        metadata.put("websiteId", "1");
        metadata.put("storeGroupId", "1");
        return List.of(new WebhookMessage(
                type, Payloads.bytes(event), eventId, entity.updatedAt(), entity.type(), entity.id()));
    }

    /** The fields of a product save event, as the published observer event carries them. */
    private static ObjectNode productEventValue(Product product) {
        ObjectNode value =
                (ObjectNode) Payloads.template("magento2/observer.catalog_product_save_commit_after.cloudevent.json")
                        .path("data")
                        .path("value");
        value.put("sku", product.sku());
        value.put("name", product.title());
        value.put("created_at", time(product.createdAt()));
        value.put("updated_at", time(product.updatedAt()));
        value.putObject("stock_data").put("qty", Integer.toString(product.stock()));
        value.put("price", product.price().setScale(6).toPlainString());
        return value;
    }

    private static String clientIdOf(WebhookSecret registered) {
        try {
            return dev.commercesync.platforms.shared.Json.parseObject(registered.bytes())
                    .path("client_id")
                    .asText();
        } catch (dev.commercesync.platforms.spi.MappingException e) {
            throw new IllegalStateException("a magento2 store's secret is {client_id, public_key}", e);
        }
    }

    @Override
    public Map<String, String> deliveryHeaders(
            Subscription subscription, WebhookMessage message, String deliveryId, Instant sentAt, StoreContext store) {
        PrivateKey key = signingKeys.get(new String(store.webhookSecret().bytes(), StandardCharsets.UTF_8));
        if (key == null) {
            throw new IllegalStateException("no signing key for " + store.storeId());
        }
        String signature;
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(message.body());
            signature = Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("x-adobe-event-code", message.topic());
        headers.put("x-adobe-event-id", message.eventId());
        headers.put("x-adobe-delivery-id", deliveryId);
        // Adobe signs with two key pairs and rotates one at a time; a store here has one, so both headers carry it.
        headers.put("x-adobe-digital-signature-1", signature);
        headers.put("x-adobe-digital-signature-2", signature);
        headers.put("x-adobe-public-key1-path", "/prod/keys/pub-key-" + clientIdOf(store.webhookSecret()) + "-1.pem");
        headers.put("x-adobe-public-key2-path", "/prod/keys/pub-key-" + clientIdOf(store.webhookSecret()) + "-2.pem");
        return headers;
    }

    /** Base prices are keyed by SKU; a product is priced as a whole. */
    @Override
    public String[] priceIds(Product product) {
        return new String[] {product.sku(), null};
    }
}
