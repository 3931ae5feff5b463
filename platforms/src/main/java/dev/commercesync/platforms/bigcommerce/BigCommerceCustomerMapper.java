package dev.commercesync.platforms.bigcommerce;

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
import java.util.Set;
import java.util.TreeMap;

/** A v3 customer (one item of GET /v3/customers, optionally {@code include=addresses}). */
final class BigCommerceCustomerMapper implements EntityMapper {
    static final String VERSION = "bigcommerce/customers@1";

    private static final Set<String> MAPPED = Set.of(
            "id", "email", "phone", "first_name", "last_name", "notes", "addresses", "date_created", "date_modified");

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
        return BigCommerceAdapter.MAPPINGS_READ;
    }

    @Override
    public Customer map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject c = BigCommercePayloads.entity(payload);
        Map<String, String> platformFields = new TreeMap<>(c.unmappedFields(MAPPED));
        List<Address> addresses = new ArrayList<>();
        for (PayloadObject a : c.objects("addresses")) {
            addresses.add(BigCommerceAddresses.v3(a, a.path("").replaceAll("\\.$", ""), platformFields));
        }
        return Customer.newBuilder()
                .setId(c.requiredId("id"))
                .setEmail(c.text("email").orElse(null))
                .setPhone(c.text("phone").orElse(null))
                .setFirstName(c.text("first_name").orElse(null))
                .setLastName(c.text("last_name").orElse(null))
                .setNote(c.text("notes").orElse(null))
                .setAddresses(addresses)
                .setCreatedAt(c.instant("date_created").orElse(null))
                .setUpdatedAt(c.instant("date_modified").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }
}
