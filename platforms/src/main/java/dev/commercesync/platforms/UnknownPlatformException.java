package dev.commercesync.platforms;

import java.util.Collection;
import java.util.List;

/** A platform name that no registered adapter has. Its message lists the known names. */
public class UnknownPlatformException extends RuntimeException {
    private final String platform;
    private final List<String> knownPlatforms;

    public UnknownPlatformException(String platform, Collection<String> knownPlatforms) {
        super("Unknown platform '" + platform + "'; known platforms: " + String.join(", ", knownPlatforms));
        this.platform = platform;
        this.knownPlatforms = List.copyOf(knownPlatforms);
    }

    public String platform() {
        return platform;
    }

    public List<String> knownPlatforms() {
        return knownPlatforms;
    }
}
