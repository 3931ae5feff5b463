package dev.commercesync.platforms.woocommerce;

import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Address;
import dev.commercesync.schemas.canonical.SelectedOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Shapes WooCommerce repeats across its REST/webhook payloads. */
final class WooPayloads {
    private static final Set<String> ADDRESS_FIELDS = Set.of(
            "first_name",
            "last_name",
            "company",
            "address_1",
            "address_2",
            "city",
            "state",
            "postcode",
            "country",
            "email",
            "phone");

    private WooPayloads() {}

    /**
     * A WooCommerce address (billing/shipping). WooCommerce sends empty strings for unset parts (read as absent) and
     * an all-empty object for no address (empty result). {@code state} and {@code country} are codes.
     */
    static Optional<Address> address(PayloadObject parent, String field, Map<String, String> extras)
            throws MappingException {
        Optional<PayloadObject> found = parent.object(field);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PayloadObject a = found.get();
        boolean anyPart = false;
        for (String part : ADDRESS_FIELDS) {
            anyPart |= a.text(part).isPresent();
        }
        if (!anyPart) {
            return Optional.empty();
        }
        a.unmappedFields(ADDRESS_FIELDS).forEach((name, value) -> extras.put(field + "." + name, value));
        return Optional.of(Address.newBuilder()
                .setId(null)
                .setFirstName(a.text("first_name").orElse(null))
                .setLastName(a.text("last_name").orElse(null))
                .setName(null)
                .setCompany(a.text("company").orElse(null))
                .setAddress1(a.text("address_1").orElse(null))
                .setAddress2(a.text("address_2").orElse(null))
                .setCity(a.text("city").orElse(null))
                .setRegion(null)
                .setRegionCode(a.text("state").orElse(null))
                .setPostalCode(a.text("postcode").orElse(null))
                .setCountry(null)
                .setCountryCode(
                        a.text("country").map(c -> c.toUpperCase(Locale.ROOT)).orElse(null))
                .setPhone(a.text("phone").orElse(null))
                .setEmail(a.text("email").orElse(null))
                .build());
    }

    /** WooCommerce uses 0 for "no such entity" in id fields (guest customer_id, variation_id of simple products). */
    static Optional<String> optionalId(PayloadObject parent, String field) throws MappingException {
        return parent.id(field).filter(id -> !id.equals("0"));
    }

    /**
     * Visible item meta (variation attributes, custom options): entries whose key does not start with an underscore,
     * using display_key/display_value where WooCommerce provides them.
     */
    static List<SelectedOption> visibleMeta(PayloadObject item) throws MappingException {
        List<SelectedOption> options = new ArrayList<>();
        for (PayloadObject meta : item.objects("meta_data")) {
            Optional<String> key = meta.text("display_key").or(() -> textOrEmpty(meta, "key"));
            if (key.isEmpty() || key.get().startsWith("_")) {
                continue;
            }
            Optional<String> value = meta.has("display_value") ? scalar(meta, "display_value") : scalar(meta, "value");
            if (value.isPresent()) {
                options.add(new SelectedOption(key.get(), value.get()));
            }
        }
        return options;
    }

    private static Optional<String> textOrEmpty(PayloadObject meta, String field) {
        try {
            return meta.text(field);
        } catch (MappingException e) {
            return Optional.empty();
        }
    }

    /** Meta values may be objects (plugin data): those are not options. */
    private static Optional<String> scalar(PayloadObject meta, String field) {
        return textOrEmpty(meta, field);
    }
}
