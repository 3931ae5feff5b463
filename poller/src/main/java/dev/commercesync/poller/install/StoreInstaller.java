package dev.commercesync.poller.install;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.shared.ApiBaseUrls;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.WebhookSubscription;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.api.PlatformCalls;
import dev.commercesync.poller.api.PlatformCalls.StoreNeedsAttentionException;
import dev.commercesync.poller.api.StoreClients;
import dev.commercesync.poller.polling.PollScheduler;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.poller.webhooks.SubscriptionKeeper;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * A merchant connects a store through the platform's app install ({@link InstallFlow}): {@link #begin} sends the
 * browser to the platform with a fresh state nonce; {@link #complete} takes the platform's signed callback, checks it,
 * the nonce and the granted scopes, exchanges the code for the store's credentials, registers the store (or gives an
 * uninstalled one its new credentials), subscribes its webhooks, starts its first poll (a backfill for a new store; for
 * a reinstalled one, a poll from its kept cursors) and checks the connection. Nothing is stored before the callback's
 * signature and nonce are verified.
 */
@ApplicationScoped
public class StoreInstaller {
    private static final Logger LOG = Logger.getLogger(StoreInstaller.class);

    /** A refused step: the HTTP status, a stable error code and a message that names no secret. */
    public static final class InstallRefusedException extends Exception {
        private final Response.Status status;
        private final String error;

        InstallRefusedException(Response.Status status, String error, String message) {
            super(message);
            this.status = status;
            this.error = error;
        }

        public Response.Status status() {
            return status;
        }

        public String error() {
            return error;
        }
    }

    /** A completed install: the store, whether it was known (reinstalled) and its connection check. */
    public record Installed(String platform, String storeId, boolean reinstalled, ConnectionCheck connection) {}

    private record Setup(PlatformAdapter adapter, InstallFlow flow, InstallFlow.App app, Set<String> scopes) {}

    private final PlatformRegistry platforms;
    private final InstallConfig config;
    private final PollerConfig pollerConfig;
    private final InstallStates states;
    private final StoreRegistry registry;
    private final SubscriptionKeeper subscriptions;
    private final PollScheduler scheduler;
    private final PlatformCalls calls;
    private final StoreClients clients;
    private final StoreStatusBoard status;
    private final Clock clock = Clock.systemUTC();

    public StoreInstaller(
            PlatformRegistry platforms,
            InstallConfig config,
            PollerConfig pollerConfig,
            InstallStates states,
            StoreRegistry registry,
            SubscriptionKeeper subscriptions,
            PollScheduler scheduler,
            PlatformCalls calls,
            StoreClients clients,
            StoreStatusBoard status) {
        this.platforms = platforms;
        this.config = config;
        this.pollerConfig = pollerConfig;
        this.states = states;
        this.registry = registry;
        this.subscriptions = subscriptions;
        this.scheduler = scheduler;
        this.calls = calls;
        this.clients = clients;
        this.status = status;
    }

    /** Where to send the merchant's browser to approve the app for {@code storeId}; stores the state nonce. */
    public URI begin(String platform, String given) throws InstallRefusedException {
        return begin(platform, given, Optional.empty());
    }

    /** What a region named at the start may look like before its platform reads it (a marketplace id, a code). */
    private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /**
     * As {@link #begin(String, String)}, for the region the merchant named ({@code region}: Amazon's marketplace or
     * selling region), which picks the store's endpoint ({@code InstallFlow#storeBaseUrl(String, Optional)}) and is kept
     * with the state for the callback.
     */
    public URI begin(String platform, String given, Optional<String> region) throws InstallRefusedException {
        Setup setup = setup(platform);
        if (!setup.flow().redirectsToAuthorize()) {
            throw new InstallRefusedException(
                    Response.Status.BAD_REQUEST,
                    "install_starts_at_store",
                    "this platform's app is connected from the store's admin, which calls " + redirectUri(platform)
                            + " (docs/install.md)");
        }
        region = region.filter(r -> !r.isBlank());
        if (region.isPresent() && !REGION.matcher(region.get()).matches()) {
            throw new InstallRefusedException(
                    Response.Status.BAD_REQUEST, "invalid_region", "the region is not a name this service reads");
        }
        String storeId = storeId(setup, given, region);
        // Where the callback carries no state of ours (the install starts at the platform), none is stored.
        String state =
                setup.flow().callbackCarriesState() ? states.create(platform, storeId, config.stateTtl(), region) : "";
        try {
            return setup.flow()
                    .authorizationUrl(
                            storeUrl(setup, storeId, region),
                            region,
                            setup.app(),
                            setup.scopes(),
                            redirectUri(platform),
                            state);
        } catch (IllegalStateException e) {
            // The app's configuration lacks what this platform's authorization takes (an application id, a RuName).
            LOG.warnf("%s install: %s", platform, e.getMessage());
            throw new InstallRefusedException(
                    Response.Status.NOT_FOUND,
                    "no_install_flow",
                    "the install flow of this platform is not fully configured (docs/install.md)");
        }
    }

