package dev.commercesync.platforms.shopify;

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

/** Shopify customer (customers/create|update|enable|disable) → Customer. */
final class ShopifyCustomerMapper implements EntityMapper {
    static final String VERSION = "shopify/customers@1";

    private static final Set<String> MAPPED = Set.of(
            "id",
            "email",
            "phone",
            "first_name",
            "last_name",
            "accepts_marketing",
            "email_marketing_consent",
            "tax_exempt",
            "currency",
            "default_address",
            "addresses",
            "total_spent",
            "orders_count",
            "note",
            "tags",
            "created_at",
            "updated_at");

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
        return ShopifyAdapter.MAPPINGS_READ;
    }

    @Override
    public Customer map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject customer = PayloadObject.root(payload);
        Map<String, String> platformFields = new TreeMap<>(customer.unmappedFields(MAPPED));
        Optional<String> currency = customer.text("currency");
        List<Address> addresses = new ArrayList<>();
        for (PayloadObject address : customer.objects("addresses")) {
            addresses.add(ShopifyPayloads.addressOf(address, address.location(), platformFields));
        }
        return Customer.newBuilder()
                .setId(customer.requiredId("id"))
                .setEmail(customer.text("email").orElse(null))
                .setPhone(customer.text("phone").orElse(null))
                .setFirstName(customer.text("first_name").orElse(null))
                .setLastName(customer.text("last_name").orElse(null))
                .setAcceptsMarketing(acceptsMarketing(customer))
                .setTaxExempt(customer.bool("tax_exempt").orElse(null))
                .setCurrency(currency.orElse(null))
                .setDefaultAddress(ShopifyPayloads.address(customer, "default_address", platformFields)
                        .orElse(null))
                .setAddresses(addresses)
                .setTotalSpent(
                        currency.isPresent()
                                ? customer.money("total_spent", currency.get()).orElse(null)
                                : null)
                .setOrdersCount(customer.wholeNumber("orders_count").orElse(null))
                .setNote(customer.text("note").orElse(null))
                .setTags(ShopifyPayloads.tags(customer))
                .setCreatedAt(customer.instant("created_at").orElse(null))
                .setUpdatedAt(customer.instant("updated_at").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }

    /** Newer API versions replace accepts_marketing with email_marketing_consent.state. */
    private static Boolean acceptsMarketing(PayloadObject customer) throws MappingException {
        Optional<PayloadObject> consent = customer.object("email_marketing_consent");
        if (consent.isPresent() && consent.get().has("state")) {
            return "subscribed".equals(consent.get().requiredText("state"));
        }
        return customer.bool("accepts_marketing").orElse(null);
    }
}
