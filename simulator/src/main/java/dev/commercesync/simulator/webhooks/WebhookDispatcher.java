package dev.commercesync.simulator.webhooks;

import dev.commercesync.simulator.Fault;
import dev.commercesync.simulator.FaultDice;
import dev.commercesync.simulator.StatsRecorder;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook delivery loop every dialect shares: fans each event out to the active subscriptions of its topic,
 * injects the delivery faults (silently deleted subscription, drop, duplicate, delay, reorder), sends with the
 * dialect's signed headers and retries failures per the platform's {@link DeliveryPolicy}.
 *
 * <p>With one delivery thread (the default) and no faults, deliveries leave in the order the events happened. A
 * reordered delivery is held back and sent right after the next one (or after {@link #REORDER_HOLD} if none comes).
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebhookDispatcher.class.getName());
    static final Duration REORDER_HOLD = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final Subscriptions subscriptions;
    private final WebhookSigner signer;
    private final DeliveryPolicy policy;
    private final FaultDice dice;
    private final StatsRecorder stats;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final HttpClient http;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong deliverySequence = new AtomicLong();
    private final Object lock = new Object();
    private Delivery held;
    private volatile DeliveryListener listener;

    /** @param submittedAt {@link System#nanoTime()} when the change handed the event to delivery */
    private record Delivery(
            Subscription subscription, WebhookMessage message, String deliveryId, int attempt, long submittedAt) {}

    public WebhookDispatcher(
            String name,
            Subscriptions subscriptions,
            WebhookSigner signer,
            DeliveryPolicy policy,
            FaultDice dice,
            StatsRecorder stats,
            Clock clock,
            int threads) {
        this.subscriptions = subscriptions;
        this.signer = signer;
        this.policy = policy;
        this.dice = dice;
        this.stats = stats;
        this.clock = clock;
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "sim-webhooks-" + name + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // Not the delivery executor: HttpClient.send blocks on tasks it runs on its own executor.
        this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    }

    /** Tells {@code listener} about every delivery attempt from now on (null: nobody). */
    public void listener(DeliveryListener listener) {
        this.listener = listener;
    }

    /** Hands a change's events to delivery, in order. */
    public void submit(List<WebhookMessage> messages) {
        long submittedAt = System.nanoTime();
        for (WebhookMessage message : messages) {
            List<Subscription> targets = subscriptions.activeFor(message.topic());
            if (targets.isEmpty()) {
                stats.unsubscribed();
                continue;
            }
            for (Subscription subscription : targets) {
                stats.event(message.topic());
                if (dice.roll(Fault.SUBSCRIPTION_DELETED)) {
                    subscriptions.delete(subscription.id());
                    continue;
                }
                if (dice.roll(Fault.DROP)) {
                    continue;
                }
                boolean duplicate = dice.roll(Fault.DUPLICATE);
                Duration delay = dice.roll(Fault.DELAY) ? dice.delay() : Duration.ZERO;
                boolean reorder = dice.roll(Fault.REORDER);
                schedule(new Delivery(subscription, message, nextDeliveryId(message), 1, submittedAt), delay, reorder);
                if (duplicate) {
                    schedule(
                            new Delivery(subscription, message, nextDeliveryId(message), 1, submittedAt),
                            delay.plusMillis(5),
                            false);
                }
            }
        }
    }

    private String nextDeliveryId(WebhookMessage message) {
        return message.eventId() + "-d" + deliverySequence.incrementAndGet();
    }

    private void schedule(Delivery delivery, Duration delay, boolean holdBack) {
        synchronized (lock) {
            if (holdBack && held == null) {
                held = delivery;
                inFlight.incrementAndGet();
                executor.schedule(() -> releaseHeld(delivery), REORDER_HOLD.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            Delivery previouslyHeld = held;
            held = null;
            sendLater(delivery, delay);
            if (previouslyHeld != null) {
                // already counted in flight when it was held
                executor.schedule(() -> send(previouslyHeld), delay.toMillis() + 1, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void releaseHeld(Delivery delivery) {
        synchronized (lock) {
            if (held != delivery) {
                return; // released by a later delivery already
            }
            held = null;
        }
        send(delivery);
    }

    private void sendLater(Delivery delivery, Duration delay) {
        inFlight.incrementAndGet();
        executor.schedule(() -> send(delivery), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send(Delivery delivery) {
        try {
            stats.attempt();
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            delivery.subscription().address())
                    .timeout(REQUEST_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            delivery.message().body()));
            signer.headers(delivery.subscription(), delivery.message(), delivery.deliveryId(), clock.instant())
                    .forEach(request::header);
            DeliveryListener told = listener;
            Instant sentAt = told == null ? null : Instant.now();
            long started = System.nanoTime();
            int status;
            try {
                status = http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                status = 0;
            }
            if (told != null) {
                told.attempted(new DeliveryListener.Attempt(
                        delivery.message(),
                        delivery.deliveryId(),
                        delivery.attempt(),
                        status,
                        sentAt,
                        started - delivery.submittedAt(),
                        System.nanoTime() - started));
            }
            if (status >= 200 && status < 300) {
                stats.delivered(delivery.message().topic());
                subscriptions.succeeded(delivery.subscription());
                return;
            }
            stats.failure();
            subscriptions.failed(delivery.subscription(), policy.disableAfterConsecutiveFailures());
            if (delivery.attempt() < policy.maxAttempts()) {
                sendLater(
                        new Delivery(
                                delivery.subscription(),
                                delivery.message(),
                                delivery.deliveryId(),
                                delivery.attempt() + 1,
                                delivery.submittedAt()),
                        policy.backoff(delivery.attempt()));
            } else {
                stats.undeliverable();
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "webhook {0} to subscription {1} undeliverable after {2} attempts (last status {3})",
                        delivery.message().topic(),
                        delivery.subscription().id(),
                        delivery.attempt(),
                        status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            stats.failure();
            LOG.log(
                    System.Logger.Level.WARNING,
                    "webhook delivery failed: " + e.getClass().getSimpleName());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Deliveries scheduled, held or being sent (retries included). */
    public int pending() {
        return inFlight.get();
    }

    /** Waits until nothing is pending; false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