    /**
     * The store the merchant named, in the form the platform's install takes, whose address may receive the store's
     * credentials: the rule every store's API address follows ({@link ApiBaseUrls}: https, no credentials or query, no
     * private address unless {@code allow-insecure-store-urls}).
     */
    private String storeId(Setup setup, String given, Optional<String> region) throws InstallRefusedException {
        InstallRefusedException invalid = new InstallRefusedException(
                Response.Status.BAD_REQUEST,
                "invalid_store",
                "the store is not given in the form this platform's install takes (docs/install.md)");
        String storeId;
        try {
            storeId = given == null ? null : setup.flow().storeIdOf(given);
        } catch (IllegalArgumentException e) {
            throw invalid;
        }
        if (storeId == null) {
            throw invalid;
        }
        checkStore(setup, storeId, region, invalid);
        return storeId;
    }

    /**
     * The store id's form and its address (at the named region's endpoint): where the store's credentials may be
     * sent. A region the platform does not know is refused with the platform's list.
     */
    private void checkStore(Setup setup, String storeId, Optional<String> region, InstallRefusedException invalid)
            throws InstallRefusedException {
        if (!setup.adapter().isValidStoreId(storeId)) {
            throw invalid;
        }
        URI platformUrl;
        try {
            platformUrl = setup.flow().storeBaseUrl(storeId, region);
        } catch (IllegalArgumentException e) {
            if (region.isEmpty()) {
                throw invalid;
            }
            throw new InstallRefusedException(Response.Status.BAD_REQUEST, "invalid_region", e.getMessage());
        }
        Optional<String> problem =
                ApiBaseUrls.problem(setup.adapter(), platformUrl.toString(), config.allowInsecureStoreUrls());
        if (problem.isPresent()) {
            throw new InstallRefusedException(
                    Response.Status.BAD_REQUEST, "invalid_store", "the store's address " + problem.get());
        }
    }

