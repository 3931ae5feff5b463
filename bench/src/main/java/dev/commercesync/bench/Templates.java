package dev.commercesync.bench;

import io.quarkus.qute.Engine;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The results' Markdown, rendered with Qute (standalone) from {@code src/main/resources/templates/<name>}. Templates get
 * their data as named values: strings, numbers, booleans, lists and maps of them (figures are formatted by the
 * benchmark, which knows their precision).
 */
final class Templates {
    private static final Engine ENGINE = Engine.builder()
            .addDefaults()
            .addValueResolver(new ReflectionValueResolver())
            .build();
    private static final Map<String, Template> PARSED = new ConcurrentHashMap<>();

    private Templates() {}

    /** Renders {@code templates/<name>} with {@code data}. */
    static String render(String name, Map<String, ?> data) {
        Template template = PARSED.computeIfAbsent(name, Templates::parse);
        var instance = template.instance();
        data.forEach(instance::data);
        return instance.render();
    }

    private static Template parse(String name) {
        String path = "templates/" + name;
        try (InputStream in = Templates.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no template " + path + " on the classpath");
            }
            return ENGINE.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
