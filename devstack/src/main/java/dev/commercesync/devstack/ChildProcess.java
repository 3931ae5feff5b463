package dev.commercesync.devstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the stack: output to a log file, watched parent, graceful then forced stop; killed, frozen and
 * restarted on demand (the chaos suite).
 */
final class ChildProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private volatile Process process;

    private ChildProcess(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.process = launch();
    }

    private Process launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    static ChildProcess startJava(
            String name, List<String> classpath, List<String> jvmOptions, String mainClass, List<String> args, Path log)
            throws IOException {
        return startJava(name, classpath, jvmOptions, Map.of(), mainClass, args, log);
    }

    /** @param environment variables added to this process's environment for the child (secrets go here, not argv) */
    static ChildProcess startJava(
            String name,
            List<String> classpath,
            List<String> jvmOptions,
            Map<String, String> environment,
            String mainClass,
            List<String> args,
            Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(ParentWatch.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(mainClass);
        command.addAll(args);
        return new ChildProcess(name, command, environment, log);
    }

    /** The classpath entry holding this module's classes (for {@link ParentWatch}). */
    static String ownClasspathEntry() {
        try {
            return Path.of(ParentWatch.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate devstack classes", e);
        }
    }

    void ensureAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    name + " exited with code " + process.exitValue() + "; see its log: " + log + "\n" + tail());
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. Waits until the process is gone. */
    void kill() {
        Process p = process;
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the process (gracefully if it still runs) and starts the same command again, appending to its log. */
    void restart() throws IOException {
        close();
        process = launch();
    }

    /** Stops the process (SIGSTOP): it keeps its sockets but answers nothing, like a hung host. */
    void pause() {
        Signals.send("STOP", List.of(process.pid()));
    }

    /** Lets a {@link #pause() paused} process run again (SIGCONT). */
    void resume() {
        Signals.send("CONT", List.of(process.pid()));
    }

    @Override
    public void close() {
        Process process = this.process;
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(15).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