    /** The platform's callback: verify, exchange, register, subscribe, backfill, check. */
    public Installed complete(String platform, Map<String, String> query) throws InstallRefusedException {
        Setup setup = setup(platform);
        InstallFlow.Callback callback;
        try {
            callback = setup.flow().verifyCallback(query, setup.app(), clock, config.callbackMaxAge());
        } catch (InstallFlow.RejectedCallbackException e) {
            LOG.debugf("refused a %s install callback: %s", platform, e.getMessage());
            throw new InstallRefusedException(Response.Status.UNAUTHORIZED, "invalid_callback", e.getMessage());
        }
        InstallRefusedException invalidState = new InstallRefusedException(
                Response.Status.BAD_REQUEST,
                "invalid_state",
                "the install's state is unknown, expired or already used: start the install again");
        Optional<String> region = Optional.empty();
        if (!setup.flow().callbackNamesStore()) {
            // The nonce names the store (WooCommerce's key delivery).
            InstallStates.Pending pending =
                    states.take(platform, callback.state()).orElseThrow(() -> invalidState);
            region = pending.region();
            callback = new InstallFlow.Callback(pending.storeId(), callback.code(), callback.state(), callback.echo());
        } else if (setup.flow().callbackCarriesState()) {
            if (callback.state() == null) {
                throw invalidState;
            }
            region = states.consume(platform, callback.storeId(), callback.state())
                    .orElseThrow(() -> invalidState)
                    .region();
        }
        // A store named by an unsigned callback (Adobe Commerce's store_base_url) gets the credentials sent to it next.
        checkStore(
                setup,
                callback.storeId(),
                region,
                new InstallRefusedException(
                        Response.Status.UNAUTHORIZED, "invalid_callback", "the callback names no valid store"));
        URI storeUrl = storeUrl(setup, callback.storeId(), region);
        InstallFlow.Grant grant;
        try {
            grant = setup.flow()
                    .exchangeCode(
                            storeUrl,
                            setup.app(),
                            callback,
                            redirectUri(platform),
                            pollerConfig.api().requestTimeout());
        } catch (PlatformApiException e) {
            LOG.warnf("%s install of %s: the code exchange failed: %s", platform, callback.storeId(), e.getMessage());
            throw new InstallRefusedException(
                    Response.Status.BAD_GATEWAY,
                    "token_exchange_failed",
                    "the platform did not exchange the code (" + e.httpStatus() + "): start the install again");
        }
        Set<String> missing = setup.flow().missingScopes(grant.scopes(), setup.scopes());
        if (!missing.isEmpty()) {
            throw new InstallRefusedException(
                    Response.Status.FORBIDDEN,
                    "scopes_not_granted",
                    "the store granted too few scopes; missing: " + missing + ". Approve all of them to connect.");
        }
        if (!setup.flow().callbackCarriesState() || !setup.flow().callbackNamesStore()) {
            // The callback is not signed by the platform (only the code or the nonce binds it): the credentials
            // must work at the store before they are registered for it.
            proveCredentials(setup, storeUrl, grant, callback.storeId());
        }
        StoreRegistry.Installed installed = registry.install(
                platform,
                callback.storeId(),
                storeUrl.toString(),
                setup.flow().webhookSecret(setup.app(), storeUrl, subscriptions.address(platform, callback.storeId())),
                grant.credentials().storedForm());
        StoreView store = installed.store();
        status.installed(StoreKey.of(store));
        LOG.infof(
                "store %s/%s %s through the install flow",
                platform, callback.storeId(), installed.reinstalled() ? "reinstalled" : "installed");
        boolean polled = subscribe(store);
        if (!polled) {
            // A new store's first poll is its backfill; a reinstalled one resumes from its cursors.
            scheduler.pollNow(store);
        }
        return new Installed(platform, callback.storeId(), installed.reinstalled(), check(store));
    }

    /** One authenticated call to the store with the granted credentials; refused when it does not succeed. */
    private void proveCredentials(Setup setup, URI storeUrl, InstallFlow.Grant grant, String storeId)
            throws InstallRefusedException {
        try {
            setup.adapter()
                    .apiClient(clients.connection(
                            new StoreKey(setup.adapter().name(), storeId), storeUrl, grant.credentials()))
                    .verifyCredentials();
        } catch (PlatformApiException | RuntimeException e) {
            LOG.warnf(
                    "%s install of %s: the delivered credentials do not work at the store: %s",
                    setup.adapter().name(), storeId, e.getMessage());
            throw new InstallRefusedException(
                    Response.Status.FORBIDDEN,
                    "credentials_not_working",
                    "the credentials sent for this store do not work at it: start the install again");
        }
    }

    /** What a verified notice did: the store it named, and its connection's state after it. */
    public record Noticed(InstallFlow.NoticeKind kind, String platform, String storeId, ConnectionCheck connection) {}

