package dev.commercesync.ingest;

import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class IngestStartsTest extends ServiceReadinessContract {}
