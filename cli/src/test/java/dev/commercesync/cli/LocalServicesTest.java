package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.RepoRoot;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A local run starts every service module of the checkout, each on the port its own configuration names. */
class LocalServicesTest {

    @Test
    void everyServiceModuleRunsOnThePortItsConfigurationNames() throws IOException {
        assertEquals(servicePortsInTheCheckout(), new TreeMap<>(LocalServices.PORTS));
    }

    @Test
    void freePortsGiveEveryServiceItsOwnPort() throws IOException {
        Map<String, Integer> ports = LocalServices.freePorts();
        assertEquals(
                LocalServices.PORTS.keySet().stream().toList(),
                ports.keySet().stream().toList(),
                "start order");
        assertEquals(ports.size(), new HashSet<>(ports.values()).size(), "distinct ports: " + ports);
    }

    @Test
    void theInventoryPoolStopsBeforeThePollerThatExecutesItsCommands() {
        // The services started after the poller stop before it (LocalServices.close).
        var order = LocalServices.PORTS.keySet().stream().toList();
        assertTrue(order.indexOf("poller") < order.indexOf("inventory"), order.toString());
    }

    /**
     * module → port of the checkout's service modules: those whose application.properties names an HTTP port and the
     * internal token every service's endpoints need (docs/auth.md), as deploy's manifests test finds them.
     */
    static Map<String, Integer> servicePortsInTheCheckout() throws IOException {
        Map<String, Integer> ports = new TreeMap<>();
        try (Stream<Path> modules = Files.list(RepoRoot.find())) {
            for (Path module : modules.toList()) {
                Path file = module.resolve("src/main/resources/application.properties");
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(file)) {
                    p.load(in);
                }
                boolean internalToken =
                        p.stringPropertyNames().stream().anyMatch(k -> k.endsWith("commercesync.internal.token"));
                if (p.getProperty("quarkus.http.port") != null && internalToken) {
                    ports.put(module.getFileName().toString(), Integer.parseInt(p.getProperty("quarkus.http.port")));
                }
            }
        }
        return ports;
    }
}
