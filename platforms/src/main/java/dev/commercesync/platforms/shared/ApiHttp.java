package dev.commercesync.platforms.shared;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiDeprecation;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.RateLimitProfile;
import dev.commercesync.platforms.spi.RateLimitedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * The HTTP plumbing every platform API client shares: the JDK HttpClient, timeouts, status classification into
 * {@link PlatformApiException} kinds, Retry-After and JSON bodies. Messages name the request ({@code description})
 * and the status, never credentials, query strings or bodies.
 */
public final class ApiHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final ApiConnection connection;
    private final RateLimitProfile profile;
    private final Function<HttpResponse<byte[]>, Optional<QuotaStatus>> quotaReader;
    private final Clock clock;
    private final java.util.Deque<ApiDeprecation> deprecations = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private volatile String deprecationHeader;

    /** @param quotaReader reads the platform's quota headers (or body fields) of a response */
    public ApiHttp(
            ApiConnection connection,
            RateLimitProfile profile,
            Function<HttpResponse<byte[]>, Optional<QuotaStatus>> quotaReader,
            Clock clock) {
        this.connection = connection;
        this.profile = profile;
        this.quotaReader = quotaReader;
        this.clock = clock;
    }

    /**
     * Keeps the platform's deprecation notices: the value of {@code header} on any answer (Shopify: {@code
     * X-Shopify-API-Deprecated-Reason}), for {@link #takeDeprecations()}.
     */
    public ApiHttp reportingDeprecations(String header) {
        this.deprecationHeader = header;
        return this;
    }

    /** The notices kept since the last call (the last {@value #MAX_DEPRECATIONS}), forgotten. */
    public List<ApiDeprecation> takeDeprecations() {
        List<ApiDeprecation> taken = new java.util.ArrayList<>();
        for (ApiDeprecation d; (d = deprecations.pollFirst()) != null; ) {
            taken.add(d);
        }
        return taken;
    }

    private static final int MAX_DEPRECATIONS = 20;

    private void noteDeprecation(HttpRequest request, HttpResponse<byte[]> response) {
        String header = deprecationHeader;
        if (header == null) {
            return;
        }
        response.headers().firstValue(header).filter(v -> !v.isBlank()).ifPresent(reason -> {
            deprecations.addLast(new ApiDeprecation(reason, request.uri().getPath(), clock.instant()));
            while (deprecations.size() > MAX_DEPRECATIONS) {
                deprecations.pollFirst();
            }
        });
    }

    /** The base URL with a path (and query) appended; the base URL's own path is kept. */
    public URI resolve(String pathAndQuery) {
        String base = connection.baseUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + (pathAndQuery.startsWith("/") ? "" : "/") + pathAndQuery);
    }

    public HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(connection.requestTimeout()).header("Accept", "application/json");
    }

    /**
     * Sends a request. 2xx and 404 are returned (the caller decides what a missing entity means); 429 is a {@link
     * RateLimitedException}; anything else a {@link PlatformApiException} of its kind. A body larger than the
     * connection's {@code maxResponseBytes} is not read further: that request fails as a CLIENT error (not retried:
     * the same request would get the same answer; a person raises the limit or lowers the page size).
     */
    public HttpResponse<byte[]> send(HttpRequest request, String description) throws PlatformApiException {
        return send(request, description, false);
    }

    /**
     * Sends a write: as {@link #send(HttpRequest, String)}, except that every 4xx other than 401, 403 and 429 is
     * returned too, so the writer reads the platform's own error (a validation message, an unknown id) and answers a
     * rejection with it.
     */
    public HttpResponse<byte[]> sendWrite(HttpRequest request, String description) throws PlatformApiException {
        return send(request, description, true);
    }

    /** As {@link #send(HttpRequest, String)}, and with {@code clientErrorsReturned} as {@link #sendWrite}. */
    private HttpResponse<byte[]> send(HttpRequest request, String description, boolean clientErrorsReturned)
            throws PlatformApiException {
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(request, bounded(connection.maxResponseBytes()));
        } catch (IOException e) {
            if (tooLarge(e)) {
                throw new PlatformApiException(
                        PlatformApiException.Kind.CLIENT,
                        0,
                        description + " returned a body larger than " + connection.maxResponseBytes()
                                + " bytes (the configured maximum response size)",
                        e);
            }
            throw new PlatformApiException(
                    PlatformApiException.Kind.TRANSPORT,
                    0,
                    description + " failed: " + e.getClass().getSimpleName(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformApiException(PlatformApiException.Kind.TRANSPORT, 0, description + " interrupted", e);
        }
        noteDeprecation(request, response);
        int status = response.statusCode();
        if ((status >= 200 && status < 300) || status == 404) {
            return response;
        }
        if (clientErrorsReturned && status >= 400 && status < 500 && status != 401 && status != 403 && status != 429) {
            return response;
        }
        if (status == 429) {
            Duration wait = retryAfter(response.headers(), clock).orElse(profile.defaultRetryAfter());
            throw new RateLimitedException(
                    status, description + " was rate limited (HTTP 429)", wait, quotaReader.apply(response));
        }
        PlatformApiException.Kind kind = status == 401 || status == 403
                ? PlatformApiException.Kind.AUTH
                : status >= 500 ? PlatformApiException.Kind.SERVER : PlatformApiException.Kind.CLIENT;
        throw new PlatformApiException(kind, status, description + " failed with HTTP " + status);
    }

    /**
     * The body as bytes, failing as soon as it exceeds {@code limit}: at once when its Content-Length says so, else
     * while it arrives (the rest is not read: the subscription is cancelled).
     */
    static HttpResponse.BodyHandler<byte[]> bounded(long limit) {
        return info -> new BoundedBody(
                limit, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final long declared;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(long limit, long declared) {
            this.limit = limit;
            this.declared = declared;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declared > limit) {
                tooLarge();
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (bytes.size() + (long) item.remaining() > limit) {
                    tooLarge();
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        private void tooLarge() {
            subscription.cancel();
            body.completeExceptionally(new ResponseTooLargeException());
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }
    }

    /** A response body over the connection's limit. */
    static final class ResponseTooLargeException extends IOException {
        ResponseTooLargeException() {
            super("response body over the limit");
        }
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ResponseTooLargeException) {
                return true;
            }
        }
        return false;
    }

    public Optional<QuotaStatus> quota(HttpResponse<byte[]> response) {
        return quotaReader.apply(response);
    }

    /** The response body as JSON; an unreadable body is a SERVER failure (the platform answered nonsense). */
    public static JsonNode json(HttpResponse<byte[]> response, String description) throws PlatformApiException {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER,
                    response.statusCode(),
                    description + " returned a body that is not JSON");
        }
    }

    /** Retry-After as delay-seconds or an HTTP-date; empty when absent or unreadable. */
    public static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
        if (value.isEmpty() || value.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            double seconds = Double.parseDouble(value.get());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** A header's value as a decimal, empty when absent or not a number. */
    public static Optional<Double> numericHeader(HttpHeaders headers, String name) {
        try {
            return headers.firstValue(name).map(String::trim).map(Double::parseDouble);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
