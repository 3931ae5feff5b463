package dev.commercesync.poller;

import dev.commercesync.devstack.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PollerTestResource.class)
class PollerStartsTest extends ServiceReadinessContract {}
