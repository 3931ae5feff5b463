package dev.commercesync.schemas.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaParser;

/**
 * All named types of a tree of {@code .avsc} files, parsed the way avro-maven-plugin parses them with
 * {@code <imports>}: one parser for every file, so a file may name a type defined in another one.
 */
public final class SchemaSet {

    /** Directory, relative to a schema root, of the types imported before every other file. */
    public static final String SHARED_DIR = "shared/";

    private final Map<String, String> sources;
    private final Map<String, Schema> typesByName;

    private SchemaSet(Map<String, String> sources, Map<String, Schema> typesByName) {
        this.sources = sources;
        this.typesByName = typesByName;
    }

    /** Reads every {@code *.avsc} file under {@code root}. */
    public static SchemaSet load(Path root) {
        return parse(readSources(root));
    }

    /** The JSON text of every {@code *.avsc} file under {@code root}, keyed by its '/'-separated relative path. */
    public static Map<String, String> readSources(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("not a directory: " + root.toAbsolutePath());
        }
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".avsc"))::iterator) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                sources.put(relative, Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sources;
    }

    /**
     * Parses schema texts keyed by file path (also used to apply changes in memory). Like avro-maven-plugin's
     * {@code <imports>}, the shared types ({@value #SHARED_DIR}) are parsed first, then every other file, all with
     * one parser.
     */
    public static SchemaSet parse(Map<String, String> sources) {
        SchemaParser parser = new SchemaParser();
        List<Map.Entry<String, String>> ordered = new ArrayList<>(new TreeMap<>(sources).entrySet());
        ordered.sort(Comparator.comparing(source -> !source.getKey().startsWith(SHARED_DIR)));
        for (Map.Entry<String, String> source : ordered) {
            try {
                parser.parse(source.getValue());
            } catch (SchemaParseException e) {
                throw new SchemaParseException(source.getKey() + ": " + e.getMessage());
            }
        }
        Map<String, Schema> types = new LinkedHashMap<>();
        for (Schema schema : parser.getParsedNamedSchemas()) {
            types.put(schema.getFullName(), schema);
        }
        return new SchemaSet(Collections.unmodifiableMap(new TreeMap<>(sources)), Collections.unmodifiableMap(types));
    }

    public Map<String, String> sources() {
        return sources;
    }

    /** Every named type (record, enum, fixed), top-level or nested, by full name. */
    public Map<String, Schema> types() {
        return typesByName;
    }

    public Schema type(String fullName) {
        Schema schema = typesByName.get(fullName);
        if (schema == null) {
            throw new IllegalArgumentException("no type " + fullName);
        }
        return schema;
    }

    /** The type with this full name, or one that declares it as an alias (a rename that readers still accept). */
    public Optional<Schema> findByNameOrAlias(String fullName) {
        Schema exact = typesByName.get(fullName);
        if (exact != null) {
            return Optional.of(exact);
        }
        return typesByName.values().stream()
                .filter(schema -> schema.getAliases().contains(fullName))
                .findFirst();
    }

    public boolean isEmpty() {
        return typesByName.isEmpty();
    }
}
