package dev.commercesync.ingest;

import dev.commercesync.devstack.ServiceArchitectureContract;

class IngestArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.ingest";
    }
}
