package dev.commercesync.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The internal token the services' non-health endpoints need (docs/auth.md), for the commands that call them: {@code
 * COMMERCESYNC_INTERNAL_TOKEN}, else {@code commercesync.internal.token} of the secrets file (default: the local run's
 * {@code .synctl/local-secrets.properties}). Never taken from the command line.
 */
final class InternalToken {
    private InternalToken() {}

    /** @param secretsFile the file named by {@code --secrets-file}, or null for the local run's */
    static Optional<String> find(Path secretsFile) {
        String env = System.getenv("COMMERCESYNC_INTERNAL_TOKEN");
        if (env != null && !env.isBlank()) {
            return Optional.of(env.trim());
        }
        Path file;
        try {
            file = secretsFile != null ? secretsFile : LocalStack.dataDir().resolve("local-secrets.properties");
        } catch (RuntimeException notInTheRepository) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties secrets = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            secrets.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(secrets.getProperty("commercesync.internal.token"))
                .map(String::trim)
                .filter(t -> !t.isEmpty());
    }
}
