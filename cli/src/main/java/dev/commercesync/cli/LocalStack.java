package dev.commercesync.cli;

import dev.commercesync.devstack.RepoRoot;
import java.nio.file.Path;

/** Where {@code synctl up} keeps everything it writes: one folder, removed by {@code synctl clean}. */
public final class LocalStack {
    private LocalStack() {}

    public static Path dataDir() {
        return RepoRoot.find().resolve(".synctl");
    }
}
