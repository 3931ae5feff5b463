package dev.commercesync.platforms.spi;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The API versions an adapter's clients are written and tested for ({@link PlatformAdapter#apiVersions()}): the only
 * versions a store may be configured to use, and the one used when none is configured. A version outside this list
 * is refused (a configuration error), never sent to the platform.
 *
 * @param scheme what a "version" is on this platform and where it goes (Shopify: the dated release in {@code
 *     /admin/api/<version>/}), for people reading the status and docs
 * @param supported the supported versions, oldest first
 * @param defaultVersion the version of a store that configures none; one of {@code supported}
 */
public record ApiVersions(String scheme, List<ApiVersion> supported, String defaultVersion) {

    /**
     * One supported version.
     *
     * @param sunset the day the platform stops serving it, when the platform has announced one
     */
    public record ApiVersion(String name, Optional<LocalDate> sunset) {
        public ApiVersion {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sunset, "sunset");
        }

        /** A version without an announced end. */
        public static ApiVersion of(String name) {
            return new ApiVersion(name, Optional.empty());
        }

        public static ApiVersion until(String name, LocalDate sunset) {
            return new ApiVersion(name, Optional.of(sunset));
        }
    }

    public ApiVersions {
        Objects.requireNonNull(scheme, "scheme");
        supported = List.copyOf(supported);
        if (supported.isEmpty()) {
            throw new IllegalArgumentException("an adapter supports at least one API version");
        }
        String fallback = defaultVersion;
        if (supported.stream().noneMatch(v -> v.name().equals(fallback))) {
            throw new IllegalArgumentException("the default API version " + defaultVersion + " is not supported");
        }
    }

    /** A platform with one version and no announced end. */
    public static ApiVersions single(String scheme, String version) {
        return new ApiVersions(scheme, List.of(ApiVersion.of(version)), version);
    }

    public Optional<ApiVersion> find(String name) {
        return supported.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /**
     * The configured version, or the default when none is configured.
     *
     * @throws IllegalArgumentException when {@code configured} is not a supported version
     */
    public ApiVersion resolve(String platform, Optional<String> configured) {
        String name = configured.map(String::trim).filter(s -> !s.isEmpty()).orElse(defaultVersion);
        return find(name)
                .orElseThrow(() -> new IllegalArgumentException("API version " + name + " is not supported by the "
                        + platform + " adapter; supported: "
                        + supported.stream().map(ApiVersion::name).toList()));
    }

    /**
     * A warning when {@code version} ends within {@code warnBefore} days of {@code today} or has ended; empty
     * otherwise (or when it has no announced end).
     */
    public Optional<String> sunsetWarning(ApiVersion version, LocalDate today, long warnBefore) {
        if (version.sunset().isEmpty()) {
            return Optional.empty();
        }
        LocalDate sunset = version.sunset().get();
        long days = ChronoUnit.DAYS.between(today, sunset);
        String newest = supported.get(supported.size() - 1).name();
        if (days <= 0) {
            return Optional.of(
                    "API version " + version.name() + " reached its sunset on " + sunset + "; upgrade to " + newest);
        }
        if (days <= warnBefore) {
            return Optional.of("API version " + version.name() + " reaches its sunset on " + sunset + " (in " + days
                    + " days); upgrade to " + newest);
        }
        return Optional.empty();
    }
}
