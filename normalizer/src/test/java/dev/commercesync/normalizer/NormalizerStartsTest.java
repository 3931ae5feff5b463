package dev.commercesync.normalizer;

import dev.commercesync.devstack.DevStackTestResource;
import dev.commercesync.devstack.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class NormalizerStartsTest extends ServiceReadinessContract {}
