package dev.commercesync.platforms.shopify;

import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Address;
import dev.commercesync.schemas.canonical.DiscountAllocation;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.TaxLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Shapes Shopify repeats across its REST/webhook payloads: addresses, money sets, tax lines, tag strings. */
final class ShopifyPayloads {
    private static final Set<String> ADDRESS_FIELDS = Set.of(
            "id",
            "first_name",
            "last_name",
            "name",
            "company",
            "address1",
            "address2",
            "city",
            "province",
            "province_code",
            "zip",
            "country",
            "country_code",
            "phone",
            "email");

    private ShopifyPayloads() {}

    /**
     * A Shopify address; fields with no canonical home go to {@code extras} under {@code <field>.<name>}.
     *
     * @param extras the owning entity's platform_fields
     */
    static Optional<Address> address(PayloadObject parent, String field, Map<String, String> extras)
            throws MappingException {
        Optional<PayloadObject> found = parent.object(field);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(addressOf(found.get(), field, extras));
    }

    static Address addressOf(PayloadObject a, String prefix, Map<String, String> extras) throws MappingException {
        a.unmappedFields(ADDRESS_FIELDS).forEach((name, value) -> extras.put(prefix + "." + name, value));
        return Address.newBuilder()
                .setId(a.id("id").orElse(null))
                .setFirstName(a.text("first_name").orElse(null))
                .setLastName(a.text("last_name").orElse(null))
                .setName(a.text("name").orElse(null))
                .setCompany(a.text("company").orElse(null))
                .setAddress1(a.text("address1").orElse(null))
                .setAddress2(a.text("address2").orElse(null))
                .setCity(a.text("city").orElse(null))
                .setRegion(a.text("province").orElse(null))
                .setRegionCode(a.text("province_code").orElse(null))
                .setPostalCode(a.text("zip").orElse(null))
                .setCountry(a.text("country").orElse(null))
                .setCountryCode(a.text("country_code").map(String::toUpperCase).orElse(null))
                .setPhone(a.text("phone").orElse(null))
                .setEmail(a.text("email").orElse(null))
                .build();
    }

    /** The shop-currency amount of a Shopify money set ({@code total_tax_set.shop_money}). */
    static Optional<Money> shopMoney(PayloadObject parent, String setField) throws MappingException {
        Optional<PayloadObject> set = parent.object(setField);
        if (set.isEmpty()) {
            return Optional.empty();
        }
        Optional<PayloadObject> shopMoney = set.get().object("shop_money");
        if (shopMoney.isEmpty()) {
            return Optional.empty();
        }
        String currency = shopMoney.get().requiredText("currency_code");
        return shopMoney.get().money("amount", currency);
    }

    /** An amount field, preferring its money set (which names the currency) over the bare value. */
    static Optional<Money> amount(PayloadObject parent, String field, String currency) throws MappingException {
        Optional<Money> fromSet = shopMoney(parent, field + "_set");
        return fromSet.isPresent() ? fromSet : parent.money(field, currency);
    }

    static List<TaxLine> taxLines(PayloadObject parent, String currency) throws MappingException {
        List<TaxLine> result = new ArrayList<>();
        for (PayloadObject tax : parent.objects("tax_lines")) {
            Optional<BigDecimal> rate = tax.decimal("rate");
            result.add(TaxLine.newBuilder()
                    .setTitle(tax.text("title").orElse(null))
                    .setCode(null)
                    .setRate(rate.isPresent() ? Moneys.rate(rate.get(), tax.path("rate")) : null)
                    .setAmount(amount(tax, "price", currency)
                            .orElseThrow(() -> MappingException.field(tax.path("price"), "required amount is missing")))
                    .build());
        }
        return result;
    }

    static List<DiscountAllocation> discountAllocations(PayloadObject parent, String currency) throws MappingException {
        List<DiscountAllocation> result = new ArrayList<>();
        for (PayloadObject allocation : parent.objects("discount_allocations")) {
            result.add(DiscountAllocation.newBuilder()
                    .setDiscountIndex(
                            allocation.smallNumber("discount_application_index").orElse(null))
                    .setCode(null)
                    .setAmount(amount(allocation, "amount", currency)
                            .orElseThrow(() ->
                                    MappingException.field(allocation.path("amount"), "required amount is missing")))
                    .build());
        }
        return result;
    }

    /** Shopify tags are one comma-separated string. */
    static List<String> tags(PayloadObject parent) throws MappingException {
        Optional<String> tags = parent.text("tags");
        if (tags.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(tags.get().split(","))
                .map(String::trim)
                .filter(tag -> !tag.isEmpty())
                .toList();
    }
}
