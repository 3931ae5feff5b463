package dev.commercesync.ingest;

import dev.commercesync.testsupport.ServiceArchitectureContract;

class IngestArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.ingest";
    }
}
