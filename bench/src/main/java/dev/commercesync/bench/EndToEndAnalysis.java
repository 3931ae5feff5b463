package dev.commercesync.bench;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.schemas.envelope.AppliedChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What one end-to-end run measured, worked out after the load: when each sent change was committed to the target and
 * relayed by the outbox (PostgreSQL), the latency percentiles, backlog slope and the sustained/not sustained verdict.
 */
final class EndToEndAnalysis {
    private final BenchStack bench;
    private final Consumer<String> out;

    EndToEndAnalysis(BenchStack bench, Consumer<String> out) {
        this.bench = bench;
        this.out = out;
    }

    /** A handled event: when its transaction committed (µs since the epoch), and what became of it. */
    record Commit(long committedMicros, String outcome) {}

    /**
     * Commit time of every event the sync-writer handled since {@code since}: the events of one batch share a
     * transaction (the same {@code xmin}). With {@code track_commit_timestamp} on (the dev stack's PostgreSQL) that is
     * the transaction's own commit time ({@code pg_xact_commit_timestamp(xmin)}), whatever order the writer runs its
     * statements in. Otherwise each event records the wall clock of its claim ({@code claimed_at}, migration V4), and
     * the batch's latest claim stands for the commit: close to it for a writer that claims event by event, earlier by
     * most of the batch for one that claims a whole batch in one statement. Without the column (an older sync-writer)
     * it falls back to the transaction's start ({@code processed_at}), which is earlier by the batch's duration;
     * {@code basis} says which.
     */
    Map<String, Commit> commitTimes(Instant since, String[] basis) throws SQLException {
        Map<String, Long> txEnd = new HashMap<>();
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = EndToEndRun.jdbc(bench)) {
            String claimed = hasClaimedAt(c) ? "claimed_at" : "processed_at";
            boolean commitTimestamps = tracksCommitTimestamps(c);
            String column = commitTimestamps ? "coalesce(pg_xact_commit_timestamp(xmin), " + claimed + ")" : claimed;
            basis[0] = commitTimestamps
                    ? "the commit time of the event's transaction (pg_xact_commit_timestamp)"
                    : claimed.equals("claimed_at")
                            ? "latest claimed_at of the event's transaction (≈ its commit)"
                            : "processed_at, the transaction's start (sync-writer without migration V4: an"
                                    + " underestimate)";
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id, outcome, xmin::text, " + column
                    + " FROM syncwriter.processed_events WHERE processed_at >= ?")) {
                ps.setTimestamp(1, Timestamp.from(since.minusSeconds(1)));
                ps.setFetchSize(10_000);
                c.setAutoCommit(false);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long at = EndToEndRun.micros(rs.getTimestamp(4).toInstant());
                        String tx = rs.getString(3);
                        txEnd.merge(tx, at, Math::max);
                        rows.add(new Object[] {rs.getString(1), rs.getString(2), tx});
                    }
                }
            }
        }
        Map<String, Commit> commits = new HashMap<>(rows.size() * 2);
        for (Object[] row : rows) {
            commits.put((String) row[0], new Commit(txEnd.get((String) row[2]), (String) row[1]));
        }
        return commits;
    }

    static boolean tracksCommitTimestamps(Connection c) throws SQLException {
        try (var s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('track_commit_timestamp')")) {
            return rs.next() && "on".equals(rs.getString(1));
        }
    }

    static boolean hasClaimedAt(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getColumns(null, "syncwriter", "processed_events", "claimed_at")) {
            return rs.next();
        }
    }

    /** An applied entity version, from commerce.applied.v1. */
    record AppliedVersion(String entity, long updatedAtMs, String eventId, long relayedMs) {}

    /**
     * The applied records since {@code since}; waits (up to 60 s) until the relay has published one for every event
     * the sync-writer recorded as applied.
     */
    List<AppliedVersion> appliedSince(Instant since, Set<String> appliedEventIds) throws InterruptedException {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bench.endpoints().kafkaBootstrap());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        List<AppliedVersion> result = new ArrayList<>();
        Set<String> missing = new HashSet<>(appliedEventIds);
        try (KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
                Deserializer<SpecificRecord> avro =
                        AvroSerdes.valueDeserializer(bench.endpoints().registryApiUrl())) {
            List<TopicPartition> partitions = new ArrayList<>();
            var infos = consumer.partitionsFor(EndToEndRun.APPLIED_TOPIC, Duration.ofSeconds(30));
            for (int i = 0; i < 30 && (infos == null || infos.isEmpty()) && !appliedEventIds.isEmpty(); i++) {
                Thread.sleep(1000); // the relay creates the topic with its first record
                infos = consumer.partitionsFor(EndToEndRun.APPLIED_TOPIC, Duration.ofSeconds(30));
            }
            if (infos == null || infos.isEmpty()) {
                out.accept("    (" + EndToEndRun.APPLIED_TOPIC + " does not exist: nothing was applied)");
                return result;
            }
            infos.forEach(p -> partitions.add(new TopicPartition(EndToEndRun.APPLIED_TOPIC, p.partition())));
            consumer.assign(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since.minusSeconds(2).toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp at = found.get(p);
                consumer.seek(p, at == null ? end.get(p) : at.offset());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!(avro.deserialize(record.topic(), record.headers(), record.value())
                            instanceof AppliedChange applied)) {
                        continue;
                    }
                    missing.remove(applied.getEventId());
                    if (applied.getSourceUpdatedAt() == null) {
                        continue;
                    }
                    String entity =
                            applied.getStore() + "|" + applied.getEntityType().name() + "|" + applied.getEntityId();
                    result.add(new AppliedVersion(
                            entity,
                            applied.getSourceUpdatedAt().toEpochMilli(),
                            applied.getEventId(),
                            record.timestamp()));
                }
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                boolean atEnd = partitions.stream()
                        .allMatch(p -> consumer.position(p)
                                >= consumer.endOffsets(List.of(p)).get(p));
                if (atEnd && (missing.isEmpty() || System.nanoTime() - quietSince > 15_000_000_000L)) {
                    break;
                }
            }
        }
        if (!missing.isEmpty()) {
            out.accept(
                    "    (" + missing.size() + " applied events had no record on " + EndToEndRun.APPLIED_TOPIC + ")");
        }
        return result;
    }

    void analyse(
            EndToEndRun.Result r,
            EndToEndRun.Settings s,
            Instant start,
            double loadSeconds,
            List<EndToEndRun.Sent> sent)
            throws Exception {
        String[] basis = new String[1];
        Map<String, Commit> commits = commitTimes(start, basis);
        r.commitBasis = basis[0];
        Set<String> appliedIds = new HashSet<>();
        commits.forEach((id, c) -> {
            if (c.outcome().equals("APPLIED")) {
                appliedIds.add(id);
            }
        });
        List<AppliedVersion> applied = appliedSince(start, appliedIds);

        long startMicros = EndToEndRun.micros(start);
        // entity → updated-at → [commit µs, relayed ms]
        Map<String, TreeMap<Long, long[]>> versions = new HashMap<>();
        for (AppliedVersion a : applied) {
            Commit c = commits.get(a.eventId());
            if (c == null) {
                continue; // applied before this run
            }
            versions.computeIfAbsent(a.entity(), k -> new TreeMap<>())
                    .merge(
                            a.updatedAtMs(),
                            new long[] {c.committedMicros(), a.relayedMs()},
                            (x, y) -> x[0] <= y[0] ? x : y);
        }
        // events committed per second during the load
        long loadEndMicros = startMicros + (long) (s.duration().toMillis() * 1000);
        r.eventsCommitted = commits.values().stream()
                .filter(c -> c.committedMicros() >= startMicros && c.committedMicros() <= loadEndMicros)
                .count();
        r.eventsCommittedPerSecond = r.eventsCommitted / (s.duration().toMillis() / 1000.0);

        Histogram all = histogram();
        Histogram relay = histogram();
        Histogram response = histogram();
        Histogram queued = histogram();
        double window = Math.min(20, s.duration().toMillis() / 1000.0 / 3);
        r.windowSeconds = window;
        Histogram first = histogram();
        Histogram last = histogram();
        long firstSent = Long.MAX_VALUE;
        long lastSent = Long.MIN_VALUE;
        for (EndToEndRun.Sent w : sent) {
            firstSent = Math.min(firstSent, w.sentMicros());
            lastSent = Math.max(lastSent, w.sentMicros());
        }
        long[] sentAt = new long[sent.size()];
        long[] doneAt = new long[sent.size()];
        int n = 0;
        for (EndToEndRun.Sent w : sent) {
            response.recordValue(Math.max(1, w.responseNanos() / 1000));
            queued.recordValue(Math.max(1, w.queuedNanos() / 1000));
            sentAt[n] = w.sentMicros();
            TreeMap<Long, long[]> entity = versions.get(w.entity());
            long[] exact = entity == null ? null : entity.get(w.updatedAtMs());
            if (exact != null) {
                r.matched++;
                long latency = Math.max(1, exact[0] - w.sentMicros());
                all.recordValue(latency);
                relay.recordValue(Math.max(1, exact[1] * 1000 - w.sentMicros()));
                if (w.sentMicros() <= firstSent + (long) (window * 1e6)) {
                    first.recordValue(latency);
                }
                if (w.sentMicros() >= lastSent - (long) (window * 1e6)) {
                    last.recordValue(latency);
                }
                doneAt[n] = Math.max(exact[0], w.sentMicros());
            } else {
                var newer = entity == null ? null : entity.higherEntry(w.updatedAtMs());
                if (newer != null) {
                    r.superseded++;
                    doneAt[n] = Math.max(newer.getValue()[0], w.sentMicros());
                } else {
                    r.notApplied++;
                    doneAt[n] = Long.MAX_VALUE;
                }
            }
            n++;
        }
        r.delivered = sent.size();
        r.sentPerSecond = sent.size() < 2 ? 0 : (sent.size() - 1) / ((lastSent - firstSent) / 1e6);
        r.p50 = ms(all, 50);
        r.p90 = ms(all, 90);
        r.p99 = ms(all, 99);
        r.p999 = ms(all, 99.9);
        r.max = all.getTotalCount() == 0 ? Double.NaN : all.getMaxValue() / 1000.0;
        r.mean = all.getTotalCount() == 0 ? Double.NaN : all.getMean() / 1000.0;
        if (relay.getTotalCount() > 0) {
            r.relayP50 = ms(relay, 50);
            r.relayP99 = ms(relay, 99);
        }
        r.ingestResponseP50 = ms(response, 50);
        r.ingestResponseP99 = ms(response, 99);
        r.senderQueueP99 = ms(queued, 99);
        r.p99FirstWindow = ms(first, 99);
        r.p99LastWindow = ms(last, 99);

        // backlog: webhooks sent and not yet reflected in the target (their version or a newer one committed)
        Arrays.sort(sentAt);
        Arrays.sort(doneAt);
        long end = startMicros;
        for (long d : doneAt) {
            if (d != Long.MAX_VALUE) {
                end = Math.max(end, d);
            }
        }
        end = Math.max(end, sentAt.length == 0 ? startMicros : sentAt[sentAt.length - 1]);
        for (long t = startMicros; t <= end + 1_000_000; t += 1_000_000) {
            long backlog = upTo(sentAt, t) - upTo(doneAt, t);
            r.backlog.add(new long[] {(t - startMicros) / 1_000_000, backlog});
            r.maxBacklog = Math.max(r.maxBacklog, backlog);
        }
        long lastDone = 0;
        for (long d : doneAt) {
            if (d != Long.MAX_VALUE) {
                lastDone = Math.max(lastDone, d);
            }
        }
        r.drainSeconds = Math.max(0, (lastDone - Math.max(lastSent, startMicros)) / 1e6);
        double loadEnd = s.duration().toMillis() / 1000.0;
        r.backlogSlope = slope(r.backlog, loadEnd / 2, loadEnd);
        judge(r, loadSeconds);
    }

    /**
     * Sustained: (1) the stores sent at least 95% of the offered rate; (2) the backlog did not grow in the second half
     * of the load: its least-squares slope there is below 5% of the offered rate per second; (3) the p99 latency of
     * the webhooks sent in the last window (20 s, a third of shorter runs) is at most twice that of the first window
     * plus 100 ms; (4) everything sent was reflected in the target (at most 0.1% not applied) once drained.
     */
    static void judge(EndToEndRun.Result r, double loadSeconds) {
        List<String> failed = new ArrayList<>();
        if (r.sentPerSecond < 0.95 * r.offered) {
            failed.add(String.format(Locale.ROOT, "sent %.0f/s of %.0f/s offered", r.sentPerSecond, r.offered));
        }
        if (r.backlogSlope > 0.05 * r.offered) {
            failed.add(String.format(Locale.ROOT, "backlog grew %.0f/s", r.backlogSlope));
        }
        if (!(r.p99LastWindow <= 2 * r.p99FirstWindow + 100)) {
            failed.add(String.format(Locale.ROOT, "p99 rose from %.0f to %.0f ms", r.p99FirstWindow, r.p99LastWindow));
        }
        if (r.notApplied > Math.max(0, r.delivered / 1000)) {
            failed.add(r.notApplied + " webhooks never reached the target");
        }
        if (!r.drained) {
            failed.add("not drained in time");
        }
        r.sustained = failed.isEmpty();
        r.verdict = r.sustained ? "sustained" : String.join("; ", failed);
    }

    static long upTo(long[] sorted, long t) {
        int i = Arrays.binarySearch(sorted, t);
        if (i < 0) {
            return -i - 1;
        }
        while (i + 1 < sorted.length && sorted[i + 1] == t) {
            i++;
        }
        return i + 1;
    }

    /** Least-squares slope of the backlog (per second) between two times of the run. */
    static double slope(List<long[]> series, double from, double to) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int k = 0;
        for (long[] p : series) {
            if (p[0] < from || p[0] > to) {
                continue;
            }
            sx += p[0];
            sy += p[1];
            sxx += (double) p[0] * p[0];
            sxy += (double) p[0] * p[1];
            k++;
        }
        if (k < 2) {
            return 0;
        }
        double d = k * sxx - sx * sx;
        return d == 0 ? 0 : (k * sxy - sx * sy) / d;
    }

    static Histogram histogram() {
        return new Histogram(TimeUnit.HOURS.toMicros(2), 3);
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
