package dev.commercesync.syncwriter;

import dev.commercesync.testsupport.ServiceArchitectureContract;

class SyncWriterArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.syncwriter";
    }
}
