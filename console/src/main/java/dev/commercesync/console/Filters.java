package dev.commercesync.console;

import java.util.Arrays;

/** The browsers' filter values as the API and the forms send them: blank means "any", an enum value is checked. */
final class Filters {
    private Filters() {}

    /** Null for a missing or blank value (an empty form field). */
    static String any(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * The value, null when blank; checked to be one of {@code type}'s names.
     *
     * @param parameter the parameter's name, for the message
     * @throws IllegalArgumentException naming the parameter and the names allowed
     */
    static <E extends Enum<E>> String oneOf(Class<E> type, String parameter, String value) {
        String given = any(value);
        if (given != null
                && Arrays.stream(type.getEnumConstants())
                        .noneMatch(e -> e.name().equals(given))) {
            throw new IllegalArgumentException(
                    parameter + " " + given + " is not one of " + Arrays.toString(type.getEnumConstants()));
        }
        return given;
    }
}
