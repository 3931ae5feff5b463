package dev.commercesync.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, plain seconds or ISO-8601 ({@code PT30S}). */
public final class DurationArgument implements CommandLine.ITypeConverter<Duration> {
    /** The same, for code: throws IllegalArgumentException on anything else. */
    public static Duration parse(String value) {
        return new DurationArgument().convert(value);
    }

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("pt") || v.startsWith("p")) {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        char unit = v.charAt(v.length() - 1);
        String number = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
        double n = Double.parseDouble(number);
        double seconds =
                switch (unit) {
                    case 'm' -> n * 60;
                    case 'h' -> n * 3600;
                    case 's' -> n;
                    default -> {
                        if (!Character.isDigit(unit)) {
                            throw new CommandLine.TypeConversionException("not a duration: " + value);
                        }
                        yield n;
                    }
                };
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
