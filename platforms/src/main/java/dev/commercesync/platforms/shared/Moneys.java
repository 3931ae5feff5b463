package dev.commercesync.platforms.shared;

import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Exact money: amounts come from the JSON text as BigDecimal and are stored at the canonical scale, never rounded. */
public final class Moneys {
    /** Scale of {@code Money.amount} in the schema. */
    public static final int CANONICAL_SCALE = 6;

    private Moneys() {}

    /**
     * @throws MappingException when the amount has more than 6 decimals, does not fit precision 24, or the currency is
     *     not an ISO 4217 alphabetic code
     */
    public static Money of(BigDecimal amount, String currency, String fieldPath) throws MappingException {
        return new Money(exact(amount, 24, CANONICAL_SCALE, fieldPath, "amount"), currencyCode(currency, fieldPath));
    }

    /** A tax rate as an exact fraction at the schema's scale 10 ({@code 0.0825}); more decimals are a mapping error. */
    public static BigDecimal rate(BigDecimal rate, String fieldPath) throws MappingException {
        return exact(rate, 16, 10, fieldPath, "rate");
    }

    /**
     * A decimal at a canonical field's scale, exactly: more decimals than the scale (never rounded) or more digits
     * than the precision (Avro refuses to encode those: the event could not be published) are a mapping error.
     */
    public static BigDecimal exact(BigDecimal value, int precision, int scale, String fieldPath, String what)
            throws MappingException {
        BigDecimal scaled;
        try {
            scaled = value.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw MappingException.field(fieldPath, what + " has more than " + scale + " decimals; refusing to round");
        }
        if (scaled.precision() > precision) {
            throw MappingException.field(fieldPath, what + " does not fit " + (precision - scale) + " integer digits");
        }
        return scaled;
    }

    /** The sum of amounts of one currency; empty for no amounts. */
    public static Optional<Money> sum(List<Money> amounts, String fieldPath) throws MappingException {
        if (amounts.isEmpty()) {
            return Optional.empty();
        }
        String currency = amounts.get(0).getCurrency();
        BigDecimal total = BigDecimal.ZERO;
        for (Money amount : amounts) {
            if (!amount.getCurrency().equals(currency)) {
                throw MappingException.field(fieldPath, "amounts in more than one currency cannot be summed");
            }
            total = total.add(amount.getAmount());
        }
        return Optional.of(of(total, currency, fieldPath));
    }

    /** The amount with the opposite sign (platforms that report refunds as negative numbers). */
    public static Money negate(Money money) {
        return new Money(money.getAmount().negate(), money.getCurrency());
    }

    public static String currencyCode(String currency, String fieldPath) throws MappingException {
        if (currency == null || !currency.trim().matches("[A-Za-z]{3}")) {
            throw MappingException.field(fieldPath, "currency is not an ISO 4217 code");
        }
        return currency.trim().toUpperCase(Locale.ROOT);
    }
}
