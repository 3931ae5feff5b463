package dev.commercesync.platforms.magento2;

import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Address;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Adobe Commerce addresses: the order address ({@code salesDataOrderAddressInterface}: {@code entity_id}, {@code
 * region} and {@code region_code} as text, {@code email}) and the customer address ({@code
 * customerDataAddressInterface}: {@code id}, {@code region} an object of {@code region}, {@code region_code}, {@code
 * region_id}). Both carry {@code street} as a list of lines: lines beyond the second keep the whole list in
 * platform_fields. Unmapped fields go to platform_fields as {@code <prefix>.<field>}.
 */
final class Magento2Addresses {
    private static final Set<String> COMMON_MAPPED =
            Set.of("firstname", "lastname", "company", "street", "city", "postcode", "country_id", "telephone");
    private static final Set<String> ORDER_MAPPED = Set.of("entity_id", "region", "region_code", "email");
    private static final Set<String> CUSTOMER_MAPPED = Set.of("id", "region");

    private Magento2Addresses() {}

    /** An order's billing or shipping address. */
    static Address order(PayloadObject a, String prefix, Map<String, String> platformFields) throws MappingException {
        return common(a, prefix, ORDER_MAPPED, platformFields)
                .setId(a.id("entity_id").orElse(null))
                .setRegion(a.text("region").orElse(null))
                .setRegionCode(a.text("region_code").orElse(null))
                .setEmail(a.text("email").orElse(null))
                .build();
    }

    /** One of a customer's addresses; the region object's {@code region_id} stays in platform_fields. */
    static Address customer(PayloadObject a, String prefix, Map<String, String> platformFields)
            throws MappingException {
        Address.Builder address = common(a, prefix, CUSTOMER_MAPPED, platformFields)
                .setId(a.id("id").orElse(null));
        Optional<PayloadObject> region = a.object("region");
        if (region.isPresent()) {
            region.get()
                    .unmappedFields(Set.of("region", "region_code"))
                    .forEach((k, v) -> platformFields.put(prefix + ".region." + k, v));
            address.setRegion(region.get().text("region").orElse(null))
                    .setRegionCode(region.get().text("region_code").orElse(null));
        }
        return address.build();
    }

    private static Address.Builder common(
            PayloadObject a, String prefix, Set<String> kindMapped, Map<String, String> platformFields)
            throws MappingException {
        Set<String> mapped = new HashSet<>(COMMON_MAPPED);
        mapped.addAll(kindMapped);
        a.unmappedFields(mapped).forEach((k, v) -> platformFields.put(prefix + "." + k, v));
        List<String> street = a.texts("street");
        if (street.size() > 2) {
            platformFields.put(prefix + ".street", Json.encode(a.node().path("street")));
        }
        return Address.newBuilder()
                .setFirstName(a.text("firstname").orElse(null))
                .setLastName(a.text("lastname").orElse(null))
                .setCompany(a.text("company").orElse(null))
                .setAddress1(street.size() > 0 ? street.get(0) : null)
                .setAddress2(street.size() > 1 ? street.get(1) : null)
                .setCity(a.text("city").orElse(null))
                .setPostalCode(a.text("postcode").orElse(null))
                .setCountryCode(a.text("country_id").orElse(null))
                .setPhone(a.text("telephone").orElse(null));
    }
}
