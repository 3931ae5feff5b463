package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.bench.FootprintBench.Run;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built footprint results: two flag sets, one with two runs and one with a single run, gaps included. */
final class FootprintFixture {
    static final String COMMAND = "./synctl bench footprint --runs 2 --jvm demo,bench --idle-wait 3";
    static final String MACHINE = "2 cores (Test CPU), 24 GiB, Linux 6.0, OpenJDK 17";
    static final List<String> SERVICES = List.of("normalizer", "sync-writer", "poller", "webhook-ingest", "reconciler");

    private FootprintFixture() {}

    static Map<String, List<Run>> results() {
        Map<String, List<Run>> results = new LinkedHashMap<>();
        results.put("demo", List.of(run(4.7, 11.6, 1.0, true), run(5.3, 12.2, 1.1, false)));
        results.put("bench", List.of(run(4.4, 18.4, 1.3, true)));
        return results;
    }

    /** {@code factor} scales the per-service figures; without {@code registry} its RSS is missing (not measured). */
    private static Run run(double stack, double services, double factor, boolean registry) {
        Run r = new Run();
        r.stack = stack;
        r.services = services;
        r.total = stack + services;
        double i = 0;
        for (String module : SERVICES) {
            i++;
            r.alone.put(module, (2 + i * 0.4) * factor);
            if (!module.equals("reconciler")) {
                r.parallelReady.put(module, (8 + i) * factor);
            }
            r.idleRssAlone.put(module, (140 + 10 * i) * factor);
            r.idleRssAll.put(module, module.equals("poller") ? -1 : (95 + 10 * i) * factor);
        }
        r.idleRssAll.put("kafka", 1185 * factor);
        if (registry) {
            r.idleRssAll.put("registry", 145.4 * factor);
        }
        r.idleRssAll.put("postgresql", 71.63 * factor);
        return r;
    }

    /** RSS under the e2e load: every component but the sync-writer. */
    static FootprintReport.UnderLoad load() {
        ObjectNode mib = BenchResults.json().createObjectNode();
        for (String c : List.of("normalizer", "poller", "webhook-ingest", "reconciler", "kafka", "registry")) {
            ObjectNode n = mib.putObject(c);
            n.put("median_mib", 300.4 + c.length());
            n.put("max_mib", 320.6 + c.length());
        }
        mib.putObject("postgresql").put("max_mib", 261);
        return new FootprintReport.UnderLoad("1000", "2026-11-23T02:17:29Z", mib);
    }
}
