package dev.commercesync.console;

import dev.commercesync.testsupport.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

@QuarkusTest
@WithTestResource(ConsoleTestResource.class)
class ConsoleStartsTest extends ServiceReadinessContract {
    @Override
    protected List<String> internalPaths() {
        return List.of(
                "/api/stores",
                "/api/quarantine",
                "/api/stores/any/store",
                "/api/stores/any/store/series",
                "/q/openapi");
    }
}
