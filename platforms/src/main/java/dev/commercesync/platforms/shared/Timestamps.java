package dev.commercesync.platforms.shared;

import dev.commercesync.platforms.spi.MappingException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Platform timestamps to UTC instants. Two rules, named so that a mapper says which one a field follows: a timestamp
 * with an offset is converted, and a timestamp documented as UTC without an offset (WooCommerce {@code *_gmt}) is
 * read as UTC. An offset-less timestamp in site-local time is never guessed.
 */
public final class Timestamps {
    private Timestamps() {}

    /** ISO-8601 with an offset or Z ({@code 2026-04-10T12:00:00-04:00}); anything else is a mapping error. */
    public static Instant withOffset(String text, String fieldPath) throws MappingException {
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw MappingException.field(fieldPath, "not an ISO-8601 timestamp with offset");
        }
    }

    /**
     * ISO-8601 local date-time that the platform documents as UTC ({@code 2017-03-22T16:28:02}, also with a space
     * instead of T); an explicit offset is honoured too.
     */
    public static Instant utcIfNoOffset(String text, String fieldPath) throws MappingException {
        String value = text.trim().replace(' ', 'T');
        try {
            return LocalDateTime.parse(value, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return withOffset(value, fieldPath);
        }
    }
}
