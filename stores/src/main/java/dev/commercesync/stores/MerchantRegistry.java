package dev.commercesync.stores;

import dev.commercesync.stores.Merchant.PhysicalMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one way to read and change merchants, their stores, SKU links and channel rules (V2__merchants.sql,
 * docs/inventory.md#configuring-a-merchant). Every change checks what the tables' constraints cannot: a store joins
 * at most one merchant, and the physical store, a link's store and a rule's store are the merchant's own. Changes of
 * one merchant are serialised by a row lock on it; each one moves the merchant's {@code updated_at}.
 */
@ApplicationScoped
public class MerchantRegistry {

    /** The merchant id's form, as the table checks it. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public static final int MAX_DISPLAY_NAME_LENGTH = 200;
    /** Longest item id, pool SKU and location id accepted. */
    public static final int MAX_ID_LENGTH = 255;

    /** A store as the registry names it. */
    public record StoreKey(String platform, String storeId) {
        @Override
        public String toString() {
            return platform + "/" + storeId;
        }
    }

    /** Where the merchant's physical on-hand stock comes from; {@code locationId} only with {@code LOCATION}. */
    public record PhysicalSource(StoreKey store, PhysicalMode mode, String locationId) {}

    /** One of the merchant's stores (a sales channel) and its rule; {@code rule} null: none set, DEFAULT applies. */
    public record Channel(StoreKey store, ChannelRule rule) {}

    /** An explicit SKU link: the item's stock belongs to the pool of {@code poolSku}. */
    public record Link(StoreKey store, String itemId, String poolSku) {}

    /** A merchant with everything it configures; {@code physical} null while none is designated. */
    public record MerchantView(
            String id,
            String displayName,
            PhysicalSource physical,
            List<Channel> stores,
            List<Link> links,
            Instant createdAt,
            Instant updatedAt) {}

    /** Why a change was refused: {@code code} is stable, the message says what to do and never echoes a value. */
    public static final class Refused extends RuntimeException {
        public enum Kind {
            /** The input itself is wrong (400). */
            INVALID,
            /** A merchant, store, link or rule named does not exist (404). */
            NOT_FOUND,
            /** The current state does not allow it (409). */
            CONFLICT
        }

        private final Kind kind;
        private final String code;

        Refused(Kind kind, String code, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.code = code;
        }

        public Kind kind() {
            return kind;
        }

        public String code() {
            return code;
        }
    }

    private final Clock clock;

    public MerchantRegistry() {
        this(Clock.systemUTC());
    }

    MerchantRegistry(Clock clock) {
        this.clock = clock;
    }

    /** @throws Refused INVALID for a bad id or name, CONFLICT when the id is taken */
    @Transactional
    public MerchantView create(String id, String displayName) {
        checkId(id);
        if (displayName != null && displayName.length() > MAX_DISPLAY_NAME_LENGTH) {
            throw invalid(
                    "invalid_merchant", "display_name must be at most " + MAX_DISPLAY_NAME_LENGTH + " characters");
        }
        if (Merchant.findById(id) != null) {
            throw new Refused(Refused.Kind.CONFLICT, "merchant_exists", "merchant " + id + " already exists");
        }
        Merchant m = new Merchant();
        m.id = id;
        m.displayName = displayName;
        m.createdAt = clock.instant();
        m.updatedAt = m.createdAt;
        try {
            m.persistAndFlush();
        } catch (PersistenceException raced) { // created by another request since the look-up
            throw new Refused(Refused.Kind.CONFLICT, "merchant_exists", "merchant " + id + " already exists");
        }
        return view(m);
    }

    @Transactional
    public List<MerchantView> list() {
        return Merchant.<Merchant>list("order by id").stream().map(this::view).toList();
    }

    @Transactional
    public Optional<MerchantView> find(String id) {
        return Optional.ofNullable(Merchant.<Merchant>findById(id)).map(this::view);
    }

    /** @throws Refused NOT_FOUND, or CONFLICT while stores still belong to it */
    @Transactional
    public void delete(String id) {
        Merchant m = locked(id);
        long stores = Store.count("merchantId", id);
        if (stores > 0) {
            throw new Refused(
                    Refused.Kind.CONFLICT,
                    "merchant_has_stores",
                    "merchant " + id + " still has " + stores + " store(s); detach them first");
        }
        m.delete();
    }

    /**
     * Makes the store one of the merchant's channels; attaching it again is a no-op.
     *
     * @throws Refused NOT_FOUND, or CONFLICT when the store belongs to another merchant
     */
    @Transactional
    public MerchantView attach(String id, String platform, String storeId) {
        Merchant m = locked(id);
        Store s = store(platform, storeId, true);
        if (s.merchantId != null && !s.merchantId.equals(id)) {
            throw new Refused(
                    Refused.Kind.CONFLICT,
                    "store_in_other_merchant",
                    "store " + key(s) + " belongs to merchant " + s.merchantId + "; detach it there first");
        }
        if (s.merchantId == null) {
            s.merchantId = id;
            s.updatedAt = clock.instant();
            touch(m);
        }
        return view(m);
    }

    /**
     * Takes the store out of the merchant, with its SKU links and channel rule (they mean nothing outside it).
     *
     * @throws Refused NOT_FOUND, INVALID when it is not the merchant's, CONFLICT while it is the physical source
     */
    @Transactional
    public MerchantView detach(String id, String platform, String storeId) {
        Merchant m = locked(id);
        Store s = ownStore(m, platform, storeId);
        if (s.id.equals(m.physicalStore)) {
            throw new Refused(
                    Refused.Kind.CONFLICT,
                    "physical_source",
                    "store " + key(s) + " is merchant " + id
                            + "'s source of physical stock; designate another one or clear it first");
        }
        SkuLink.delete("storePk", s.id);
        ChannelRuleRow.deleteById(s.id);
        s.merchantId = null;
        s.updatedAt = clock.instant();
        touch(m);
        return view(m);
    }

    /**
     * Designates the merchant's source of physical stock.
     *
     * @param mode null: LOCATION
     * @param locationId only with LOCATION; null: the store's only (or default) location
     * @throws Refused NOT_FOUND, INVALID for a store not the merchant's or a location with SUM_OF_LOCATIONS
     */
    @Transactional
    public MerchantView setPhysical(String id, String platform, String storeId, PhysicalMode mode, String locationId) {
        PhysicalMode m0 = mode != null ? mode : PhysicalMode.LOCATION;
        if (m0 == PhysicalMode.SUM_OF_LOCATIONS && locationId != null) {
            throw invalid("invalid_physical", "location_id is only for mode LOCATION (SUM_OF_LOCATIONS sums them all)");
        }
        checkLength("invalid_physical", "location_id", locationId, false);
        Merchant m = locked(id);
        Store s = ownStore(m, platform, storeId);
        m.physicalStore = s.id;
        m.physicalMode = m0;
        m.physicalLocation = locationId;
        touch(m);
        return view(m);
    }

    /** No store is the source of physical stock any more. @throws Refused NOT_FOUND */
    @Transactional
    public MerchantView clearPhysical(String id) {
        Merchant m = locked(id);
        m.physicalStore = null;
        m.physicalMode = PhysicalMode.LOCATION;
        m.physicalLocation = null;
        touch(m);
        return view(m);
    }

    /**
     * Puts the item of the store into the pool of {@code poolSku} (replacing an earlier link of that item).
     *
     * @throws Refused NOT_FOUND, INVALID for a store not the merchant's or an empty or over-long id
     */
    @Transactional
    public MerchantView putLink(String id, String platform, String storeId, String itemId, String poolSku) {
        checkLength("invalid_link", "item_id", itemId, true);
        checkLength("invalid_link", "pool_sku", poolSku, true);
        Merchant m = locked(id);
        Store s = ownStore(m, platform, storeId);
        SkuLink link = SkuLink.findById(new SkuLink.Key(s.id, itemId));
        if (link == null) {
            link = new SkuLink();
            link.storePk = s.id;
            link.itemId = itemId;
            link.createdAt = clock.instant();
            link.poolSku = poolSku;
            link.persist();
        } else {
            link.poolSku = poolSku;
        }
        touch(m);
        return view(m);
    }

    /** The item is pooled by its own SKU again. @throws Refused NOT_FOUND (also when no such link exists) */
    @Transactional
    public MerchantView deleteLink(String id, String platform, String storeId, String itemId) {
        checkLength("invalid_link", "item_id", itemId, true);
        Merchant m = locked(id);
        Store s = ownStore(m, platform, storeId);
        if (!SkuLink.deleteById(new SkuLink.Key(s.id, itemId))) {
            throw new Refused(
                    Refused.Kind.NOT_FOUND, "unknown_link", "store " + key(s) + " has no link for that item_id");
        }
        touch(m);
        return view(m);
    }

    /** Sets (replaces) the store's channel rule. @throws Refused NOT_FOUND, INVALID for a store not the merchant's */
    @Transactional
    public MerchantView putRule(String id, String platform, String storeId, ChannelRule rule) {
        Merchant m = locked(id);
        Store s = ownStore(m, platform, storeId);
        ChannelRuleRow row = ChannelRuleRow.findById(s.id);
        boolean added = row == null;
        if (added) {
            row = new ChannelRuleRow();
            row.storePk = s.id;
        }
        row.safetyBuffer = rule.safetyBuffer();
        row.zeroAt = rule.zeroAt();
        row.percentage = rule.percentage();
        row.maxListed = rule.maxListed();
        row.locationId = rule.locationId();
        row.updatedAt = clock.instant();
        if (added) {
            row.persist();
        }
        touch(m);
        return view(m);
    }

    /** The store lists the pool as it is again ({@link ChannelRule#DEFAULT}). @throws Refused NOT_FOUND */
    @Transactional
    public MerchantView deleteRule(String id, String platform, String storeId) {
        Merchant m = locked(id);
        Store s = ownStore(m, platform, storeId);
        if (!ChannelRuleRow.deleteById(s.id)) {
            throw new Refused(Refused.Kind.NOT_FOUND, "unknown_rule", "store " + key(s) + " has no channel rule");
        }
        touch(m);
        return view(m);
    }

    private MerchantView view(Merchant m) {
        List<Store> stores = Store.list("merchantId = ?1 order by platform, storeId", m.id);
        Map<Long, StoreKey> keys = stores.stream()
                .collect(Collectors.toMap(s -> s.id, s -> new StoreKey(s.platform, s.storeId), (a, b) -> a));
        Map<Long, ChannelRule> rules = keys.isEmpty()
                ? Map.of()
                : ChannelRuleRow.<ChannelRuleRow>list("storePk in ?1", keys.keySet()).stream()
                        .collect(Collectors.toMap(r -> r.storePk, ChannelRuleRow::rule));
        List<Link> links = keys.isEmpty()
                ? List.of()
                : SkuLink.<SkuLink>list("storePk in ?1 order by itemId", keys.keySet()).stream()
                        .map(l -> new Link(keys.get(l.storePk), l.itemId, l.poolSku))
                        .sorted(Comparator.comparing((Link l) -> l.store().platform())
                                .thenComparing(l -> l.store().storeId())
                                .thenComparing(Link::itemId))
                        .toList();
        PhysicalSource physical = m.physicalStore == null
                ? null
                : new PhysicalSource(keys.get(m.physicalStore), m.physicalMode, m.physicalLocation);
        return new MerchantView(
                m.id,
                m.displayName,
                physical,
                stores.stream()
                        .map(s -> new Channel(keys.get(s.id), rules.get(s.id)))
                        .toList(),
                links,
                m.createdAt,
                m.updatedAt);
    }

    /** The merchant, locked for this transaction's change. */
    private static Merchant locked(String id) {
        checkId(id);
        Merchant m = Merchant.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (m == null) {
            throw new Refused(Refused.Kind.NOT_FOUND, "unknown_merchant", "no merchant " + id);
        }
        return m;
    }

    private static Store store(String platform, String storeId, boolean lock) {
        if (platform == null || platform.isBlank() || storeId == null || storeId.isBlank()) {
            throw invalid("invalid_store", "platform and store_id are required");
        }
        var query = Store.<Store>find("platform = ?1 and storeId = ?2", platform, storeId);
        Optional<Store> found = (lock ? query.withLock(LockModeType.PESSIMISTIC_WRITE) : query).firstResultOptional();
        // The key is not echoed: a store id may be anything; the caller knows what it sent.
        return found.orElseThrow(
                () -> new Refused(Refused.Kind.NOT_FOUND, "unknown_store", "no store with that platform and store_id"));
    }

    /** A store of this merchant (its rows are protected by the merchant's lock). */
    private static Store ownStore(Merchant m, String platform, String storeId) {
        Store s = store(platform, storeId, false);
        if (!m.id.equals(s.merchantId)) {
            throw invalid(
                    "store_not_in_merchant",
                    "store " + key(s) + " is not one of merchant " + m.id + "'s stores; attach it first");
        }
        return s;
    }

    private void touch(Merchant m) {
        m.updatedAt = clock.instant();
    }

    private static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw invalid(
                    "invalid_merchant",
                    "a merchant id is 1 to 63 characters: lower-case letters, digits and '-', not starting with '-'");
        }
    }

    private static void checkLength(String code, String field, String value, boolean required) {
        if (value == null ? required : value.isBlank() || value.length() > MAX_ID_LENGTH) {
            throw invalid(
                    code, field + " must be 1 to " + MAX_ID_LENGTH + " characters" + (required ? "" : " (or absent)"));
        }
    }

    private static Refused invalid(String code, String message) {
        return new Refused(Refused.Kind.INVALID, code, message);
    }

    private static String key(Store s) {
        return s.platform + "/" + s.storeId;
    }
}
