package dev.commercesync.devstack;

/** The faults of one started stack, registered with the platform MBean server by {@link StackFaults#publish}. */
public final class StackControl implements StackControlMBean {
    private final DevStack stack;

    StackControl(DevStack stack) {
        this.stack = stack;
    }

    @Override
    public void pausePostgres() {
        stack.postgres().pause();
    }

    @Override
    public void resumePostgres() {
        stack.postgres().resume();
    }

    @Override
    public void pauseKafka() {
        stack.kafka().pause();
    }

    @Override
    public void resumeKafka() {
        stack.kafka().resume();
    }

    @Override
    public void stopRegistry() {
        stack.registry().stop();
    }

    @Override
    public void startRegistry() {
        stack.registry().start();
    }

    @Override
    public void restartRegistry() {
        stack.registry().restart();
    }
}
