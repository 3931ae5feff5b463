package dev.commercesync.devstack;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Fault injection on the test JVM's own stack: hang PostgreSQL, freeze the broker, stop or restart the registry. The
 * work is done by {@link PostgresNode}, {@link KafkaNode} and {@link RegistryNode}; this class reaches them from any
 * class loader (Quarkus tests run in their own) through the platform MBean server, where the JVM that started the
 * stack registers a {@link StackControlMBean}.
 *
 * <p>Each fault is ended by closing what its method returns, for try-with-resources:
 *
 * <pre>{@code
 * try (var hung = SharedStack.faults().pausePostgres()) { ... }   // resumed on close, also when the test fails
 * }</pre>
 */
public final class StackFaults {
    private static final String NAME = "dev.commercesync.devstack:type=StackControl";

    private final MBeanServer server;
    private final ObjectName name;

    private StackFaults(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /** Registers the fault controls of a stack this JVM started, for {@link #ofThisJvm()} from any class loader. */
    public static void publish(DevStack stack) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new StackControl(stack), new ObjectName(NAME));
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the stack's fault controls", e);
        }
    }

    /** The fault controls of the stack this JVM started; refused when it reuses another process's stack. */
    public static StackFaults ofThisJvm() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(NAME);
            if (!server.isRegistered(name)) {
                throw new IllegalStateException("this JVM reuses a stack it did not start (./synctl up): fault"
                        + " injection needs its own, run with -Dcommercesync.devstack.reuse=false");
            }
            return new StackFaults(server, name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hangs PostgreSQL ({@link PostgresNode#pause()}) until the returned handle is closed. */
    public Fault pausePostgres() {
        invoke("pausePostgres");
        return () -> invoke("resumePostgres");
    }

    /** Freezes the broker ({@link KafkaNode#pause()}) until the returned handle is closed. */
    public Fault pauseKafka() {
        invoke("pauseKafka");
        return () -> invoke("resumeKafka");
    }

    /** Stops the registry ({@link RegistryNode#stop()}) until the returned handle is closed, which starts it again. */
    public Fault stopRegistry() {
        invoke("stopRegistry");
        return () -> invoke("startRegistry");
    }

    /** {@link RegistryNode#restart()}. */
    public void restartRegistry() {
        invoke("restartRegistry");
    }

    private void invoke(String operation) {
        try {
            server.invoke(name, operation, new Object[0], new String[0]);
        } catch (JMException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(operation + " failed: " + cause, cause);
        }
    }

    /** An injected fault; closing it ends the fault (resumes or restarts the component). */
    public interface Fault extends AutoCloseable {
        @Override
        void close();
    }
}
