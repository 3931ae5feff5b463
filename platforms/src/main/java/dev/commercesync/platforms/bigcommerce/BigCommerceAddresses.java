package dev.commercesync.platforms.bigcommerce;

import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Address;
import java.util.Map;
import java.util.Set;

/** BigCommerce addresses: the v2 order/shipment shape and the v3 customer shape. */
final class BigCommerceAddresses {
    private static final Set<String> V2_FIELDS = Set.of(
            "id",
            "first_name",
            "last_name",
            "company",
            "street_1",
            "street_2",
            "city",
            "state",
            "zip",
            "country",
            "country_iso2",
            "phone",
            "email");
    private static final Set<String> V3_FIELDS = Set.of(
            "id",
            "first_name",
            "last_name",
            "company",
            "address1",
            "address2",
            "city",
            "state_or_province",
            "postal_code",
            "country",
            "country_code",
            "phone");

    private BigCommerceAddresses() {}

    /**
     * A v2 address ({@code street_1}, {@code zip}, {@code country_iso2}); its other fields go to the owning entity's
     * platform fields under {@code <prefix>.<field>}.
     */
    static Address v2(PayloadObject a, String prefix, Map<String, String> platformFields) throws MappingException {
        a.unmappedFields(V2_FIELDS).forEach((k, v) -> platformFields.put(prefix + "." + k, v));
        return Address.newBuilder()
                .setId(a.id("id").orElse(null))
                .setFirstName(a.text("first_name").orElse(null))
                .setLastName(a.text("last_name").orElse(null))
                .setCompany(a.text("company").orElse(null))
                .setAddress1(a.text("street_1").orElse(null))
                .setAddress2(a.text("street_2").orElse(null))
                .setCity(a.text("city").orElse(null))
                .setRegion(a.text("state").orElse(null))
                .setPostalCode(a.text("zip").orElse(null))
                .setCountry(a.text("country").orElse(null))
                .setCountryCode(a.text("country_iso2").orElse(null))
                .setPhone(a.text("phone").orElse(null))
                .setEmail(a.text("email").orElse(null))
                .build();
    }

    /** A v3 customer address ({@code address1}, {@code state_or_province}, {@code country_code}). */
    static Address v3(PayloadObject a, String prefix, Map<String, String> platformFields) throws MappingException {
        a.unmappedFields(V3_FIELDS).forEach((k, v) -> platformFields.put(prefix + "." + k, v));
        return Address.newBuilder()
                .setId(a.id("id").orElse(null))
                .setFirstName(a.text("first_name").orElse(null))
                .setLastName(a.text("last_name").orElse(null))
                .setCompany(a.text("company").orElse(null))
                .setAddress1(a.text("address1").orElse(null))
                .setAddress2(a.text("address2").orElse(null))
                .setCity(a.text("city").orElse(null))
                .setRegion(a.text("state_or_province").orElse(null))
                .setPostalCode(a.text("postal_code").orElse(null))
                .setCountry(a.text("country").orElse(null))
                .setCountryCode(a.text("country_code").orElse(null))
                .setPhone(a.text("phone").orElse(null))
                .build();
    }
}
