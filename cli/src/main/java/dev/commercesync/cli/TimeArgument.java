package dev.commercesync.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A point in time: an ISO-8601 instant ({@code 2026-01-05T10:00:00Z}) or an age ({@code 90m}, {@code 6h}, {@code 7d}). */
final class TimeArgument implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.matches("\\d+[smhd]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                Duration age =
                        switch (v.charAt(v.length() - 1)) {
                            case 's' -> Duration.ofSeconds(n);
                            case 'm' -> Duration.ofMinutes(n);
                            case 'h' -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        };
                return Instant.now().minus(age);
            }
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new TypeConversionException(
                    "'" + value + "' is neither an ISO-8601 instant (2026-01-05T10:00:00Z) nor an age (90m, 6h, 7d)");
        }
    }
}
