package dev.commercesync.cli;

import dev.commercesync.testsupport.ServiceArchitectureContract;
import java.util.List;

/**
 * synctl names no platform's package (platforms come from the registry, as in the services) and uses no service's
 * code: it talks to the services over HTTP and Kafka and shares only the libraries (pipeline-kafka, schemas,
 * platforms). The demo's tools (simulator, devstack) are its own.
 */
class CliArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.cli";
    }

    @Override
    protected List<String> packagesNotToDependOn() {
        return SERVICES;
    }
}
