package dev.commercesync.platforms.magento2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Address;
import dev.commercesync.schemas.canonical.Customer;
import dev.commercesync.schemas.canonical.EntityType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An Adobe Commerce customer ({@code customerDataCustomerInterface}: GET /V1/customers/{id}, an item of GET
 * /V1/customers/search, or the fields of a {@code customer_save_commit_after} observer event, whose customer model
 * names its id {@code entity_id} rather than {@code id}). Times are Magento's UTC {@code YYYY-MM-DD HH:MM:SS}. The
 * default address is the default shipping address, else the default billing one ({@code default_shipping} / {@code
 * default_billing} name an address id; both stay in platform_fields). {@code extension_attributes.is_subscribed}
 * (newsletter) is accepts_marketing; group, store, website, {@code taxvat} and the rest stay in platform_fields. A
 * Magento customer has no currency, order count or total spent of its own.
 */
final class Magento2CustomerMapper implements EntityMapper {
    static final String VERSION = "magento2/customers@1";

    private static final Set<String> MAPPED =
            Set.of("id", "entity_id", "email", "firstname", "lastname", "addresses", "created_at", "updated_at");

    @Override
    public EntityType entityType() {
        return EntityType.CUSTOMER;
    }

    @Override
    public String mappingVersion() {
        return VERSION;
    }

    @Override
    public List<String> apiVersionsRead() {
        return Magento2Adapter.MAPPINGS_READ;
    }

    /** The customer id: {@code id} (REST) or {@code entity_id} (the customer model of an observer event). */
    static String customerId(PayloadObject c) throws MappingException {
        Optional<String> id = c.id("id");
        return id.isPresent() ? id.get() : c.requiredId(c.has("entity_id") ? "entity_id" : "id");
    }

    @Override
    public Customer map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject c = Magento2Payloads.entity(payload);
        Map<String, String> platformFields = new TreeMap<>(c.unmappedFields(MAPPED));
        Optional<String> defaultShipping = c.id("default_shipping");
        String defaultId = defaultShipping.isPresent()
                ? defaultShipping.get()
                : c.id("default_billing").orElse(null);
        List<Address> addresses = new ArrayList<>();
        Address defaultAddress = null;
        List<PayloadObject> items = c.objects("addresses");
        for (int i = 0; i < items.size(); i++) {
            Address address = Magento2Addresses.customer(items.get(i), "addresses[" + i + "]", platformFields);
            addresses.add(address);
            if (defaultAddress == null && defaultId != null && defaultId.equals(address.getId())) {
                defaultAddress = address;
            }
        }
        return Customer.newBuilder()
                .setId(customerId(c))
                .setEmail(c.text("email").orElse(null))
                .setFirstName(c.text("firstname").orElse(null))
                .setLastName(c.text("lastname").orElse(null))
                .setAcceptsMarketing(subscribed(c).orElse(null))
                .setDefaultAddress(defaultAddress)
                .setAddresses(addresses)
                .setCreatedAt(c.utcInstant("created_at").orElse(null))
                .setUpdatedAt(c.utcInstant("updated_at").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }

    private static Optional<Boolean> subscribed(PayloadObject c) throws MappingException {
        Optional<PayloadObject> extension = c.object("extension_attributes");
        return extension.isPresent() ? extension.get().bool("is_subscribed") : Optional.empty();
    }
}
