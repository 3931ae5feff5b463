package dev.commercesync.console.series;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code window} a page or an API call asks for: {@code 6h}, {@code 90m} or ISO-8601 ({@code PT6H}). */
public final class SeriesWindow {
    /** The most buckets one series holds (a week of 5-minute buckets). */
    static final int MAX_BUCKETS = 2016;

    private static final Pattern SHORT = Pattern.compile("(\\d{1,6})([mh])");

    private SeriesWindow() {}

    /**
     * @param text the window asked for
     * @param bucket the series' bucket width: the window must be a whole number of them
     * @param retained the longest window the console keeps
     * @throws IllegalArgumentException with a message for the caller when the window is not one of those
     */
    public static Duration parse(String text, Duration bucket, Duration retained) {
        Duration window = duration(text.trim());
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be positive, not " + text);
        }
        if (window.compareTo(retained) > 0) {
            throw new IllegalArgumentException(
                    "the window " + text + " is longer than the " + human(retained) + " the console keeps");
        }
        if (window.toMillis() % bucket.toMillis() != 0) {
            throw new IllegalArgumentException(
                    "the window " + text + " is not a whole number of " + human(bucket) + " buckets");
        }
        return window;
    }

    /** 6h, 90m, 30s: how the pages and docs name a duration. */
    public static String human(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }

    private static Duration duration(String text) {
        Matcher m = SHORT.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofMinutes(n);
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the window must look like 6h, 90m or PT6H, not " + text);
        }
    }
}
