package dev.commercesync.console;

import dev.commercesync.testsupport.ServiceArchitectureContract;

class ConsoleArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.console";
    }
}