    /**
     * A signed notice of the platform's at {@code /install/<platform>/<kind>} (BigCommerce's load and uninstall
     * callbacks): verified by the adapter; an uninstall disables the store and deletes its credentials, as the
     * uninstall webhook of other platforms does; a load answers the store's connection check.
     */
    public Noticed notice(String platform, String kind, Map<String, String> query) throws InstallRefusedException {
        Setup setup = setup(platform);
        InstallFlow.Notice notice;
        try {
            notice = setup.flow().verifyNotice(kind, query, setup.app(), clock);
        } catch (InstallFlow.RejectedCallbackException e) {
            LOG.debugf("refused a %s %s notice: %s", platform, kind, e.getMessage());
            throw new InstallRefusedException(Response.Status.UNAUTHORIZED, "invalid_callback", e.getMessage());
        }
        if (notice.kind() == InstallFlow.NoticeKind.UNINSTALL) {
            registry.uninstall(platform, notice.storeId());
            LOG.infof(
                    "store %s/%s uninstalled by its merchant: disabled, API credentials deleted",
                    platform, notice.storeId());
        }
        Optional<StoreView> store = registry.find(platform, notice.storeId());
        if (store.isEmpty()) {
            throw new InstallRefusedException(
                    Response.Status.NOT_FOUND, "unknown_store", "the store is not connected: install the app");
        }
        return new Noticed(notice.kind(), platform, notice.storeId(), check(store.get()));
    }

    /** Subscribes the store's webhooks now; true when that already started a poll. Failures show in the check. */
    private boolean subscribe(StoreView store) {
        if (pollerConfig.webhooks().publicUrl().isEmpty() || !subscriptions.keeps(store)) {
            return false;
        }
        try {
            return subscriptions.check(store).backfillStarted();
        } catch (PlatformApiException | StoreNeedsAttentionException | RuntimeException e) {
            LOG.warnf("store %s/%s: subscribing after the install failed: %s", store.platform(), store.storeId(), e);
            return false;
        }
    }

    /** Checks what works of a registered store's connection (see {@link ConnectionCheck}). */
    public Optional<ConnectionCheck> check(String platform, String storeId) {
        return registry.find(platform, storeId).map(this::check);
    }

    ConnectionCheck check(StoreView store) {
        if (!store.enabled()) {
            ConnectionCheck.Part off = ConnectionCheck.Part.failed("the store is disabled"
                    + store.disabledReason().map(r -> " (" + r + ")").orElse(""));
            return ConnectionCheck.of(off, off, off, off);
        }
        PlatformAdapter adapter = platforms.get(store.platform());
        List<WebhookSubscription> subscribed = List.of();
        boolean kept;
        try {
            kept = subscriptions.keeps(store);
            // Where subscriptions are the store API's, listing them is the authenticated call and serves the check.
            if (kept) {
                subscribed = calls.call(store, client -> client.listWebhooks()).value();
            } else {
                calls.call(store, client -> client.verifyCredentials());
            }
        } catch (PlatformApiException | StoreNeedsAttentionException | IllegalArgumentException e) {
            ConnectionCheck.Part notChecked = ConnectionCheck.Part.failed("not checked: the credentials do not work");
            return ConnectionCheck.of(
                    ConnectionCheck.Part.failed("an authenticated call failed: " + e.getMessage()),
                    notChecked,
                    notChecked,
                    notChecked);
        }
        ConnectionCheck.Part credentials = ConnectionCheck.Part.ok("an authenticated call succeeded");
        return ConnectionCheck.of(
                credentials,
                scopes(store, adapter),
                webhooks(store, adapter, kept, subscribed),
                orders(store, adapter));
    }

    private ConnectionCheck.Part scopes(StoreView store, PlatformAdapter adapter) {
        Optional<InstallFlow> flow = adapter.installFlow();
        if (flow.isEmpty()) {
            return ConnectionCheck.Part.ok("the platform has no scopes to check");
        }
        Set<String> requested = requestedScopes(store.platform(), flow.get());
        try {
            Optional<Set<String>> reported = calls.call(
                            store,
                            client -> new ApiResponse<>(
                                    flow.get().grantedScopes(clients.connection(store)), Optional.empty()))
                    .value();
            if (reported.isEmpty()) {
                return ConnectionCheck.Part.ok(
                        "the platform does not list granted scopes; they were checked at install");
            }
            Set<String> granted = reported.get();
            Set<String> missing = flow.get().missingScopes(granted, requested);
            return missing.isEmpty()
                    ? ConnectionCheck.Part.ok("granted " + new TreeSet<>(granted))
                    : ConnectionCheck.Part.failed("missing " + missing);
        } catch (PlatformApiException | StoreNeedsAttentionException | IllegalArgumentException e) {
            return ConnectionCheck.Part.failed("the granted scopes could not be read: " + e.getMessage());
        }
    }

