package dev.commercesync.platforms.woocommerce;

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

/** WooCommerce customer (customer.created|updated, REST /customers) → Customer; billing is the default address. */
final class WooCustomerMapper implements EntityMapper {
    static final String VERSION = "woocommerce/customers@1";

    private static final Set<String> MAPPED = Set.of(
            "id", "email", "first_name", "last_name", "billing", "shipping", "date_created_gmt", "date_modified_gmt");

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
        return WooCommerceAdapter.MAPPINGS_READ;
    }

    @Override
    public Customer map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject customer = PayloadObject.root(payload);
        Map<String, String> platformFields = new TreeMap<>(customer.unmappedFields(MAPPED));
        Optional<Address> billing = WooPayloads.address(customer, "billing", platformFields);
        Optional<Address> shipping = WooPayloads.address(customer, "shipping", platformFields);
        List<Address> addresses = new ArrayList<>();
        billing.ifPresent(addresses::add);
        shipping.ifPresent(addresses::add);
        return Customer.newBuilder()
                .setId(customer.requiredId("id"))
                .setEmail(customer.text("email").orElse(null))
                .setPhone(billing.map(Address::getPhone).orElse(null))
                .setFirstName(customer.text("first_name").orElse(null))
                .setLastName(customer.text("last_name").orElse(null))
                .setDefaultAddress(billing.orElse(null))
                .setAddresses(addresses)
                .setCreatedAt(customer.utcInstant("date_created_gmt").orElse(null))
                .setUpdatedAt(customer.utcInstant("date_modified_gmt").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }
}
