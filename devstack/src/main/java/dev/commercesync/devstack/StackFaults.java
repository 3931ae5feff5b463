package dev.commercesync.devstack;

import java.util.HashMap;
import java.util.Map;

/**
 * Fault injection on the test JVM's own stack: hang PostgreSQL, freeze the broker, stop or restart the registry. The
 * work is done by {@link PostgresNode}, {@link KafkaNode} and {@link RegistryNode}; this class reaches them from any
 * class loader (Quarkus tests run in their own), through actions kept as JDK types in a system property.
 *
 * <p>Each pausing method returns an {@link AutoCloseable} that undoes it, for try-with-resources:
 *
 * <pre>{@code
 * try (var hung = SharedStack.faults().pausePostgres()) { ... }   // resumed on close, also when the test fails
 * }</pre>
 */
public final class StackFaults {
    private static final String JVM_ACTIONS = "commercesync.devstack.faults";

    private final Map<String, Runnable> actions;

    private StackFaults(Map<String, Runnable> actions) {
        this.actions = actions;
    }

    static void publish(DevStack stack) {
        Map<String, Runnable> actions = new HashMap<>();
        actions.put("postgres.pause", stack.postgres()::pause);
        actions.put("postgres.resume", stack.postgres()::resume);
        actions.put("kafka.pause", stack.kafka()::pause);
        actions.put("kafka.resume", stack.kafka()::resume);
        actions.put("registry.stop", stack.registry()::stop);
        actions.put("registry.start", stack.registry()::start);
        actions.put("registry.restart", stack.registry()::restart);
        System.getProperties().put(JVM_ACTIONS, Map.copyOf(actions));
    }

    @SuppressWarnings("unchecked")
    static StackFaults ofThisJvm() {
        Object actions = System.getProperties().get(JVM_ACTIONS);
        if (!(actions instanceof Map<?, ?> map)) {
            throw new IllegalStateException("this JVM reuses a stack it did not start (./synctl up): fault injection"
                    + " needs its own, run with -Dcommercesync.devstack.reuse=false");
        }
        return new StackFaults((Map<String, Runnable>) map);
    }

    /** Hangs PostgreSQL ({@link PostgresNode#pause()}) until the returned handle is closed. */
    public Fault pausePostgres() {
        return pause("postgres");
    }

    /** Freezes the broker ({@link KafkaNode#pause()}) until the returned handle is closed. */
    public Fault pauseKafka() {
        return pause("kafka");
    }

    /** Stops the registry ({@link RegistryNode#stop()}) until the returned handle is closed, which starts it again. */
    public Fault stopRegistry() {
        run("registry.stop");
        return () -> run("registry.start");
    }

    /** {@link RegistryNode#restart()}. */
    public void restartRegistry() {
        run("registry.restart");
    }

    private Fault pause(String component) {
        run(component + ".pause");
        return () -> run(component + ".resume");
    }

    private void run(String action) {
        actions.get(action).run();
    }

    /** An injected fault; closing it ends the fault (resumes or restarts the component). */
    public interface Fault extends AutoCloseable {
        @Override
        void close();
    }
}
