package dev.commercesync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.devstack.RepoRoot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Where a benchmark writes what it measured: {@code bench/results/<name>.json} (figures, the command line, the
 * machine), {@code bench/results/<name>.md} (the table the docs show) and its charts as PNG beside them.
 */
public final class BenchResults {
    private static final ObjectMapper JSON = new ObjectMapper()
            .findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private BenchResults() {}

    public static Path dir() throws IOException {
        Path dir = RepoRoot.find().resolve("bench").resolve("results");
        Files.createDirectories(dir);
        return dir;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    /** A new result document with the benchmark's name, the time, the command and the machine. */
    public static ObjectNode document(String name, String command) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("benchmark", name);
        doc.put("at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        doc.put("command", command);
        doc.set("machine", machine());
        return doc;
    }

    /** Writes {@code <name>.json} and {@code <name>.md}; returns the markdown path. */
    public static Path write(String name, ObjectNode doc, String markdown) throws IOException {
        Path dir = dir();
        JSON.writeValue(dir.resolve(name + ".json").toFile(), doc);
        Path md = dir.resolve(name + ".md");
        Files.writeString(md, markdown);
        return md;
    }

    /** The machine a result was measured on. */
    public static ObjectNode machine() {
        ObjectNode m = JSON.createObjectNode();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put(
                "memory_gib",
                Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                                .getTotalMemorySize()
                        / (1024.0 * 1024 * 1024)));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("service_jvm_options", String.join(" ", BenchStack.SERVICE_JVM));
        return m;
    }

    /** One line for people: "2 × Intel Xeon …, 23 GiB, Linux 6.1, OpenJDK 17.0.x". */
    public static String machineLine() {
        ObjectNode m = machine();
        return m.get("cores").asInt() + " cores (" + m.get("cpu").asText() + "), "
                + m.get("memory_gib").asLong() + " GiB, " + m.get("os").asText() + ", "
                + m.get("java").asText();
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    /** Resident set size of a process in MiB (Linux /proc), or -1 when unreadable. */
    public static double rssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** CPU seconds (user + system) a process has used so far; -1 when unreadable (gone, not this OS). */
    public static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().totalCpuDuration())
                .map(d -> d.toMillis() / 1000.0)
                .orElse(-1.0);
    }
}
