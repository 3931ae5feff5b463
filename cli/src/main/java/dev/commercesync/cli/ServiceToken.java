package dev.commercesync.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The bearer tokens the services' endpoints need (docs/auth.md), for the commands that call them: the environment
 * variable, else the property of the secrets file (default: the local run's {@code .synctl/local-secrets.properties}).
 * Never taken from the command line.
 */
enum ServiceToken {
    /** Every service's non-health, non-admin endpoints: commands, reconciliation, status. */
    INTERNAL("COMMERCESYNC_INTERNAL_TOKEN", "commercesync.internal.token"),
    /** webhook-ingest's {@code /admin/*}: stores and merchants. */
    ADMIN("COMMERCESYNC_ADMIN_TOKEN", "commercesync.admin.token");

    /** The environment variable that holds it. */
    final String variable;
    /** The property of the secrets file that holds it. */
    final String property;

    ServiceToken(String variable, String property) {
        this.variable = variable;
        this.property = property;
    }

    /** @param secretsFile the file named by {@code --secrets-file}, or null for the local run's */
    Optional<String> find(Path secretsFile) {
        String env = System.getenv(variable);
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
        return Optional.ofNullable(secrets.getProperty(property))
                .map(String::trim)
                .filter(t -> !t.isEmpty());
    }
}
