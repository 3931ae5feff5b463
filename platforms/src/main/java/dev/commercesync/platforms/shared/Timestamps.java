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
    /**
     * The instants a canonical timestamp may hold: the years 0001 to 9999 (ISO 8601's four-digit years). The parser
     * accepts years up to ±999,999,999, whose epoch milliseconds overflow Avro's timestamp encoding: the event could
     * not be published.
     */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Timestamps() {}

    /** ISO-8601 with an offset or Z ({@code 2026-04-10T12:00:00-04:00}); anything else is a mapping error. */
    public static Instant withOffset(String text, String fieldPath) throws MappingException {
        try {
            return inRange(
                    OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant(),
                    fieldPath);
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
            return inRange(
                    LocalDateTime.parse(value, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                            .toInstant(ZoneOffset.UTC),
                    fieldPath);
        } catch (DateTimeParseException e) {
            return withOffset(value, fieldPath);
        }
    }

    /** Unix seconds (BigCommerce's {@code created_at}), within the same years. */
    public static Instant epochSeconds(long seconds, String fieldPath) throws MappingException {
        if (seconds < EARLIEST.getEpochSecond() || seconds > LATEST.getEpochSecond()) {
            throw MappingException.field(fieldPath, "timestamp is outside the years 0001 to 9999");
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static Instant inRange(Instant instant, String fieldPath) throws MappingException {
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw MappingException.field(fieldPath, "timestamp is outside the years 0001 to 9999");
        }
        return instant;
    }
}
