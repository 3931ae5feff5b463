package dev.commercesync.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The ingest benchmark's HTTP load: signed webhooks from a pool, each request with its own delivery id (the header the
 * simulator's dialect puts it in),
 * sent with Vert.x's HTTP client (HTTP/1.1 keep-alive, one event-loop thread; already on the classpath). The generator
 * shares the two cores with the ingest and Kafka, so it has to be cheap: the JDK's {@code java.net.http.HttpClient}
 * measured about three times the CPU per request. Two shapes:
 *
 * <ul>
 *   <li>{@link #closedLoop}: N connections, each sending its next request when the previous answer arrived — the most
 *       the ingest accepts;
 *   <li>{@link #openLoop}: requests at their scheduled times whatever the answers do; latency counts from the
 *       <em>intended</em> send time (HdrHistogram), so a stall delays nothing silently (no coordinated omission). At
 *       most {@code maxInFlight} requests are outstanding; waiting for a free slot counts as latency.
 * </ul>
 */
final class IngestLoad implements AutoCloseable {
    /**
     * One signed delivery: the body, every header but the per-request delivery id, and the header that carries that id
     * (the platform's, from the simulator's dialect).
     */
    record SignedWebhook(byte[] body, Map<String, String> headers, String deliveryIdHeader, String topic) {}

    /** What one load phase measured. Latencies in microseconds. */
    record Result(
            double offeredPerSecond,
            long sent,
            long ok,
            long failed,
            Map<String, Long> failures,
            double seconds,
            Histogram latencyMicros,
            Histogram sendLagMicros,
            long slotWaits,
            double generatorCpuSeconds) {

        /** 2xx answers per second of the phase. */
        double okPerSecond() {
            return seconds <= 0 ? 0 : ok / seconds;
        }

        double percentileMs(double p) {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(p) / 1000.0;
        }

        double maxMs() {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
        }
    }

    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    private final URI target;
    private final List<SignedWebhook> pool;
    private final Duration requestTimeout;
    private final Vertx vertx;
    private final HttpClient client;
    private final RequestOptions requestOptions;
    private final List<Buffer> bodies;
    private final AtomicLong sequence = new AtomicLong();
    private final long nonce = ThreadLocalRandom.current().nextLong();

    /** @param maxConnections the most connections kept open (at least the concurrency of any phase) */
    IngestLoad(URI target, List<SignedWebhook> pool, Duration requestTimeout, int maxConnections) {
        if (pool.isEmpty()) {
            throw new IllegalArgumentException("no webhooks to send");
        }
        this.target = target;
        this.pool = List.copyOf(pool);
        this.requestTimeout = requestTimeout;
        this.bodies = pool.stream().map(w -> Buffer.buffer(w.body())).toList();
        this.vertx = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setConnectTimeout(10_000)
                        .setDefaultHost(target.getHost())
                        .setDefaultPort(target.getPort()),
                new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
        this.requestOptions = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.getHost())
                .setPort(target.getPort())
                .setURI(target.getRawPath())
                .setIdleTimeout(requestTimeout.toMillis());
    }

    /**
     * Sends the pool's next body with its signature and a fresh delivery id (as the platform sends per attempt); completes
     * with the HTTP status once the answer was read.
     */
    private Future<Integer> send() {
        long n = sequence.getAndIncrement();
        int index = (int) (n % pool.size());
        SignedWebhook webhook = pool.get(index);
        Buffer body = bodies.get(index);
        String deliveryId = new UUID(nonce, n).toString();
        return client.request(requestOptions).compose(request -> {
            webhook.headers().forEach(request::putHeader);
            request.putHeader(webhook.deliveryIdHeader(), deliveryId);
            return request.send(body).compose(response -> response.body().map(ignored -> response.statusCode()));
        });
    }

    /** Sends one webhook and waits for the answer: "ok", or a description of the failure. */
    String sendOne() throws InterruptedException {
        try {
            int status = send().toCompletionStage()
                    .toCompletableFuture()
                    .get(requestTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            return status / 100 == 2 ? "ok" : "HTTP " + status;
        } catch (ExecutionException | TimeoutException e) {
            return e.getCause() != null ? e.getCause().toString() : e.toString();
        }
    }

    /** Counters of one phase. */
    private static final class Tally {
        final Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        final Histogram sendLag = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        final LongAdder sent = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        final AtomicLong lastCompletion = new AtomicLong();

        void completed(long micros, Integer status, Throwable error, boolean counts) {
            latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, micros)));
            lastCompletion.accumulateAndGet(System.nanoTime(), Math::max);
            if (!counts) {
                return;
            }
            if (error == null && status / 100 == 2) {
                ok.increment();
            } else {
                failed.increment();
                failures.computeIfAbsent(failureKind(status, error), k -> new LongAdder())
                        .increment();
            }
        }

        Map<String, Long> failureCounts() {
            Map<String, Long> counts = new TreeMap<>();
            failures.forEach((k, v) -> counts.put(k, v.sum()));
            return counts;
        }
    }

    private static String failureKind(Integer status, Throwable error) {
        if (error == null) {
            return "HTTP " + status;
        }
        if (error instanceof io.vertx.core.impl.NoStackTraceTimeoutException
                || error instanceof java.util.concurrent.TimeoutException
                || String.valueOf(error.getMessage()).contains("timeout")) {
            return "timeout";
        }
        if (error instanceof ConnectException || error.getCause() instanceof ConnectException) {
            return "connect";
        }
        if (error instanceof io.vertx.core.http.HttpClosedException || error instanceof java.io.IOException) {
            return "I/O error";
        }
        return error.getClass().getSimpleName();
    }

    /**
     * {@code connections} senders, each sending as soon as its previous request was answered, for {@code duration}.
     * Only answers that arrive inside the duration count; the ones still outstanding are awaited and dropped.
     */
    Result closedLoop(int connections, Duration duration) throws InterruptedException {
        Tally tally = new Tally();
        long cpu0 = ownCpuNanos();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        CountDownLatch done = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            closedStep(tally, end, done);
        }
        boolean finished = done.await(duration.toMillis() + requestTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        if (!finished) {
            throw new IllegalStateException("closed-loop senders did not finish");
        }
        double seconds = duration.toNanos() / 1e9;
        return new Result(
                Double.NaN,
                tally.sent.sum(),
                tally.ok.sum(),
                tally.failed.sum(),
                tally.failureCounts(),
                seconds,
                tally.latency,
                tally.sendLag,
                0,
                (ownCpuNanos() - cpu0) / 1e9);
    }

    private void closedStep(Tally tally, long end, CountDownLatch done) {
        long t0 = System.nanoTime();
        if (t0 >= end) {
            done.countDown();
            return;
        }
        tally.sent.increment();
        send().onComplete(ar -> {
            long t1 = System.nanoTime();
            tally.completed((t1 - t0) / 1000, ar.result(), ar.cause(), t1 <= end);
            if (ar.failed()) {
                // Do not spin on a refused connection.
                vertx.setTimer(10, id -> closedStep(tally, end, done));
            } else {
                closedStep(tally, end, done);
            }
        });
    }

    /**
     * Requests at {@code perSecond} for {@code duration}, request {@code i} due at {@code start + i / perSecond}; each
     * latency counts from its due time. When {@code maxInFlight} requests are outstanding the next one waits for a
     * slot (its wait counts); requests still unsent when the duration is over are not sent: they count as failures
     * ("not sent: max in flight") with the time they had waited by then as latency (a lower bound). Waits for every
     * answer before returning; the phase's seconds run from the first due time to the last answer.
     */
    Result openLoop(double perSecond, Duration duration, int maxInFlight) throws InterruptedException {
        Tally tally = new Tally();
        Semaphore slots = new Semaphore(maxInFlight);
        long total = Math.max(1, Math.round(perSecond * duration.toNanos() / 1e9));
        double interval = 1e9 / perSecond;
        long slotWaits = 0;
        long cpu0 = ownCpuNanos();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long windowEnd = start + duration.toNanos();
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * interval);
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            if (!slots.tryAcquire()) {
                slotWaits++;
                long left = windowEnd - System.nanoTime();
                if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    notSent(tally, i, total, start, interval);
                    break;
                }
            }
            long sendAt = System.nanoTime();
            tally.sendLag.recordValue(Math.min(HIGHEST_MICROS, (sendAt - due) / 1000));
            tally.sent.increment();
            send().onComplete(ar -> {
                long t = System.nanoTime();
                slots.release();
                tally.completed((t - due) / 1000, ar.result(), ar.cause(), true);
            });
        }
        long wait = requestTimeout.toMillis() + 10_000;
        if (!slots.tryAcquire(maxInFlight, wait, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("open-loop requests still outstanding after " + wait + " ms");
        }
        slots.release(maxInFlight);
        double seconds = Math.max(tally.lastCompletion.get() - start, 1) / 1e9;
        return new Result(
                perSecond,
                tally.sent.sum(),
                tally.ok.sum(),
                tally.failed.sum(),
                tally.failureCounts(),
                seconds,
                tally.latency,
                tally.sendLag,
                slotWaits,
                (ownCpuNanos() - cpu0) / 1e9);
    }

    /** Requests {@code from}..{@code total} were due but never sent: failures, with their wait so far. */
    private static void notSent(Tally tally, long from, long total, long start, double interval) {
        long now = System.nanoTime();
        LongAdder count = tally.failures.computeIfAbsent("not sent: max in flight", k -> new LongAdder());
        for (long j = from; j < total; j++) {
            long due = start + (long) (j * interval);
            tally.latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - due) / 1000)));
            tally.failed.increment();
            count.increment();
        }
    }

    /** CPU time of this JVM (the load generator and the bench's own bookkeeping). */
    static long ownCpuNanos() {
        java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway
        }
    }
}
