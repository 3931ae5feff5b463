package dev.commercesync.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One compose project driven by the {@code docker-compose} command (Debian's 1.29, the v1 command: Testcontainers'
 * {@code ComposeContainer} needs the v2 plugin, which is not installed here). Every command's output goes to a log file
 * under {@code target/}; a failed command throws with the tail of its output.
 */
final class Compose {
    private final Path root;
    private final String project;
    private final List<String> files;
    private final Path envFile;
    private final Path log;

    Compose(Path root, String project, List<String> files, Path envFile, Path log) {
        this.root = root;
        this.project = project;
        this.files = List.copyOf(files);
        this.envFile = envFile;
        this.log = log;
    }

    static boolean installed() {
        try {
            Process p = new ProcessBuilder("docker-compose", "version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String project() {
        return project;
    }

    /** Runs {@code docker-compose <args>} and answers its standard output. */
    String run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--ansi", "never", "-p", project));
        command.add("--env-file");
        command.add(envFile.toString());
        for (String file : files) {
            command.add("-f");
            command.add(root.resolve(file).toString());
        }
        command.addAll(List.of(args));
        Path out = Files.createTempFile(log.getParent(), "compose-", ".out");
        try {
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("docker-compose " + String.join(" ", args) + " took over " + timeout);
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String line = String.format(
                    "== docker-compose %s: exit %d after %d s%n%s",
                    String.join(" ", args),
                    process.exitValue(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                    stdout);
            Files.writeString(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("docker-compose " + String.join(" ", args) + " failed with exit "
                        + process.exitValue() + "; output in " + log + ":\n" + tail(log, 40));
            }
            return stdout;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
