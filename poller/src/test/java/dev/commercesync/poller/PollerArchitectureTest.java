package dev.commercesync.poller;

import dev.commercesync.devstack.ServiceArchitectureContract;

class PollerArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.poller";
    }
}
