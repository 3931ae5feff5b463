package dev.commercesync.poller;

import dev.commercesync.testsupport.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

@QuarkusTest
@WithTestResource(PollerTestResource.class)
class PollerStartsTest extends ServiceReadinessContract {
    @Override
    protected List<String> internalPaths() {
        return List.of(
                "/status/stores", "/platform-view/woocommerce/count?store=x", "/platform-view/woocommerce/snapshot");
    }
}
