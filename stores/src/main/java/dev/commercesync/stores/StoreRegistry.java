package dev.commercesync.stores;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one way to read and change stores: encrypts secrets on the way in, decrypts on the way out, and keeps the
 * previous webhook secret valid for a grace period after a rotation.
 */
@ApplicationScoped
public class StoreRegistry {

    /** A store as the services use it, secrets decrypted. {@link #toString()} hides the secrets. */
    public record StoreView(
            String platform,
            String storeId,
            String displayName,
            String apiBaseUrl,
            boolean enabled,
            List<String> webhookSecrets,
            Optional<String> apiCredentials,
            Instant previousSecretValidUntil,
            Optional<String> disabledReason) {
        @Override
        public String toString() {
            return "Store[" + platform + "/" + storeId + ", enabled=" + enabled + "]";
        }
    }

    /**
     * The longest a previous webhook secret stays valid after a rotation: long enough to update every sender, short
     * enough that a leaked old secret stops working within a month.
     */
    public static final Duration MAX_GRACE_PERIOD = Duration.ofDays(30);

    /** The disabled reason of a store whose merchant removed the app (the platform's uninstall webhook). */
    public static final String UNINSTALLED = "uninstalled";

    /** Why a store is disabled when its revoked credentials were detected by the platform's 401s. */
    public static final String CREDENTIALS_REVOKED = "credentials_revoked";

    /** What {@link #install} did: registered a new store, or gave a known one (an uninstalled one) new credentials. */
    public record Installed(StoreView store, boolean reinstalled) {}

    /**
     * A store whose secrets cannot be decrypted with this service's key (a wrong {@code commercesync.secrets.key}, a
     * corrupted or hand-edited row): what can be shown without them. {@code reason} never contains a secret.
     */
    public record UnreadableStore(String platform, String storeId, boolean enabled, String reason) {}

    private final SecretCipher cipher;
    private final Clock clock;

    @Inject
    public StoreRegistry(@ConfigProperty(name = "commercesync.secrets.key") String key) {
        this(new SecretCipher(key), Clock.systemUTC());
    }

    StoreRegistry(SecretCipher cipher, Clock clock) {
        this.cipher = cipher;
        this.clock = clock;
    }

    /** The store with its currently valid webhook secrets (current first, then the previous one while in grace). */
    @Transactional
    public Optional<StoreView> find(String platform, String storeId) {
        return Store.findByKey(platform, storeId).map(this::view);
    }

    /** Every store. @throws IllegalStateException when any store's secrets cannot be decrypted */
    @Transactional
    public List<StoreView> list() {
        return Store.listOrdered().stream().map(this::view).toList();
    }

    /**
     * Every store whose secrets can be read; each one that cannot is handed to {@code unreadable} instead of failing
     * the whole list, so one bad row does not stop the work on every other store.
     */
    @Transactional
    public List<StoreView> list(Consumer<UnreadableStore> unreadable) {
        List<StoreView> views = new ArrayList<>();
        for (Store s : Store.listOrdered()) {
            try {
                views.add(view(s));
            } catch (SecretCipher.UnreadableSecretException e) {
                unreadable.accept(new UnreadableStore(s.platform, s.storeId, s.enabled, e.getMessage()));
            }
        }
        return views;
    }

    /** Whether the store is registered (its secrets are not read). */
    @Transactional
    public boolean exists(String platform, String storeId) {
        return Store.findByKey(platform, storeId).isPresent();
    }

    /** @throws IllegalStateException when the store already exists */
    @Transactional
    public StoreView add(
            String platform,
            String storeId,
            String displayName,
            String apiBaseUrl,
            String webhookSecret,
            String apiCredentials) {
        if (Store.findByKey(platform, storeId).isPresent()) {
            throw new IllegalStateException("store " + platform + "/" + storeId + " already exists");
        }
        Store s = new Store();
        s.platform = platform;
        s.storeId = storeId;
        s.displayName = displayName;
        s.apiBaseUrl = apiBaseUrl;
        s.webhookSecretEncrypted = cipher.encrypt(webhookSecret, context(s, "webhook_secret"));
        s.apiCredentialsEncrypted =
                apiCredentials == null ? null : cipher.encrypt(apiCredentials, context(s, "api_credentials"));
        s.enabled = true;
        s.createdAt = clock.instant();
        s.updatedAt = s.createdAt;
        s.persist();
        return view(s);
    }

