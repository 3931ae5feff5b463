package dev.commercesync.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the commerce-sync checkout, where the dev-registry build and devstack's broker classpath live. */
public final class RepoRoot {
    private RepoRoot() {}

    /**
     * The {@code commercesync.root} system property (set by the build for tests), the {@code COMMERCESYNC_ROOT}
     * environment variable (set by {@code ./synctl}), or the nearest parent of the working directory holding
     * {@code mvnw} and {@code devstack/}.
     */
    public static Path find() {
        String configured = System.getProperty("commercesync.root", System.getenv("COMMERCESYNC_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("devstack"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "Cannot find the commerce-sync checkout: set -Dcommercesync.root or COMMERCESYNC_ROOT");
    }
}
