package dev.commercesync.devstack;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of the stack's child JVMs: runs the real main class and exits when the parent process is gone, so a
 * killed test JVM or {@code synctl} never leaves a broker or registry behind holding ports.
 *
 * <p>Usage: {@code ParentWatch <parent-pid> <main-class> [args...]}
 */
public final class ParentWatch {
    private ParentWatch() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ParentWatch <parent-pid> <main-class> [args...]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        Thread watcher = new Thread(() -> watch(parentPid), "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }

    private static void watch(long parentPid) {
        var parent = ProcessHandle.of(parentPid);
        while (parent.map(ProcessHandle::isAlive).orElse(false)) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
        System.err.println("parent process " + parentPid + " is gone, stopping");
        System.exit(0);
    }
}