    /**
     * Makes {@code newSecret} current; the old one stays valid for {@code grace}.
     *
     * @throws IllegalArgumentException when {@code grace} is negative or over {@link #MAX_GRACE_PERIOD}
     */
    @Transactional
    public Optional<StoreView> rotateWebhookSecret(String platform, String storeId, String newSecret, Duration grace) {
        if (grace.isNegative() || grace.compareTo(MAX_GRACE_PERIOD) > 0) {
            throw new IllegalArgumentException("grace period must be between PT0S and " + MAX_GRACE_PERIOD);
        }
        return Store.findByKey(platform, storeId).map(s -> {
            String current = cipher.decrypt(s.webhookSecretEncrypted, context(s, "webhook_secret"));
            s.previousWebhookSecretEncrypted = cipher.encrypt(current, context(s, "previous_webhook_secret"));
            s.previousSecretValidUntil = clock.instant().plus(grace);
            s.webhookSecretEncrypted = cipher.encrypt(newSecret, context(s, "webhook_secret"));
            s.updatedAt = clock.instant();
            return view(s);
        });
    }

    /**
     * Registers a store connected by the platform's install flow, or — when it is known (reinstalled after an
     * uninstall, or installed again) — replaces its API credentials, webhook secret and API address and enables it.
     * Everything else about it (merchant, SKU links, and the poller's cursors, which are keyed by platform and store)
     * is kept, so a reinstalled store resumes where it stopped.
     */
    @Transactional
    public Installed install(
            String platform, String storeId, String apiBaseUrl, String webhookSecret, String apiCredentials) {
        Optional<Store> known = Store.findByKey(platform, storeId);
        if (known.isEmpty()) {
            return new Installed(add(platform, storeId, null, apiBaseUrl, webhookSecret, apiCredentials), false);
        }
        Store s = known.get();
        s.apiBaseUrl = apiBaseUrl;
        s.webhookSecretEncrypted = cipher.encrypt(webhookSecret, context(s, "webhook_secret"));
        s.previousWebhookSecretEncrypted = null;
        s.previousSecretValidUntil = null;
        s.apiCredentialsEncrypted = cipher.encrypt(apiCredentials, context(s, "api_credentials"));
        s.enabled = true;
        s.disabledReason = null;
        s.updatedAt = clock.instant();
        return new Installed(view(s), true);
    }

    /**
     * The merchant removed the app: the store is disabled with reason {@link #UNINSTALLED} and its API credentials are
     * deleted (the column is cleared, not flagged: the platform revoked them anyway). Its webhook secret stays (a
     * platform app's secret, not the store's), so a late delivery still verifies and is refused as disabled.
     */
    @Transactional
    public Optional<StoreView> uninstall(String platform, String storeId) {
        return uninstall(platform, storeId, UNINSTALLED);
    }

    /**
     * As {@link #uninstall(String, String)}, with another reason: {@link #CREDENTIALS_REVOKED} when the platform
     * sends no uninstall notice and the store's credentials kept being rejected (the merchant revoked the keys).
     */
    @Transactional
    public Optional<StoreView> uninstall(String platform, String storeId, String reason) {
        return Store.findByKey(platform, storeId).map(s -> {
            s.enabled = false;
            s.disabledReason = reason;
            s.apiCredentialsEncrypted = null;
            s.updatedAt = clock.instant();
            return view(s);
        });
    }

    /**
     * Replaces the store's API credentials (a revoked or expired token), encrypted as at registration. The services
     * that call the store's API read them from here and use the new ones at their next call.
     */
    @Transactional
    public Optional<StoreView> replaceApiCredentials(String platform, String storeId, String apiCredentials) {
        return Store.findByKey(platform, storeId).map(s -> {
            s.apiCredentialsEncrypted = cipher.encrypt(apiCredentials, context(s, "api_credentials"));
            s.updatedAt = clock.instant();
            return view(s);
        });
    }

    @Transactional
    public Optional<StoreView> setEnabled(String platform, String storeId, boolean enabled) {
        return Store.findByKey(platform, storeId).map(s -> {
            s.enabled = enabled;
            if (enabled) {
                s.disabledReason = null;
            }
            s.updatedAt = clock.instant();
            return view(s);
        });
    }

    private StoreView view(Store s) {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(cipher.decrypt(s.webhookSecretEncrypted, context(s, "webhook_secret")));
        if (s.previousWebhookSecretEncrypted != null
                && s.previousSecretValidUntil != null
                && clock.instant().isBefore(s.previousSecretValidUntil)) {
            secrets.add(cipher.decrypt(s.previousWebhookSecretEncrypted, context(s, "previous_webhook_secret")));
        }
        Optional<String> credentials = Optional.ofNullable(s.apiCredentialsEncrypted)
                .map(c -> cipher.decrypt(c, context(s, "api_credentials")));
        return new StoreView(
                s.platform,
                s.storeId,
                s.displayName,
                s.apiBaseUrl,
                s.enabled,
                List.copyOf(secrets),
                credentials,
                s.previousSecretValidUntil,
                Optional.ofNullable(s.disabledReason));
    }

    private static String context(Store s, String field) {
        return s.platform + "/" + s.storeId + "/" + field;
    }
}
