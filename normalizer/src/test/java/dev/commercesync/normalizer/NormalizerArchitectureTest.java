package dev.commercesync.normalizer;

import dev.commercesync.testsupport.ServiceArchitectureContract;

/** The normalizer names no platform's package and depends on no other service, nor on the simulator or devstack. */
class NormalizerArchitectureTest extends ServiceArchitectureContract {
    @Override
    protected String servicePackage() {
        return "dev.commercesync.normalizer";
    }
}
