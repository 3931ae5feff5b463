package dev.commercesync.inventory;

import dev.commercesync.testsupport.ServiceArchitectureContract;

/** The inventory service names no platform's package and depends on no other service, nor on a tool. */
class InventoryArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.inventory";
    }
}
