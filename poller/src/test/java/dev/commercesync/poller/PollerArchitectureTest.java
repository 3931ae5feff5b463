package dev.commercesync.poller;

import dev.commercesync.testsupport.ServiceArchitectureContract;

class PollerArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.poller";
    }
}
