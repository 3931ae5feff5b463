package dev.commercesync.reconciler;

import dev.commercesync.devstack.ServiceArchitectureContract;

class ReconcilerArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.reconciler";
    }
}
