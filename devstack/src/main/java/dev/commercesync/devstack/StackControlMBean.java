package dev.commercesync.devstack;

/** The faults {@link StackFaults} can inject, as a JMX interface: reachable by name from any class loader. */
public interface StackControlMBean {
    void pausePostgres();

    void resumePostgres();

    void pauseKafka();

    void resumeKafka();

    void stopRegistry();

    void startRegistry();

    void restartRegistry();
}
