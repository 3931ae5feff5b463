package dev.commercesync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went, from a JFR recording's execution samples: the hottest methods by self time, and the share of
 * samples spent inside each component (inclusive: a sample counts for every component on its stack).
 */
public final class Profiles {
    private Profiles() {}

    /** Package prefixes → the component a person would name as the bottleneck. First match wins. */
    private static final Map<String, String> COMPONENTS = components();

    private static Map<String, String> components() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("org.apache.kafka.streams", "Kafka Streams");
        c.put("org.apache.kafka.common.compress", "Kafka compression");
        c.put("org.apache.kafka", "Kafka client");
        c.put("org.apache.avro", "Avro");
        c.put("io.apicurio", "Apicurio serde");
        c.put("com.fasterxml.jackson", "Jackson JSON");
        c.put("javax.crypto", "HMAC/crypto");
        c.put("sun.security", "HMAC/crypto");
        c.put("com.sun.crypto", "HMAC/crypto");
        c.put("org.postgresql", "PostgreSQL JDBC");
        c.put("org.hibernate", "Hibernate");
        c.put("io.agroal", "Agroal pool");
        c.put("io.debezium", "Debezium");
        c.put("io.vertx", "Vert.x HTTP");
        c.put("io.netty", "Netty");
        c.put("org.jboss.resteasy", "RESTEasy");
        c.put("io.quarkus", "Quarkus");
        c.put("io.smallrye", "SmallRye");
        c.put("io.micrometer", "Micrometer");
        c.put("net.jpountz", "lz4");
        c.put("at.yawk.lz4", "lz4");
        c.put("dev.commercesync", "commerce-sync code");
        c.put("java.util.zip", "zip/CRC");
        return c;
    }

    /** A summary of one recording. */
    public record Profile(long samples, Map<String, Long> hotMethods, Map<String, Long> components) {
        public String describe(int top) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%d execution samples%n  by component (inclusive):%n", samples));
            components.entrySet().stream()
                    .limit(top)
                    .forEach(e -> b.append(String.format(
                            Locale.ROOT,
                            "    %5.1f%%  %s%n",
                            100.0 * e.getValue() / Math.max(1, samples),
                            e.getKey())));
            b.append("  hottest methods (self):\n");
            hotMethods.entrySet().stream()
                    .limit(top)
                    .forEach(e -> b.append(String.format(
                            Locale.ROOT,
                            "    %5.1f%%  %s%n",
                            100.0 * e.getValue() / Math.max(1, samples),
                            e.getKey())));
            return b.toString();
        }
    }

    public static Profile summarize(Path jfr) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace trace = event.getStackTrace();
            if (trace == null || trace.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = trace.getFrames();
            RecordedFrame top = frames.get(0);
            self.merge(
                    top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String component = component(frame.getMethod().getType().getName());
                if (component != null && seen.add(component)) {
                    inclusive.merge(component, 1L, Long::sum);
                }
            }
        }
        return new Profile(samples, sorted(self), sorted(inclusive));
    }

    /** Summarizes every recording of a benchmark stack (one per profiled service) that exists. */
    public static Map<String, Profile> summarizeAll(BenchStack stack, List<String> modules) throws IOException {
        Map<String, Profile> result = new LinkedHashMap<>();
        for (String module : modules) {
            Path file = stack.profileFile(module);
            if (Files.isRegularFile(file)) {
                result.put(module, summarize(file));
            }
        }
        return result;
    }

    private static String component(String className) {
        for (Map.Entry<String, String> e : COMPONENTS.entrySet()) {
            if (className.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Map<String, Long> sorted(Map<String, Long> counts) {
        Map<String, Long> result = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }
}
