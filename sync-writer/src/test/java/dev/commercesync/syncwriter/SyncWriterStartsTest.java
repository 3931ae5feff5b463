package dev.commercesync.syncwriter;

import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class SyncWriterStartsTest extends ServiceReadinessContract {}
