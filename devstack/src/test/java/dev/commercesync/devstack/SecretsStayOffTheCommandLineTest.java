package dev.commercesync.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.ServiceNode.Launch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service's secrets (secrets key, admin token, any other token) reach its process through the environment, never
 * its command line, which every user of the machine can read ({@code ps}, {@code /proc/<pid>/cmdline}).
 */
class SecretsStayOffTheCommandLineTest {
    private static final String KEY = "key-" + UUID.randomUUID();
    private static final String ADMIN = "admin-" + UUID.randomUUID();
    private static final String INTERNAL = "internal-" + UUID.randomUUID();

    private static Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        config.put("commercesync.secrets.key", KEY);
        config.put("commercesync.admin.token", ADMIN);
        config.put("commercesync.internal-token", INTERNAL);
        config.put("quarkus.http.port", "8080");
        return config;
    }

    @Test
    void secretKeysGoToTheEnvironmentUnderQuarkusNames() {
        Launch launch = Launch.of(config());
        assertEquals(
                Map.of(
                        "COMMERCESYNC_SECRETS_KEY", KEY,
                        "COMMERCESYNC_ADMIN_TOKEN", ADMIN,
                        "COMMERCESYNC_INTERNAL_TOKEN", INTERNAL),
                launch.environment());
        assertEquals(
                List.of("-Dkafka.bootstrap.servers=127.0.0.1:9092", "-Dquarkus.http.port=8080"),
                launch.systemProperties());
        assertTrue(Launch.isSecret("quarkus.datasource.password"));
        assertFalse(Launch.isSecret("kafka.key.serializer"));
        assertFalse(Launch.isSecret("commercesync.poller.webhooks.public-url"));
    }

    /** A real child process: its /proc command line has no secret, its environment has them all. */
    @Test
    void aStartedChildShowsNoSecretInItsCommandLine(@TempDir Path dir) throws Exception {
        Launch launch = Launch.of(config());
        String testClasses = Path.of(SecretsStayOffTheCommandLineTest.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        try (ChildProcess child = ChildProcess.startJava(
                "sleeper",
                List.of(ChildProcess.ownClasspathEntry(), testClasses),
                launch.systemProperties(),
                launch.environment(),
                Sleeper.class.getName(),
                List.of(),
                dir.resolve("sleeper.log"))) {
            Path proc = Path.of("/proc", Long.toString(child.pid()));
            String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            String environ = new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8);
            assertTrue(cmdline.contains("-Dkafka.bootstrap.servers=127.0.0.1:9092"), cmdline);
            for (String secret : List.of(KEY, ADMIN, INTERNAL)) {
                assertFalse(cmdline.contains(secret), "a secret is on the command line: " + cmdline);
            }
            assertTrue(environ.contains("COMMERCESYNC_ADMIN_TOKEN=" + ADMIN));
            assertTrue(environ.contains("COMMERCESYNC_SECRETS_KEY=" + KEY));
            assertTrue(environ.contains("COMMERCESYNC_INTERNAL_TOKEN=" + INTERNAL));
        }
    }

    /** The child: waits to be stopped. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Duration.ofMinutes(2).toMillis());
        }
    }
}
