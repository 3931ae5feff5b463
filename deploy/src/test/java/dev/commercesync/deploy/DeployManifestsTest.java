package dev.commercesync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.commercesync.schemas.CommerceTopic;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders deploy/k8s (base and each overlay) and checks the objects against the code: every topic the code uses is a
 * KafkaTopic with replication 3 and min.insync.replicas 2, every setting a service requires is set, ports and probes
 * match each service, the outbox relay runs exactly once, the Ingress exposes only /webhooks; and validates every
 * object against the fabric8 Kubernetes model (unknown fields rejected) or, for custom resources, their structure.
 */
class DeployManifestsTest {
    static final Path ROOT = Path.of(System.getProperty("commercesync.root", ".."))
            .toAbsolutePath()
            .normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final List<ServiceConfig> SERVICES = ServiceConfig.services(ROOT);

    static final String RELAY_KEY = "syncwriter.outbox.relay-enabled";
    static final Pattern METRIC = Pattern.compile("\\b((?:commercesync|normalizer|reconciler)_[a-z0-9_]+)");

    static List<ObjectNode> render(String dir) {
        return Kustomize.render(K8S.resolve(dir));
    }

    static Stream<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asString().equals(kind));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asString();
    }

    static JsonNode podSpec(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec");
    }

    /** The one container of a commerce-sync Deployment; its name is the service module's. */
    static JsonNode container(JsonNode deployment) {
        JsonNode containers = podSpec(deployment).path("containers");
        assertEquals(1, containers.size(), name(deployment) + ": one container");
        return containers.get(0);
    }

    /** Deployments of a service module (the sync-writer has two: consumers and the relay). */
    static List<ObjectNode> deploymentsOf(List<ObjectNode> objects, String module) {
        return ofKind(objects, "Deployment")
                .filter(d -> container(d).path("name").asString().equals(module))
                .toList();
    }

    /** A container's environment: its env entries and the ConfigMaps it takes whole, values as the pod sees them. */
    static Map<String, String> environment(List<ObjectNode> objects, JsonNode deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode container = container(deployment);
        for (JsonNode from : container.path("envFrom")) {
            String map = from.path("configMapRef").path("name").asString();
            Kustomize.find(objects, "ConfigMap", map)
                    .path("data")
                    .properties()
                    .forEach(entry -> env.put(entry.getKey(), entry.getValue().asString()));
        }
        for (JsonNode var : container.path("env")) {
            JsonNode secret = var.path("valueFrom").path("secretKeyRef");
            env.put(
                    var.path("name").asString(),
                    secret.isMissingNode()
                            ? var.path("value").asString()
                            : "secret " + secret.path("name").asString() + "/"
                                    + secret.path("key").asString());
        }
        return env;
    }

    static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The services found by their configuration (an HTTP port and the internal token) are the build's Quarkus
     * applications (root pom modules with the quarkus-maven-plugin) but dev-registry, the Apicurio Registry packaged for
     * tests and synctl (deployments run Apicurio's own image, registry.yaml): a new service module is checked here
     * without a list to update, and one whose configuration stops matching is noticed.
     */
    @Test
    void theServicesAreFoundInTheCode() {
        List<String> found = SERVICES.stream().map(ServiceConfig::module).toList();
        assertEquals(
                List.of("console", "inventory", "normalizer", "poller", "reconciler", "sync-writer", "webhook-ingest"),
                found);
        assertEquals(
                quarkusApplications().stream()
                        .filter(m -> !m.equals("dev-registry"))
                        .toList(),
                found);
    }

    /** The root pom's modules that package a Quarkus application, sorted. */
    static List<String> quarkusApplications() {
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(read(file("pom.xml")));
        List<String> applications = new ArrayList<>();
        while (module.find()) {
            Path pom = file(module.group(1)).resolve("pom.xml");
            if (Files.isRegularFile(pom) && read(pom).contains("<artifactId>quarkus-maven-plugin</artifactId>")) {
                applications.add(module.group(1));
            }
        }
        return applications.stream().sorted().toList();
    }

    /** Every service Deployment runs one of the service modules (so the checks per service cover them all). */
    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void everyDeploymentRunsAServiceModule(String dir) {
        Set<String> modules = SERVICES.stream().map(ServiceConfig::module).collect(Collectors.toSet());
        List<ObjectNode> objects = render(dir);
        ofKind(objects, "Deployment")
                .filter(d -> d.path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/component")
                        .asString()
                        .equals("service"))
                .forEach(d -> assertTrue(
                        modules.contains(container(d).path("name").asString()),
                        name(d) + " runs " + container(d).path("name").asString() + ", no service module"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void everyTopicTheCodeUsesIsAKafkaTopicWithReplication3(String dir) {
        List<ObjectNode> objects = render(dir);
        Map<String, JsonNode> topics = ofKind(objects, "KafkaTopic")
                .collect(
                        Collectors.toMap(t -> t.path("spec").path("topicName").asString(name(t)), t -> t.path("spec")));
        Set<String> used = new TreeSet<>();
        Arrays.stream(CommerceTopic.values()).map(CommerceTopic::topicName).forEach(used::add);
        SERVICES.forEach(service -> used.addAll(service.configuredTopics()));

        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(topics.keySet());
        assertTrue(missing.isEmpty(), dir + ": topics the code uses but no KafkaTopic declares: " + missing);
        Set<String> stale = new TreeSet<>(topics.keySet());
        stale.removeAll(used);
        assertTrue(stale.isEmpty(), dir + ": KafkaTopics no code uses: " + stale);

        String maxRecordBytes = ServiceConfig.of(ROOT, "webhook-ingest").value("commercesync.kafka.max-record-bytes");
        topics.forEach((topic, spec) -> {
            assertEquals(3, spec.path("replicas").asInt(), topic + " replicas");
            assertEquals(
                    "2", spec.path("config").path("min.insync.replicas").asString(), topic + " min.insync.replicas");
            assertEquals(
                    maxRecordBytes,
                    spec.path("config").path("max.message.bytes").asString(),
                    topic + " max bytes");
            assertTrue(spec.path("partitions").asInt() >= 3, topic + " partitions");
        });
        // Retention as the normalizer would create them (NormalizerConfig's defaults).
        Map.of(CommerceTopic.RAW, "rawRetention", CommerceTopic.QUARANTINE, "quarantineRetention")
                .forEach((topic, setting) -> assertEquals(
                        normalizerDefault(setting).toMillis(),
                        topics.get(topic.topicName())
                                .path("config")
                                .path("retention.ms")
                                .asLong(),
                        topic.topicName() + " retention"));

        JsonNode kafka =
                ofKind(objects, "Kafka").findFirst().orElseThrow().path("spec").path("kafka");
        assertEquals(
                "false", kafka.path("config").path("auto.create.topics.enable").asString());
        assertEquals("2", kafka.path("config").path("min.insync.replicas").asString());
        assertEquals(
                "3",
                kafka.path("config")
                        .path("transaction.state.log.replication.factor")
                        .asString());
        assertTrue(
                kafka.path("config").path("message.max.bytes").asLong() >= Long.parseLong(maxRecordBytes),
                "broker message.max.bytes");
        int brokers = ofKind(objects, "KafkaNodePool")
                .filter(pool -> pool.path("spec").path("roles").toString().contains("broker"))
                .mapToInt(pool -> pool.path("spec").path("replicas").asInt())
                .sum();
        assertTrue(brokers >= 3, "3 brokers for replication 3, found " + brokers);

        // The normalizer creates nothing itself (its topics would get its own replication factor); Streams' internal
        // topics get replication 3.
        for (ObjectNode normalizer : deploymentsOf(objects, "normalizer")) {
            Map<String, String> env = environment(objects, normalizer);
            assertEquals(
                    "false", env.get(ServiceConfig.envName("normalizer.topics.ensure")), "normalizer.topics.ensure");
            assertEquals(
                    "3", env.get(ServiceConfig.envName("kafka-streams.replication.factor")), "Streams replication");
        }
    }

    /** A Duration default of NormalizerConfig, read from its source (one place for the fact). */
    static Duration normalizerDefault(String method) {
        String source = read(file("normalizer/src/main/java/dev/commercesync/normalizer/NormalizerConfig.java"));
        Matcher m = Pattern.compile("@WithDefault\\(\"([^\"]+)\"\\)\\s*Duration " + method + "\\(")
                .matcher(source);
        assertTrue(m.find(), "NormalizerConfig." + method + " has a @WithDefault");
        return Duration.parse(m.group(1).startsWith("P") ? m.group(1) : "PT" + m.group(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void everySettingAServiceRequiresIsSet(String dir) {
        List<ObjectNode> objects = render(dir);
        List<String> problems = new ArrayList<>();
        for (ServiceConfig service : SERVICES) {
            List<ObjectNode> deployments = deploymentsOf(objects, service.module());
            if (deployments.isEmpty()) {
                problems.add(service.module() + ": no Deployment");
            }
            for (ObjectNode deployment : deployments) {
                Map<String, String> env = environment(objects, deployment);
                service.requiredSettings().forEach((key, why) -> {
                    String value = env.get(ServiceConfig.envName(key));
                    if (value == null || value.isBlank()) {
                        problems.add(
                                name(deployment) + ": " + ServiceConfig.envName(key) + " (" + key + ", " + why + ")");
                    } else if (key.endsWith("replication.factor") && !value.equals("3")) {
                        problems.add(name(deployment) + ": " + key + " must be 3, is " + value);
                    } else if (value.contains("127.0.0.1") || value.contains("localhost")) {
                        problems.add(name(deployment) + ": " + key + " points at the pod itself: " + value);
                    }
                });
                // Kafka over SCRAM-SHA-512 and TLS: the clients' settings (kafka.* for the channels and the health
                // check, quarkus.kafka-streams.* for Streams).
                List<String> prefixes = new ArrayList<>(List.of("kafka."));
                if (service.value("quarkus.kafka-streams.application-id") != null) {
                    prefixes.add("quarkus.kafka-streams.");
                }
                for (String prefix : prefixes) {
                    for (String key : List.of(
                            "security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location")) {
                        String setting = prefix
                                + (prefix.startsWith("quarkus") ? key.replace("jaas.config", "jaas-config") : key);
                        if (env.get(ServiceConfig.envName(setting)) == null) {
                            problems.add(
                                    name(deployment) + ": " + ServiceConfig.envName(setting) + " (" + setting + ")");
                        }
                    }
                }
                String jaas = env.get("KAFKA_SASL_JAAS_CONFIG");
                if (jaas != null && !jaas.equals("secret commerce-sync-" + service.module() + "/sasl.jaas.config")) {
                    problems.add(name(deployment) + ": KAFKA_SASL_JAAS_CONFIG from its own KafkaUser, not " + jaas);
                }
            }
        }
        assertTrue(problems.isEmpty(), dir + ": settings missing:\n" + String.join("\n", problems));

        // The URLs point at what the manifests run.
        Map<String, String> reconciler =
                environment(objects, deploymentsOf(objects, "reconciler").get(0));
        int pollerPort = ServiceConfig.of(ROOT, "poller").httpPort();
        assertEquals("http://poller:" + pollerPort, reconciler.get("COMMERCESYNC_RECONCILER_POLLER_URL"));
        assertServicePort(objects, "poller", pollerPort);
        String registry = environment(
                        objects, deploymentsOf(objects, "normalizer").get(0))
                .get("COMMERCESYNC_REGISTRY_URL");
        assertTrue(registry.startsWith("http://schema-registry:"), registry);
        assertServicePort(objects, "schema-registry", Integer.parseInt(registry.replaceAll(".*:", "")));
        String host = ofKind(objects, "Ingress")
                .findFirst()
                .orElseThrow()
                .path("spec")
                .path("rules")
                .get(0)
                .path("host")
                .asString();
        Map<String, String> poller =
                environment(objects, deploymentsOf(objects, "poller").get(0));
        assertEquals(
                "https://" + host, poller.get("COMMERCESYNC_POLLER_WEBHOOKS_PUBLIC_URL"), "public URL = Ingress host");
        String bootstrap = poller.get("KAFKA_BOOTSTRAP_SERVERS");
        JsonNode listener = ofKind(objects, "Kafka")
                .findFirst()
                .orElseThrow()
                .path("spec")
                .path("kafka")
                .path("listeners")
                .get(0);
        String cluster = name(ofKind(objects, "Kafka").findFirst().orElseThrow());
        assertEquals(cluster + "-kafka-bootstrap:" + listener.path("port").asInt(), bootstrap);
        assertEquals(
                "scram-sha-512", listener.path("authentication").path("type").asString());
        assertTrue(listener.path("tls").asBoolean(), "TLS listener");
    }

    static void assertServicePort(List<ObjectNode> objects, String service, int port) {
        JsonNode ports =
                Kustomize.find(objects, "Service", service).path("spec").path("ports");
        assertEquals(port, ports.get(0).path("port").asInt(), service + " Service port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void containerPortsAndProbesMatchEachService(String dir) {
        List<ObjectNode> objects = render(dir);
        for (ServiceConfig service : SERVICES) {
            for (ObjectNode deployment : deploymentsOf(objects, service.module())) {
                JsonNode container = container(deployment);
                JsonNode port = container.path("ports").get(0);
                assertEquals(service.httpPort(), port.path("containerPort").asInt(), name(deployment) + " port");
                Map<String, String> probes = Map.of(
                        "startupProbe", "/q/health/started",
                        "readinessProbe", "/q/health/ready",
                        "livenessProbe", "/q/health/live");
                probes.forEach((probe, path) -> {
                    JsonNode get = container.path(probe).path("httpGet");
                    assertEquals(path, get.path("path").asString(), name(deployment) + " " + probe);
                    String probePort = get.path("port").asString();
                    assertTrue(
                            probePort.equals(port.path("name").asString())
                                    || probePort.equals(Integer.toString(service.httpPort())),
                            name(deployment) + " " + probe + " port " + probePort);
                });
                JsonNode resources = container.path("resources");
                assertFalse(resources.path("requests").path("memory").isMissingNode(), name(deployment) + " memory");
                assertFalse(resources.path("limits").path("memory").isMissingNode(), name(deployment) + " limit");
                assertFalse(resources.path("requests").path("cpu").isMissingNode(), name(deployment) + " cpu");

                JsonNode svc = Kustomize.find(objects, "Service", name(deployment));
                assertEquals(
                        deployment.path("spec").path("selector").path("matchLabels"),
                        svc.path("spec").path("selector"),
                        name(deployment) + " Service selects its pods");
                assertEquals(
                        service.httpPort(),
                        svc.path("spec").path("ports").get(0).path("port").asInt());
            }
        }
        for (ObjectNode deployment : ofKind(objects, "Deployment").toList()) {
            JsonNode labels =
                    deployment.path("spec").path("template").path("metadata").path("labels");
            deployment
                    .path("spec")
                    .path("selector")
                    .path("matchLabels")
                    .properties()
                    .forEach(e -> assertEquals(
                            e.getValue(),
                            labels.path(e.getKey()),
                            name(deployment) + " selector matches its template"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void theOutboxRelayRunsExactlyOnce(String dir) {
        List<ObjectNode> objects = render(dir);
        assertTrue(
                read(file("sync-writer/src/main/java/dev/commercesync/syncwriter/SyncWriterConfig.java"))
                        .contains("boolean relayEnabled()"),
                "the sync-writer's relay switch " + RELAY_KEY);
        String env = ServiceConfig.envName(RELAY_KEY);
        List<ObjectNode> writers = deploymentsOf(objects, "sync-writer");
        // The relay is on unless switched off (its default is true).
        List<ObjectNode> relays = writers.stream()
                .filter(d -> !"false".equals(environment(objects, d).get(env)))
                .toList();
        assertEquals(
                1,
                relays.size(),
                "one Deployment runs the relay: "
                        + relays.stream().map(d -> name(d)).toList());
        JsonNode relay = relays.get(0).path("spec");
        assertEquals(1, relay.path("replicas").asInt(), "the relay's replicas");
        assertEquals("Recreate", relay.path("strategy").path("type").asString(), "no rollout runs two relays");
        assertTrue(
                ofKind(objects, "HorizontalPodAutoscaler").noneMatch(h -> h.path("spec")
                        .path("scaleTargetRef")
                        .path("name")
                        .asString()
                        .equals(name(relays.get(0)))),
                "no autoscaler on the relay");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void theIngressExposesOnlyWebhooksOverTls(String dir) {
        List<ObjectNode> objects = render(dir);
        List<ObjectNode> ingresses = ofKind(objects, "Ingress").toList();
        assertEquals(1, ingresses.size());
        JsonNode spec = ingresses.get(0).path("spec");
        assertTrue(spec.path("defaultBackend").isMissingNode(), "no default backend");
        Set<String> tlsHosts = new HashSet<>();
        spec.path("tls").forEach(tls -> tls.path("hosts").forEach(h -> tlsHosts.add(h.asString())));
        int ingestPort = ServiceConfig.of(ROOT, "webhook-ingest").httpPort();
        for (JsonNode rule : spec.path("rules")) {
            assertTrue(tlsHosts.contains(rule.path("host").asString()), "TLS for " + rule.path("host"));
            for (JsonNode path : rule.path("http").path("paths")) {
                assertEquals("/webhooks", path.path("path").asString());
                assertEquals("Prefix", path.path("pathType").asString());
                JsonNode backend = path.path("backend").path("service");
                assertEquals("webhook-ingest", backend.path("name").asString());
                JsonNode port = backend.path("port");
                assertTrue(
                        port.path("name").asString("").equals("http")
                                || port.path("number").asInt() == ingestPort,
                        "backend port " + port);
            }
        }
        // The open prefix the auth filter knows is the one exposed.
        assertTrue(read(file("service-auth/src/main/java/dev/commercesync/auth/AccessRule.java"))
                .contains("under(path, \"/webhooks\")"));
        // Of the NetworkPolicies, only webhook-ingest's lets the ingress controller in.
        ofKind(objects, "NetworkPolicy").forEach(policy -> {
            if (policy.toString().contains("ingress-nginx")) {
                assertEquals(
                        "webhook-ingest",
                        policy.path("spec")
                                .path("podSelector")
                                .path("matchLabels")
                                .path("app.kubernetes.io/name")
                                .asString(),
                        name(policy));
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void eachKafkaUserMayUseTheTopicsItsServiceUses(String dir) {
        List<ObjectNode> objects = render(dir);
        List<String> problems = new ArrayList<>();
        for (ServiceConfig service : SERVICES) {
            JsonNode user = Kustomize.find(objects, "KafkaUser", "commerce-sync-" + service.module());
            Set<String> allowed = new HashSet<>();
            user.path("spec").path("authorization").path("acls").forEach(acl -> {
                if (acl.path("resource").path("type").asString().equals("topic")) {
                    allowed.add(acl.path("resource").path("name").asString());
                }
            });
            for (String topic : topicsOfService(service)) {
                if (!allowed.contains(topic)) {
                    problems.add(service.module() + " uses " + topic + " without an ACL");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The topics a service's configuration and code name (CommerceTopic constants; forEntityType: the canonical). */
    static Set<String> topicsOfService(ServiceConfig service) {
        Set<String> topics = new TreeSet<>(service.configuredTopics());
        Pattern constant = Pattern.compile("CommerceTopic\\.([A-Z_]+)\\b");
        for (String source : mainSources(service)) {
            Matcher m = constant.matcher(source);
            while (m.find()) {
                if (m.group(1).equals("forEntityType")) {
                    Arrays.stream(CommerceTopic.values())
                            .filter(CommerceTopic::isCanonical)
                            .forEach(t -> topics.add(t.topicName()));
                } else if (Arrays.stream(CommerceTopic.values())
                        .anyMatch(t -> t.name().equals(m.group(1)))) {
                    topics.add(CommerceTopic.valueOf(m.group(1)).topicName());
                }
            }
        }
        return topics;
    }

    @Test
    void alertsAndTheDashboardUseMetricsTheServicesExport() {
        List<ObjectNode> objects = render("overlays/prod");
        JsonNode rules = ofKind(objects, "PrometheusRule").findFirst().orElseThrow();
        String dashboard = Kustomize.find(objects, "ConfigMap", "commerce-sync-grafana-dashboard")
                .path("data")
                .path("grafana-dashboard.json")
                .asString();
        Kustomize.YAML.readTree(dashboard); // JSON is YAML: it parses
        Set<String> exported = exportedMeters();
        Set<String> unknown = new TreeSet<>();
        for (String text : List.of(rules.toString(), dashboard)) {
            Matcher m = METRIC.matcher(text);
            while (m.find()) {
                String meter = m.group(1).replaceAll("_(total|seconds|bucket|count|sum|max)$", "");
                if (!exported.contains(meter.replace('_', '.'))) {
                    unknown.add(m.group(1));
                }
            }
        }
        assertTrue(unknown.isEmpty(), "metrics no service registers: " + unknown + " (registered: " + exported + ")");

        String alerts = rules.path("spec").toString();
        for (String needed : List.of(
                "kafka_consumergroup_lag", // consumer lag
                "normalizer_quarantined_total", // quarantine rate
                "commercesync_syncwriter_dead_lettered_total", // DLQ rates
                "commercesync_poller_fetch_dead_lettered_total",
                "commercesync_poller_cursor_age_seconds", // cursor age
                "commercesync_poller_store_needs_attention", // stores needing attention
                "pg_replication_slots_pg_wal_lsn_diff", // replication-slot lag
                "sync-writer-relay")) { // outbox relay down
            assertTrue(alerts.contains(needed), "an alert on " + needed);
        }
        Set<String> relayServices = ofKind(objects, "Deployment")
                .map(DeployManifestsTest::name)
                .filter(n -> n.endsWith("relay"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("sync-writer-relay"), relayServices, "the relay alert names the relay's Service");
    }

    /** The Java sources of a service's main code. */
    static List<String> mainSources(ServiceConfig service) {
        try (Stream<Path> sources = Files.walk(ROOT.resolve(service.module()).resolve("src/main/java"))) {
            return sources.filter(p -> p.toString().endsWith(".java"))
                    .map(DeployManifestsTest::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Meter names registered in the services' main code, dots for underscores. */
    static Set<String> exportedMeters() {
        Pattern literal = Pattern.compile("\"((?:commercesync|normalizer|reconciler)\\.[a-z0-9._]+)\"");
        Set<String> meters = new TreeSet<>();
        for (ServiceConfig service : SERVICES) {
            for (String source : mainSources(service)) {
                Matcher m = literal.matcher(source);
                while (m.find()) {
                    meters.add(m.group(1).replace('_', '.'));
                }
            }
        }
        return meters;
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void everySecretReferencedIsMadeByAnOperatorOrDocumented(String dir) {
        List<ObjectNode> objects = render(dir);
        Set<String> made =
                ofKind(objects, "KafkaUser").map(DeployManifestsTest::name).collect(Collectors.toSet());
        String cluster = name(ofKind(objects, "Kafka").findFirst().orElseThrow());
        made.add(cluster + "-cluster-ca-cert");
        String readme = read(file("deploy/README.md"));
        Set<String> referenced = new TreeSet<>();
        for (ObjectNode object : objects) {
            collectSecretNames(object, referenced);
        }
        Set<String> undocumented = referenced.stream()
                .filter(secret -> !made.contains(secret) && !readme.contains("`" + secret + "`"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(
                undocumented.isEmpty(), "Secrets neither made by an operator nor in deploy/README.md: " + undocumented);
        assertTrue(ofKind(objects, "Secret").findAny().isEmpty(), "no Secret is embedded in the manifests");
    }

    static void collectSecretNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if ((e.getKey().equals("secretKeyRef") || e.getKey().equals("credentials"))
                        && e.getValue().has("name")) {
                    names.add(e.getValue().path("name").asString());
                } else if (e.getKey().equals("secretName")) {
                    names.add(e.getValue().asString());
                } else if (e.getKey().equals("secret") && e.getValue().has("secretName")) {
                    names.add(e.getValue().path("secretName").asString());
                }
                collectSecretNames(e.getValue(), names);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectSecretNames(child, names));
        }
    }

    // ---- schema validation -------------------------------------------------------------------------------------

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Top-level spec fields of the custom resources used, from their CRDs (Strimzi 0.45+, prometheus-operator, CNPG). */
    static final Map<String, Set<String>> CR_SPEC_FIELDS = Map.of(
            "kafka.strimzi.io/v1beta2/Kafka",
            Set.of("kafka", "zookeeper", "entityOperator", "kafkaExporter", "cruiseControl", "clusterCa", "clientsCa"),
            "kafka.strimzi.io/v1beta2/KafkaNodePool",
            Set.of("replicas", "roles", "storage", "resources", "jvmOptions", "template"),
            "kafka.strimzi.io/v1beta2/KafkaTopic",
            Set.of("partitions", "replicas", "config", "topicName"),
            "kafka.strimzi.io/v1beta2/KafkaUser",
            Set.of("authentication", "authorization", "quotas", "template"),
            "monitoring.coreos.com/v1/ServiceMonitor",
            Set.of("selector", "endpoints", "namespaceSelector", "jobLabel", "targetLabels", "podTargetLabels"),
            "monitoring.coreos.com/v1/PrometheusRule",
            Set.of("groups"),
            "postgresql.cnpg.io/v1/Cluster",
            Set.of(
                    "instances",
                    "imageName",
                    "storage",
                    "postgresql",
                    "replicationSlots",
                    "bootstrap",
                    "managed",
                    "monitoring",
                    "walStorage",
                    "resources",
                    "affinity",
                    "backup",
                    "superuserSecret"),
            "postgresql.cnpg.io/v1/Database",
            Set.of("cluster", "name", "owner", "ensure", "extensions", "schemas"));

    static final Set<String> KAFKA_SPEC_FIELDS = Set.of(
            "version",
            "metadataVersion",
            "listeners",
            "authorization",
            "config",
            "resources",
            "template",
            "rack",
            "logging",
            "jvmOptions",
            "metricsConfig",
            "readinessProbe",
            "livenessProbe");

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod", "optional"})
    void everyObjectIsValidForItsSchema(String dir) {
        List<ObjectNode> objects = dir.equals("optional")
                ? Kustomize.read(K8S.resolve("optional/postgres-cnpg.yaml")).stream()
                        .map(o -> (ObjectNode) o)
                        .toList()
                : render(dir);
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ObjectNode object : objects) {
            String id = object.path("kind").asString() + " " + name(object);
            if (!seen.add(id)) {
                problems.add(id + ": declared twice");
            }
            HasMetadata typed = SERIALIZATION.unmarshal(object.toString());
            if (typed instanceof GenericKubernetesResource) {
                String type = object.path("apiVersion").asString() + "/"
                        + object.path("kind").asString();
                Set<String> fields = CR_SPEC_FIELDS.get(type);
                if (fields == null) {
                    problems.add(id + ": unknown kind " + type);
                    continue;
                }
                object.path("spec").propertyNames().forEach(field -> {
                    if (!fields.contains(field)) {
                        problems.add(id + ": unknown field spec." + field);
                    }
                });
                checkCustomResource(object, id, problems);
            } else {
                unknownFields(typed, id, problems);
            }
            object.path("metadata").propertyNames().forEach(field -> {
                if (!Set.of("name", "namespace", "labels", "annotations").contains(field)) {
                    problems.add(id + ": metadata." + field);
                }
            });
        }
        assertTrue(problems.isEmpty(), dir + ":\n" + String.join("\n", problems));
    }

    static void checkCustomResource(JsonNode object, String id, List<String> problems) {
        JsonNode spec = object.path("spec");
        switch (object.path("kind").asString()) {
            case "Kafka" ->
                spec.path("kafka").propertyNames().forEach(field -> {
                    if (!KAFKA_SPEC_FIELDS.contains(field)) {
                        problems.add(id + ": unknown field spec.kafka." + field);
                    }
                });
            case "KafkaTopic", "KafkaUser", "KafkaNodePool" -> {
                if (object.path("metadata")
                        .path("labels")
                        .path("strimzi.io/cluster")
                        .isMissingNode()) {
                    problems.add(id + ": no strimzi.io/cluster label");
                }
                for (JsonNode acl : spec.path("authorization").path("acls")) {
                    JsonNode resource = acl.path("resource");
                    if (!Set.of("topic", "group", "cluster", "transactionalId")
                                    .contains(resource.path("type").asString())
                            || !Set.of("literal", "prefix")
                                    .contains(resource.path("patternType").asString("literal"))
                            || !acl.path("operations").isArray()) {
                        problems.add(id + ": ACL " + acl);
                    }
                }
            }
            case "PrometheusRule" ->
                spec.path("groups").forEach(group -> group.path("rules").forEach(rule -> {
                    rule.propertyNames().forEach(field -> {
                        if (!Set.of("alert", "record", "expr", "for", "labels", "annotations")
                                .contains(field)) {
                            problems.add(id + ": rule field " + field);
                        }
                    });
                    if (rule.path("expr").asString("").isBlank()) {
                        problems.add(id + ": rule without expr " + rule.path("alert"));
                    }
                }));
            default -> {}
        }
    }

    /**
     * Fields the model does not know land in additionalProperties (fabric8 keeps them rather than failing): any such
     * field anywhere in the object is a typo or a field of another API version.
     */
    static void unknownFields(Object node, String path, List<String> problems) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, problems));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method method : node.getClass().getMethods()) {
            if (method.getParameterCount() != 0
                    || Modifier.isStatic(method.getModifiers())
                    || !method.getName().startsWith("get")
                    || method.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = method.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (method.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown fields " + extra.keySet());
                }
            } else {
                unknownFields(value, path + "." + method.getName().substring(3), problems);
            }
        }
    }

    // ---- the renderer against kustomize --------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/prod"})
    void renderingMatchesKubectlKustomize(String dir) throws Exception {
        Assumptions.assumeTrue(
                Stream.of(System.getenv("PATH").split(":")).anyMatch(p -> Files.isExecutable(Path.of(p, "kubectl"))),
                "kubectl is not installed: the rendering is not compared with kustomize's");
        Process process = new ProcessBuilder(
                        "kubectl", "kustomize", K8S.resolve(dir).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "kubectl kustomize " + dir);
        Path rendered = Files.createTempFile("kustomize", ".yaml");
        try {
            Files.writeString(rendered, out);
            assertEquals(byId(Kustomize.read(rendered)), byId(render(dir)), dir + ": as kubectl kustomize renders it");
        } finally {
            Files.delete(rendered);
        }
    }

    static Map<String, JsonNode> byId(List<? extends JsonNode> objects) {
        Map<String, JsonNode> map = new java.util.TreeMap<>();
        objects.forEach(o -> map.put(o.path("kind").asString() + "/" + name(o), o));
        if (map.size() != objects.size()) {
            fail("duplicate objects");
        }
        return map;
    }
}
