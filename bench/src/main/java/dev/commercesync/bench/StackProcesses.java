package dev.commercesync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory of a benchmark stack's own components (Kafka, the registry, PostgreSQL), found by their command lines
 * naming the stack's data folder (Linux /proc; empty elsewhere). PostgreSQL is a postmaster plus one process per
 * connection sharing its buffers: its figure is the sum of their proportional set sizes (PSS), which counts shared
 * pages once; the JVMs' figure is their RSS, as for the services.
 */
public final class StackProcesses {
    private StackProcesses() {}

    /**
     * component → pids ("kafka", "registry": one JVM each; "postgresql": the postmaster and its children).
     *
     * @param registryUrl the stack's registry (its JVM is told its port, not the data folder)
     */
    public static Map<String, List<Long>> find(Path dataDir, String registryUrl) {
        String folder = dataDir.toAbsolutePath().normalize().toString();
        String registryPort = "-Dquarkus.http.port=" + registryUrl.replaceAll(".*:(\\d+).*", "$1") + " ";
        Map<String, List<Long>> found = new LinkedHashMap<>();
        List<long[]> parents = new ArrayList<>(); // pid, ppid of every process
        Long postmaster = null;
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : proc) {
                long pid = Long.parseLong(p.getFileName().toString());
                String cmdline;
                try {
                    cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    parents.add(new long[] {pid, parentPid(p)});
                } catch (IOException | RuntimeException e) {
                    continue; // gone, or not ours to read
                }
                if (cmdline.contains("java") && cmdline.contains("dev-registry") && cmdline.contains(registryPort)) {
                    found.computeIfAbsent("registry", k -> new ArrayList<>()).add(pid);
                    continue;
                }
                if (!cmdline.contains(folder)) {
                    continue;
                }
                if (cmdline.contains("postgres") && cmdline.contains(" -D ")) {
                    postmaster = pid;
                } else if (cmdline.contains("java") && cmdline.contains(" dev.commercesync.devstack.KafkaMain ")) {
                    // The broker's main class: the services' command lines name the data folder and Kafka too
                    // (kafka-streams.state.dir, kafka.bootstrap.servers).
                    found.computeIfAbsent("kafka", k -> new ArrayList<>()).add(pid);
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        if (postmaster != null) {
            List<Long> pg = new ArrayList<>(List.of(postmaster));
            for (long[] pp : parents) {
                if (pp[1] == postmaster) {
                    pg.add(pp[0]);
                }
            }
            found.put("postgresql", pg);
        }
        return found;
    }

    /** MiB: a single process's RSS, several processes' summed PSS; -1 when unreadable. */
    public static double memoryMib(List<Long> pids) {
        if (pids.size() == 1) {
            return BenchResults.rssMib(pids.get(0));
        }
        double sum = 0;
        for (long pid : pids) {
            double pss = pssMib(pid);
            if (pss >= 0) {
                sum += pss;
            }
        }
        return sum;
    }

    /** CPU seconds used so far by each component of {@link #find} (PostgreSQL: its running processes together). */
    public static Map<String, Double> cpuSeconds(Path dataDir, String registryUrl) {
        Map<String, Double> result = new LinkedHashMap<>();
        find(dataDir, registryUrl)
                .forEach((name, pids) -> result.put(
                        name,
                        pids.stream()
                                .mapToDouble(BenchResults::cpuSeconds)
                                .filter(s -> s >= 0)
                                .sum()));
        return result;
    }

    /** Memory of each component of {@link #find}. */
    public static Map<String, Double> memory(Path dataDir, String registryUrl) {
        Map<String, Double> result = new LinkedHashMap<>();
        find(dataDir, registryUrl).forEach((name, pids) -> result.put(name, memoryMib(pids)));
        return result;
    }

    private static double pssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long parentPid(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"));
        // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[1]);
    }
}
