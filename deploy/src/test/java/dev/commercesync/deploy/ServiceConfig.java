package dev.commercesync.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A service module's own configuration (src/main/resources/application.properties), and what a deployment must set
 * for it, derived from that file rather than listed by hand.
 */
record ServiceConfig(String module, Properties properties, List<String> lines) {
    /** A commented setting followed by its environment variable, e.g. {@code # key=example   (ENV_NAME)}. */
    private static final Pattern DOCUMENTED_ENV = Pattern.compile("^#\\s*([a-z][\\w.\"-]*)=\\S*\\s+\\(([A-Z0-9_]+)\\)");

    private static final Pattern LOCAL_ADDRESS = Pattern.compile("127\\.0\\.0\\.1|localhost");

    static ServiceConfig of(Path root, String module) {
        Path file = root.resolve(module).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
            return new ServiceConfig(module, properties, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The service modules: those whose configuration names an HTTP port and the internal token every service's
     * endpoints need (docs/auth.md).
     */
    static List<ServiceConfig> services(Path root) {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.filter(dir -> Files.isRegularFile(dir.resolve("src/main/resources/application.properties")))
                    .map(dir -> of(root, dir.getFileName().toString()))
                    .filter(config -> config.value("quarkus.http.port") != null
                            && config.properties.stringPropertyNames().stream()
                                    .anyMatch(key -> key.endsWith("commercesync.internal.token")))
                    .sorted((a, b) -> a.module.compareTo(b.module))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value in the default (production) profile, or null. */
    String value(String key) {
        return properties.getProperty(key);
    }

    int httpPort() {
        return Integer.parseInt(value("quarkus.http.port"));
    }

    /** How Quarkus spells a key as an environment variable: upper case, every other character an underscore. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * The settings the production profile lacks or has only for a single machine, each with why:
     *
     * <ul>
     *   <li>set in the {@code %dev} profile but with no production value (tokens, the secrets key): production must
     *       supply it;
     *   <li>a production value that points at this machine (127.0.0.1: Kafka, registry, PostgreSQL, the poller);
     *   <li>the database credentials of a service with a datasource;
     *   <li>a commented setting the file documents with its environment variable ({@code (ENV_NAME)});
     *   <li>a replication factor (single-node value 1 in the file): must be set, to 3 (checked by the caller).
     * </ul>
     */
    Map<String, String> requiredSettings() {
        Map<String, String> required = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%dev.") && !key.startsWith("%dev.quarkus.")) {
                String plain = key.substring("%dev.".length());
                if (value(plain) == null) {
                    required.put(plain, "set only in the dev profile");
                }
            } else if (!key.startsWith("%")) {
                if (LOCAL_ADDRESS.matcher(value(key)).find()) {
                    required.put(key, "points at this machine: " + value(key));
                }
                if (key.endsWith("replication.factor")) {
                    required.put(key, "a single-node replication factor: " + value(key));
                }
            }
        }
        if (value("quarkus.datasource.db-kind") != null) {
            required.put("quarkus.datasource.username", "the database user");
            required.put("quarkus.datasource.password", "the database password");
        }
        for (String line : lines) {
            Matcher documented = DOCUMENTED_ENV.matcher(line.trim());
            if (documented.find()) {
                required.put(documented.group(1), "documented for production as " + documented.group(2));
            }
        }
        return required;
    }

    /** Topic names the service's channels and Kafka Streams name in its configuration. */
    List<String> configuredTopics() {
        List<String> topics = new ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")
                    && (key.endsWith(".topic")
                            || key.endsWith(".topics")
                            || key.equals("quarkus.kafka-streams.topics"))) {
                for (String topic : value(key).split(",")) {
                    topics.add(topic.trim());
                }
            }
        }
        return topics;
    }
}
