package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricSumsTest {

    @Test
    void sumsSamplesOverLabelsAndIgnoresExemplars() {
        String body = String.join(
                "\n",
                "# TYPE normalizer_events_produced counter",
                "normalizer_events_produced_total{entity_type=\"order\"} 5.0 # {span_id=\"ab\",trace_id=\"cd\"} 1.0"
                        + " 1796558400.123",
                "normalizer_events_produced_total{entity_type=\"product\"} 7.0",
                "normalizer_fetch_requests_total 3.0 1796558400000",
                "process_uptime_seconds NaN",
                "# EOF");

        Map<String, Double> sums = DemoRun.metricSums(body);

        assertEquals(12.0, sums.get("normalizer_events_produced_total"));
        assertEquals(3.0, sums.get("normalizer_fetch_requests_total"));
        assertEquals(null, sums.get("process_uptime_seconds"));
    }
}