    private ConnectionCheck.Part webhooks(
            StoreView store, PlatformAdapter adapter, boolean kept, List<WebhookSubscription> subscribed) {
        if (!adapter.capabilities().subscriptionsThroughApi()) {
            return ConnectionCheck.Part.ok("subscriptions are not managed through the store's API");
        }
        if (!kept) {
            return ConnectionCheck.Part.ok("this store's credentials cannot manage its subscriptions; they are kept by"
                    + " hand (docs/install.md)");
        }
        if (pollerConfig.webhooks().publicUrl().isEmpty()) {
            return ConnectionCheck.Part.failed("commercesync.poller.webhooks.public-url is not set");
        }
        URI address = subscriptions.address(store);
        Set<String> missing = new TreeSet<>(subscriptions.topics(store));
        subscribed.stream()
                .filter(s -> s.active() && s.address().equals(address))
                .forEach(s -> missing.remove(s.topic()));
        return missing.isEmpty()
                ? ConnectionCheck.Part.ok(
                        "subscribed to " + subscriptions.topics(store).size() + " topics " + subscriptions.topics(store)
                                + " at " + address)
                : ConnectionCheck.Part.failed("not subscribed to " + missing);
    }

    private ConnectionCheck.Part orders(StoreView store, PlatformAdapter adapter) {
        if (!adapter.capabilities().listedByUpdatedAt().contains(EntityType.ORDER)) {
            return ConnectionCheck.Part.ok("the platform lists no orders by updated-at");
        }
        try {
            int read = calls.call(
                            store,
                            client -> client.listChanged(
                                    new ListChangedRequest(EntityType.ORDER, Instant.EPOCH, null, 1)))
                    .value()
                    .entities()
                    .size();
            return ConnectionCheck.Part.ok("the first page of orders was read (" + read + " on it)");
        } catch (PlatformApiException | StoreNeedsAttentionException | IllegalArgumentException e) {
            return ConnectionCheck.Part.failed("the first page of orders could not be read: " + e.getMessage());
        }
    }

    private Setup setup(String platform) throws InstallRefusedException {
        Optional<PlatformAdapter> adapter = platforms.find(platform);
        Optional<InstallFlow> flow = adapter.flatMap(PlatformAdapter::installFlow);
        InstallConfig.App app = config.app().get(platform);
        if (flow.isEmpty() || app == null || config.publicUrl().isEmpty()) {
            throw new InstallRefusedException(
                    Response.Status.NOT_FOUND,
                    "no_install_flow",
                    "no install flow is configured for this platform (docs/install.md)");
        }
        return new Setup(
                adapter.get(),
                flow.get(),
                new InstallFlow.App(
                        app.clientId(),
                        app.clientSecret(),
                        app.applicationId().orElse(null),
                        app.redirectName().orElse(null)),
                requestedScopes(platform, flow.get()));
    }

    private Set<String> requestedScopes(String platform, InstallFlow flow) {
        return Optional.ofNullable(config.app().get(platform))
                .flatMap(InstallConfig.App::scopes)
                .<Set<String>>map(TreeSet::new)
                .orElseGet(flow::defaultScopes);
    }

    private URI redirectUri(String platform) {
        String base = config.publicUrl().orElseThrow().toString().replaceAll("/+$", "");
        return URI.create(base + "/install/" + platform + "/callback");
    }

    /**
     * The store's own address (at the named region's endpoint), or the configured stand-in's (a simulated store): the
     * platform's app's {@code store-url-template}, else the global one, with {@code {store}} the store id's first DNS
     * label and {@code {host}} the host of the store's own address.
     */
    private URI storeUrl(Setup setup, String storeId, Optional<String> region) {
        URI own = setup.flow().storeBaseUrl(storeId, region);
        return Optional.ofNullable(config.app().get(setup.adapter().name()))
                .flatMap(InstallConfig.App::storeUrlTemplate)
                .or(config::storeUrlTemplate)
                .map(template -> URI.create(template.replace("{store}", storeId.split("\\.", 2)[0])
                        .replace("{host}", own.getHost() == null ? "" : own.getHost())))
                .orElse(own);
    }
}
