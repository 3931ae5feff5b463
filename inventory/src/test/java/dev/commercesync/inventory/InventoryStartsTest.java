package dev.commercesync.inventory;

import dev.commercesync.testsupport.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

@QuarkusTest
@WithTestResource(InventoryTestResource.class)
class InventoryStartsTest extends ServiceReadinessContract {
    @Override
    protected List<String> internalPaths() {
        return List.of("/pools/acme", "/pools/acme/MUG", "/pools/acme/oversells", "/pools/acme/propagation");
    }
}
