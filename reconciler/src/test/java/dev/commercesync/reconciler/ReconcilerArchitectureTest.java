package dev.commercesync.reconciler;

import dev.commercesync.testsupport.ServiceArchitectureContract;

class ReconcilerArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.reconciler";
    }
}
