package dev.commercesync.reconciler;

import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class ReconcilerStartsTest extends ServiceReadinessContract {
    @Override
    protected List<String> internalPaths() {
        return List.of("/reconciliation/stores", "/reconciliation/run");
    }
}
