package dev.commercesync.simulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Fault rates (each 0..1) of a simulated store, the longest delay of a delayed webhook and how long an answer is held
 * for {@link Fault#WRITE_TIMEOUT_AFTER_APPLY}. Presets: {@code none}, {@code default}, {@code heavy}; {@link #parse}
 * also takes overrides ({@code default,drop=0.2,max-delay=PT5S,write-hold=PT30S}).
 */
public record FaultProfile(Map<Fault, Double> rates, Duration maxDelay, Duration writeHold) {

    /** How long an answer is held by default: longer than any client's timeout (the adapters' 10 s). */
    public static final Duration DEFAULT_WRITE_HOLD = Duration.ofSeconds(30);

    public FaultProfile(Map<Fault, Double> rates, Duration maxDelay) {
        this(rates, maxDelay, DEFAULT_WRITE_HOLD);
    }

    public FaultProfile {
        EnumMap<Fault, Double> copy = new EnumMap<>(Fault.class);
        for (Fault fault : Fault.values()) {
            double rate = rates.getOrDefault(fault, 0.0);
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException(fault + " rate must be within 0..1, was " + rate);
            }
            copy.put(fault, rate);
        }
        rates = Map.copyOf(copy);
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative");
        }
        if (writeHold.isNegative()) {
            throw new IllegalArgumentException("writeHold must not be negative");
        }
    }

    public static FaultProfile none() {
        return new FaultProfile(Map.of(), Duration.ofSeconds(2));
    }

    /** Light faults, what a healthy production day looks like (made visible). */
    public static FaultProfile defaults() {
        return new FaultProfile(
                Map.of(
                        Fault.DUPLICATE, 0.05,
                        Fault.REORDER, 0.05,
                        Fault.DROP, 0.02,
                        Fault.DELAY, 0.10,
                        Fault.API_RATE_LIMITED, 0.02,
                        Fault.API_SERVER_ERROR, 0.01,
                        Fault.SUBSCRIPTION_DELETED, 0.001,
                        Fault.WRITE_RATE_LIMITED, 0.02,
                        Fault.WRITE_ERROR_AFTER_APPLY, 0.02,
                        Fault.WRITE_TIMEOUT_AFTER_APPLY, 0.01),
                Duration.ofSeconds(2));
    }

    /** A bad day: the pipeline must still converge. */
    public static FaultProfile heavy() {
        return new FaultProfile(
                Map.of(
                        Fault.DUPLICATE, 0.20,
                        Fault.REORDER, 0.20,
                        Fault.DROP, 0.10,
                        Fault.DELAY, 0.30,
                        Fault.API_RATE_LIMITED, 0.10,
                        Fault.API_SERVER_ERROR, 0.05,
                        Fault.SUBSCRIPTION_DELETED, 0.01,
                        Fault.WRITE_RATE_LIMITED, 0.10,
                        Fault.WRITE_ERROR_AFTER_APPLY, 0.05,
                        Fault.WRITE_TIMEOUT_AFTER_APPLY, 0.05),
                Duration.ofSeconds(5));
    }

    public static FaultProfile preset(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> none();
            case "default" -> defaults();
            case "heavy" -> heavy();
            default ->
                throw new IllegalArgumentException("unknown fault preset '" + name + "'; known: none, default, heavy");
        };
    }

    /**
     * A preset, optionally followed by overrides: {@code heavy}, {@code none,drop=1.0}, {@code
     * default,duplicate=0.5,max-delay=PT1S}. Fault names are the enum's in lower case with dashes ({@code
     * api-rate-limited}; underscores work too: {@code write_error_after_apply}).
     */
    public static FaultProfile parse(String spec) {
        String[] parts = spec.split(",");
        FaultProfile profile = parts[0].contains("=") ? none() : preset(parts[0]);
        for (int i = parts[0].contains("=") ? 0 : 1; i < parts.length; i++) {
            String[] nameValue = parts[i].split("=", 2);
            if (nameValue.length != 2) {
                throw new IllegalArgumentException("fault override '" + parts[i] + "' is not name=value");
            }
            String name = nameValue[0].trim().toLowerCase(Locale.ROOT);
            if (name.equals("max-delay")) {
                profile = new FaultProfile(profile.rates, Duration.parse(nameValue[1].trim()), profile.writeHold);
            } else if (name.equals("write-hold")) {
                profile = new FaultProfile(profile.rates, profile.maxDelay, Duration.parse(nameValue[1].trim()));
            } else {
                Fault fault;
                try {
                    fault = Fault.valueOf(name.replace('-', '_').toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown fault '" + name + "'", e);
                }
                profile = profile.with(fault, Double.parseDouble(nameValue[1].trim()));
            }
        }
        return profile;
    }

    public FaultProfile with(Fault fault, double rate) {
        EnumMap<Fault, Double> copy = new EnumMap<>(rates);
        copy.put(fault, rate);
        return new FaultProfile(copy, maxDelay, writeHold);
    }

    public double rate(Fault fault) {
        return rates.get(fault);
    }
}
