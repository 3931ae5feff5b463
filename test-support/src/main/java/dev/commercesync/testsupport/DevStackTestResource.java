package dev.commercesync.testsupport;

import dev.commercesync.devstack.DevStack;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.devstack.RepoRoot;
import dev.commercesync.devstack.StackFaults;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource giving a service the real Kafka, schema registry and PostgreSQL. It reuses the stack of a
 * running {@code ./synctl up} when there is one (disable with {@code -Dcommercesync.devstack.reuse=false}); otherwise
 * it starts one stack per test JVM, shared by every test class, stopped when the JVM exits.
 */
public class DevStackTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return SharedStack.endpoints().quarkusConfig();
    }

    @Override
    public void stop() {
        // The stack outlives one test class: SharedStack stops it at JVM exit.
    }

    /** The one stack of this JVM. Plain JUnit tests use it directly. */
    public static final class SharedStack {
        private static Endpoints endpoints;

        private SharedStack() {}

        /**
         * Quarkus runs its tests in their own class loader, so this class can exist twice in one JVM: the stack's
         * endpoints are also kept in a system property, which every class loader sees, and the start is serialised on
         * a JVM-wide lock object.
         */
        private static final String JVM_ENDPOINTS = "commercesync.devstack.endpoints";

        /**
         * Pauses, resumes and restarts the components of this JVM's stack, from any class loader. Unavailable when the
         * stack is {@code ./synctl up}'s (tests must not freeze someone else's stack): such tests need
         * {@code -Dcommercesync.devstack.reuse=false}.
         */
        public static StackFaults faults() {
            endpoints();
            return StackFaults.ofThisJvm();
        }

        public static Endpoints endpoints() {
            synchronized (jvmWideLock()) {
                if (endpoints == null) {
                    String shared = System.getProperty(JVM_ENDPOINTS);
                    endpoints = shared != null ? Endpoints.fromString(shared) : startOrReuse();
                    System.setProperty(JVM_ENDPOINTS, endpoints.asString());
                }
                return endpoints;
            }
        }

        private static Object jvmWideLock() {
            // String literals are interned once per JVM, whatever the class loader.
            return "commercesync.devstack.lock".intern();
        }

        private static Endpoints startOrReuse() {
            Path root = RepoRoot.find();
            if (Boolean.parseBoolean(System.getProperty("commercesync.devstack.reuse", "true"))) {
                var running = DevStack.running(root.resolve(".synctl"));
                if (running.isPresent()) {
                    System.out.println("[devstack] reusing the running ./synctl up stack");
                    return running.get();
                }
            }
            Path dir = root.resolve(
                    "target/devstack/test-" + ProcessHandle.current().pid());
            try {
                DevStack stack = DevStack.start(
                        DevStack.Options.ephemeral(dir), line -> System.out.println("[devstack] " + line));
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "devstack-stop"));
                StackFaults.publish(stack);
                return stack.endpoints();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
