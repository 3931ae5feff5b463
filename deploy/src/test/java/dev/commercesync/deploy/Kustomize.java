package dev.commercesync.deploy;

import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the fields deploy/k8s uses: {@code resources}
 * (files and directories with their own kustomization), {@code namespace}, {@code images}, {@code replicas},
 * {@code patches} (JSON 6902 operations on a target kind and name) and {@code configMapGenerator} (files, without the
 * name hash). Any other field fails the rendering, so the manifests cannot drift into what this does not model;
 * {@code DeployManifestsTest} compares the result with {@code kubectl kustomize} where kubectl is installed.
 */
final class Kustomize {
    static final YAMLMapper YAML = YAMLMapper.builder().build();

    private static final Set<String> FIELDS = Set.of(
            "apiVersion", "kind", "resources", "namespace", "images", "replicas", "patches", "configMapGenerator");

    private Kustomize() {}

    /** The objects a kustomization directory renders to, in order. */
    static List<ObjectNode> render(Path dir) {
        JsonNode kustomization = read(dir.resolve("kustomization.yaml")).get(0);
        List<String> unknown = new ArrayList<>();
        kustomization.propertyNames().forEach(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    dir + "/kustomization.yaml uses fields this renderer does not model: " + unknown);
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asString()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                read(path).forEach(node -> objects.add((ObjectNode) node));
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            objects.add(configMap(dir, generator));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            applyPatch(objects, patch);
        }
        for (JsonNode replicas : kustomization.path("replicas")) {
            ObjectNode target =
                    find(objects, "Deployment", replicas.path("name").asString());
            ((ObjectNode) target.get("spec"))
                    .put("replicas", replicas.path("count").asInt());
        }
        for (JsonNode image : kustomization.path("images")) {
            setImage(objects, image);
        }
        if (kustomization.has("namespace")) {
            String namespace = kustomization.get("namespace").asString();
            objects.forEach(object -> ((ObjectNode) object.get("metadata")).put("namespace", namespace));
        }
        return objects;
    }

    static List<JsonNode> read(Path file) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
                while (values.hasNext()) {
                    JsonNode doc = values.next();
                    if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                        docs.add(doc);
                    }
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode configMap(Path dir, JsonNode generator) {
        ObjectNode map = YAML.createObjectNode();
        map.put("apiVersion", "v1");
        map.put("kind", "ConfigMap");
        ObjectNode metadata = map.putObject("metadata");
        metadata.put("name", generator.path("name").asString());
        if (!generator.path("options").path("disableNameSuffixHash").asBoolean(false)) {
            throw new IllegalArgumentException("configMapGenerator " + generator.path("name")
                    + ": set options.disableNameSuffixHash (the name hash is not modelled)");
        }
        if (generator.path("options").has("labels")) {
            metadata.set("labels", generator.path("options").path("labels"));
        }
        ObjectNode data = map.putObject("data");
        for (JsonNode file : generator.path("files")) {
            Path path = dir.resolve(file.asString());
            try {
                data.put(path.getFileName().toString(), Files.readString(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return map;
    }

    private static void applyPatch(List<ObjectNode> objects, JsonNode patch) {
        JsonNode target = patch.path("target");
        ObjectNode object = find(
                objects, target.path("kind").asString(), target.path("name").asString());
        JsonNode operations = YAML.readTree(patch.path("patch").asString());
        objects.set(objects.indexOf(object), (ObjectNode) JsonPatch.apply(operations, object));
    }

    private static void setImage(List<ObjectNode> objects, JsonNode image) {
        String name = image.path("name").asString();
        String replacement = image.path("newName").asString(name) + ":"
                + image.path("newTag").asString("latest");
        for (ObjectNode object : objects) {
            for (JsonNode container :
                    object.path("spec").path("template").path("spec").path("containers")) {
                String current = container.path("image").asString();
                if (current.equals(name) || current.startsWith(name + ":")) {
                    ((ObjectNode) container).put("image", replacement);
                }
            }
        }
    }

    static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> o.path("kind").asString().equals(kind)
                        && o.path("metadata").path("name").asString().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + kind + " " + name));
    }
}
