package dev.commercesync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a platform touches only its adapter package, its registration, its simulator dialect and its fixtures
 * (platforms/README.md, "Adding a platform"): so no service module names a platform in its main code or configuration.
 * Comments may (they explain); code, string literals and configuration values may not: what differs per platform is
 * declared by its adapter ({@code PlatformAdapter#capabilities()}) and found through {@code PlatformRegistry}.
 *
 * <p>It lives here because this module's tests already read the whole tree (the services' code and configuration)
 * without depending on any service.
 */
class PlatformNamesTest {
    /**
     * The service modules (found as the manifests test finds them) and the libraries and tools they share, whose
     * {@code src/main} must name no platform.
     */
    static final List<String> SERVICE_MODULES = Stream.concat(
                    DeployManifestsTest.SERVICES.stream().map(ServiceConfig::module),
                    Stream.of(
                            "cli",
                            "devstack",
                            "stores",
                            "operational-state",
                            "replay",
                            "service-auth",
                            "pipeline-kafka",
                            "telemetry",
                            "test-support",
                            "bench"))
            .toList();

    /** Names and brand names of the platforms; the registered adapters' package names are added to these. */
    static final Set<String> KNOWN_NAMES =
            Set.of("shopify", "woocommerce", "bigcommerce", "magento2", "magento", "adobe");

    static final String REGISTRATION =
            "platforms/src/main/resources/META-INF/services/dev.commercesync.platforms.spi.PlatformAdapter";

    @Test
    void noServiceModuleNamesAPlatformOutsideComments() throws IOException {
        Path root = DeployManifestsTest.ROOT;
        Set<String> names = platformNames(root);
        List<String> modules = new ArrayList<>(SERVICE_MODULES);
        for (String module : SERVICE_MODULES) {
            assertTrue(Files.isDirectory(root.resolve(module).resolve("src/main")), module + "/src/main is gone");
        }
        List<String> found = new ArrayList<>();
        for (String module : modules) {
            found.addAll(namesIn(root, root.resolve(module).resolve("src/main"), names));
        }
        assertEquals(
                List.of(),
                found,
                "platform names in service modules (a platform's facts belong in its adapter, platforms/README.md)");
    }

    /** The known names and the package of every registered adapter ({@code dev.commercesync.platforms.<name>}). */
    static Set<String> platformNames(Path root) throws IOException {
        Set<String> names = new TreeSet<>(KNOWN_NAMES);
        for (String line : Files.readAllLines(root.resolve(REGISTRATION))) {
            String adapter = line.trim();
            if (adapter.isEmpty() || adapter.startsWith("#")) {
                continue;
            }
            String pkg = adapter.substring(0, adapter.lastIndexOf('.'));
            names.add(pkg.substring(pkg.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /** Every line of a file under {@code dir} naming a platform outside comments, as {@code path:line: text}. */
    static List<String> namesIn(Path root, Path dir, Set<String> names) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                String[] lines = withoutComments(relative, read(file)).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i];
                    String lower = infrastructureRemoved(line.toLowerCase(Locale.ROOT));
                    if (names.stream().anyMatch(lower::contains)) {
                        found.add(relative + ":" + (i + 1) + ": " + line.trim());
                    }
                }
            }
        }
        return found;
    }

    /**
     * The line without the names of infrastructure that happen to contain a platform's name: the AWS SDK's packages
     * ({@code software.amazon.awssdk}, Amazon SQS for queued notifications: AWS, not the Amazon marketplace).
     */
    static String infrastructureRemoved(String lowerCaseLine) {
        return lowerCaseLine.replace("software.amazon.awssdk.", "");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    /** The text with its comments blanked (line breaks kept, so line numbers hold). */
    static String withoutComments(String fileName, String text) {
        if (fileName.endsWith(".java")) {
            return withoutJavaComments(text);
        }
        if (fileName.endsWith(".properties")) {
            return withoutLineComments(text, "#", "!");
        }
        if (fileName.endsWith(".sql")) {
            return withoutLineComments(withoutJavaComments(text), "--");
        }
        if (fileName.endsWith(".yaml") || fileName.endsWith(".yml") || fileName.endsWith(".sh")) {
            return withoutLineComments(text, "#");
        }
        return text;
    }

    /** Drops lines whose first non-blank characters start a comment. */
    private static String withoutLineComments(String text, String... markers) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.stripLeading();
            boolean comment = Stream.of(markers).anyMatch(trimmed::startsWith);
            out.append(comment ? "" : line).append('\n');
        }
        return out.toString();
    }

    /** Blanks {@code //} and {@code /* *&#47;} comments, leaving string, text-block and char literals whole. */
    static String withoutJavaComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                while (end > 0 && text.charAt(end - 1) == '\\') {
                    end = text.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end + 3;
                out.append(text, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && text.charAt(j) != c && text.charAt(j) != '\n') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(n, j + 1);
                out.append(text, i, j);
                i = j;
            } else if (text.startsWith("//", i)) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                text.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    // ---- the check itself can fail ----

    @Test
    void aNameInCodeOrConfigurationIsFoundAndOneInACommentIsNot(@TempDir Path root) throws IOException {
        Path main = root.resolve("svc/src/main");
        Files.createDirectories(main.resolve("java"));
        Files.createDirectories(main.resolve("resources"));
        Files.writeString(
                main.resolve("java/A.java"),
                """
                /** Shopify is explained here. */
                class A {
                    // and WooCommerce here
                    String url = "https://x.example.com"; // BigCommerce
                    String hidden = "https://acme.MyShopify.com"; /* a "//" in a string hides nothing */
                    char c = '"'; String after = "magento2";
                    String block = \"""
                        adobe
                        \""";
                }
                """);
        Files.writeString(
                main.resolve("resources/application.properties"),
                """
                # commercesync.poller.platform."shopify".resources=ORDER
                ! woocommerce
                commercesync.reconciler.platform."bigcommerce".entity-types=ORDER
                """);
        List<String> found = namesIn(root, main, KNOWN_NAMES);
        assertEquals(
                List.of(
                        "svc/src/main/java/A.java:5: String hidden = \"https://acme.MyShopify.com\";",
                        "svc/src/main/java/A.java:6: char c = '\"'; String after = \"magento2\";",
                        "svc/src/main/java/A.java:8: adobe",
                        "svc/src/main/resources/application.properties:3:"
                                + " commercesync.reconciler.platform.\"bigcommerce\".entity-types=ORDER"),
                found);
    }

    @Test
    void theAwsSdksPackagesAreInfrastructureNotThePlatform(@TempDir Path root) throws IOException {
        Path main = root.resolve("svc/src/main/java");
        Files.createDirectories(main);
        Files.writeString(
                main.resolve("B.java"),
                """
                import software.amazon.awssdk.services.sqs.SqsClient;
                class B {
                    String platform = "amazon";
                    software.amazon.awssdk.regions.Region region; String seller = "amazon";
                }
                """);
        assertEquals(
                List.of(
                        "svc/src/main/java/B.java:3: String platform = \"amazon\";",
                        "svc/src/main/java/B.java:4: software.amazon.awssdk.regions.Region region; String seller ="
                                + " \"amazon\";"),
                namesIn(root, main, Set.of("amazon")));
    }

    @Test
    void everyRegisteredAdapterIsANameToLookFor() throws IOException {
        Set<String> names = platformNames(DeployManifestsTest.ROOT);
        assertTrue(names.containsAll(KNOWN_NAMES));
        assertFalse(names.contains("spi"), names.toString());
    }
}
