package dev.commercesync.cli;

import java.nio.file.Path;
import java.util.Optional;

/** The internal token (docs/auth.md): {@link ServiceToken#INTERNAL}, for the commands written before the admin one. */
final class InternalToken {
    private InternalToken() {}

    /** @param secretsFile the file named by {@code --secrets-file}, or null for the local run's */
    static Optional<String> find(Path secretsFile) {
        return ServiceToken.INTERNAL.find(secretsFile);
    }
}
