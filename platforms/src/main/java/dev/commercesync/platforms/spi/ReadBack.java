package dev.commercesync.platforms.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * The platform's current state of a command's target, and whether the command's effect is present in it: what decides
 * after an ambiguous failure (a timeout or 5xx after the request may have been applied) whether to report APPLIED or
 * to try again, and what a compare-and-set reads before it writes.
 *
 * @param effect whether the target shows the command's effect
 * @param currentState the target's current state as JSON in the platform's own shape; empty only for NOT_FOUND
 */
public record ReadBack(Effect effect, Optional<String> currentState) {

    /** Whether the command's effect is present on the platform. */
    public enum Effect {
        /**
         * The target shows the command's effect (the quantity, price or status it sets; a shipment with its tracking
         * number; the order cancelled): the command counts as applied, and must not be sent again.
         */
        APPLIED,
        /** The target exists and does not show the effect: nothing was applied, the command may be sent. */
        NOT_APPLIED,
        /** The target does not exist (deleted, or never existed): the command is REJECTED with NOT_FOUND. */
        NOT_FOUND
    }

    public ReadBack {
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(currentState, "currentState");
        if (effect != Effect.NOT_FOUND && currentState.isEmpty()) {
            throw new IllegalArgumentException(effect + " needs the current state");
        }
    }

    public static ReadBack applied(String currentState) {
        return new ReadBack(Effect.APPLIED, Optional.of(currentState));
    }

    public static ReadBack notApplied(String currentState) {
        return new ReadBack(Effect.NOT_APPLIED, Optional.of(currentState));
    }

    public static ReadBack notFound() {
        return new ReadBack(Effect.NOT_FOUND, Optional.empty());
    }
}
