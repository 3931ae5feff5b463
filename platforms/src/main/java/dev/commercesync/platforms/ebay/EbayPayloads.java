package dev.commercesync.platforms.ebay;

import dev.commercesync.platforms.shared.Moneys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Address;
import dev.commercesync.schemas.canonical.Money;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reading eBay's Sell API payloads: amounts ({@code {"value": "29.99", "currency": "USD"}}) and contacts. */
final class EbayPayloads {
    /**
     * Field the API client adds to a shipping fulfillment, whose API shape does not name its order (it is read under
     * {@code /order/{orderId}/shipping_fulfillment}). Never sent by eBay.
     */
    static final String ORDER_ANNOTATION = "x_commercesync_order_id";

    /**
     * The field that names an eBay buyer, in an order's {@code buyer} and in a marketplace account deletion's {@code
     * data}: the {@code username}. eBay gives no other buyer id on orders; since 2025-09-26 some developers receive the
     * buyer's immutable user id in this field instead, and then in both {@code username} and {@code userId} of the
     * notification (developer.ebay.com, "Data Handling Compliance"), so it names the same buyer in both places. The
     * canonical customer id of an eBay buyer, read by {@link #buyerId} only.
     */
    static final String BUYER_ID_FIELD = "username";

    private static final Set<String> CONTACT_FIELDS = Set.of("fullName", "contactAddress", "primaryPhone", "email");
    private static final Set<String> ADDRESS_FIELDS =
            Set.of("addressLine1", "addressLine2", "city", "stateOrProvince", "postalCode", "countryCode");

    private EbayPayloads() {}

    /** The canonical customer id of the buyer that {@code holder} names ({@link #BUYER_ID_FIELD}); empty without one. */
    static Optional<String> buyerId(PayloadObject holder) throws MappingException {
        return holder.text(BUYER_ID_FIELD);
    }

    /** An eBay {@code Amount} object's value in its own currency; empty when the field is absent. */
    static Optional<Money> amount(PayloadObject holder, String field) throws MappingException {
        Optional<PayloadObject> amount = holder.object(field);
        if (amount.isEmpty()) {
            return Optional.empty();
        }
        Optional<BigDecimal> value = amount.get().decimal("value");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Moneys.of(
                value.get(), amount.get().requiredText("currency"), amount.get().path("value")));
    }

    static Money requiredAmount(PayloadObject holder, String field) throws MappingException {
        return amount(holder, field)
                .orElseThrow(() -> MappingException.field(holder.path(field), "required amount is missing"));
    }

    /**
     * An eBay {@code ExtendedContact} ({@code fullName}, {@code contactAddress}, {@code primaryPhone.phoneNumber},
     * {@code email}) as an address; fields without a canonical home go to {@code platformFields} under {@code
     * <prefix>.<field>}.
     */
    static Address contact(PayloadObject contact, String prefix, Map<String, String> platformFields)
            throws MappingException {
        contact.unmappedFields(CONTACT_FIELDS).forEach((k, v) -> platformFields.put(prefix + "." + k, v));
        Address.Builder address = Address.newBuilder()
                .setName(contact.text("fullName").orElse(null))
                .setEmail(contact.text("email").orElse(null));
        Optional<PayloadObject> phone = contact.object("primaryPhone");
        if (phone.isPresent()) {
            address.setPhone(phone.get().text("phoneNumber").orElse(null));
        }
        Optional<PayloadObject> a = contact.object("contactAddress");
        if (a.isPresent()) {
            a.get()
                    .unmappedFields(ADDRESS_FIELDS)
                    .forEach((k, v) -> platformFields.put(prefix + ".contactAddress." + k, v));
            address.setAddress1(a.get().text("addressLine1").orElse(null))
                    .setAddress2(a.get().text("addressLine2").orElse(null))
                    .setCity(a.get().text("city").orElse(null))
                    .setRegion(a.get().text("stateOrProvince").orElse(null))
                    .setPostalCode(a.get().text("postalCode").orElse(null))
                    .setCountryCode(a.get().text("countryCode").orElse(null));
        }
        return address.build();
    }
}
