package dev.commercesync.cli;

import dev.commercesync.kafka.EntityTrace;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time: an ISO-8601 instant ({@code 2026-01-05T10:00:00Z}) or an age ({@code 90m}, {@code 6h}, {@code 7d}),
 * as {@link EntityTrace#parseSince} reads it (the console's trace takes the same).
 */
final class TimeArgument implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            return EntityTrace.parseSince(value, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
