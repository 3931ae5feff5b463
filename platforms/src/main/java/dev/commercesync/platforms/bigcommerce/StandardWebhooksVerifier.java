package dev.commercesync.platforms.bigcommerce;

import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.VerificationResult.RejectionReason;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Standard Webhooks signatures (spec 1.0.0, "Verifying webhook authenticity"), as BigCommerce sends them: {@code
 * webhook-signature} is a space-delimited list of {@code v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw
 * body>")>}; any one matching signature verifies the delivery (secret rotation). {@code webhook-timestamp} (Unix seconds)
 * must be within a tolerance of now in both directions (replay protection, 5 minutes as in the reference libraries).
 *
 * <p>Keys: a configured secret starting with {@code whsec_} is the spec's serialization (base64 after the prefix) and
 * is decoded; any other secret is used as its UTF-8 bytes. BigCommerce's docs verify with {@code
 * Webhook(base64(client_secret))}, and the reference libraries base64-decode that again, so the HMAC key is the app's
 * client secret bytes: configure the client secret as is.
 */
final class StandardWebhooksVerifier {
    static final String ID_HEADER = "webhook-id";
    static final String TIMESTAMP_HEADER = "webhook-timestamp";
    static final String SIGNATURE_HEADER = "webhook-signature";
    static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String SECRET_PREFIX = "whsec_";
    private static final String SYMMETRIC_VERSION = "v1";

    private final Duration tolerance;

    StandardWebhooksVerifier(Duration tolerance) {
        this.tolerance = tolerance;
    }

    VerificationResult verify(WebhookRequest request, List<WebhookSecret> candidateSecrets, Clock clock) {
        if (candidateSecrets.isEmpty()) {
            return rejected(RejectionReason.NO_SECRET, "no webhook secret configured");
        }
        Optional<String> id = nonBlank(request, ID_HEADER);
        Optional<String> timestamp = nonBlank(request, TIMESTAMP_HEADER);
        Optional<String> signatures = nonBlank(request, SIGNATURE_HEADER);
        if (id.isEmpty()) {
            return rejected(RejectionReason.MISSING_HEADER, ID_HEADER + " header is missing");
        }
        if (timestamp.isEmpty()) {
            return rejected(RejectionReason.MISSING_HEADER, TIMESTAMP_HEADER + " header is missing");
        }
        if (signatures.isEmpty()) {
            return rejected(RejectionReason.MISSING_HEADER, SIGNATURE_HEADER + " header is missing");
        }
        if (id.get().contains(".")) {
            // The spec forbids '.' in the id: it would make the signed content ambiguous.
            return rejected(RejectionReason.MALFORMED_HEADER, ID_HEADER + " contains '.'");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.get());
        } catch (NumberFormatException e) {
            return rejected(RejectionReason.MALFORMED_HEADER, TIMESTAMP_HEADER + " is not an integer of Unix seconds");
        }
        long now = clock.instant().getEpochSecond();
        // Compared as a range, not Math.abs(now - seconds): that difference overflows for a timestamp near
        // Long.MIN_VALUE (now - 2^63 made Math.abs return a negative number, which passed the check).
        if (seconds < now - tolerance.toSeconds() || seconds > now + tolerance.toSeconds()) {
            return rejected(
                    RejectionReason.TIMESTAMP_OUT_OF_TOLERANCE,
                    TIMESTAMP_HEADER + " is " + (seconds < now ? "older" : "newer") + " than the tolerance of "
                            + tolerance.toSeconds() + " s");
        }
        List<byte[]> presented = new ArrayList<>();
        for (String versioned : signatures.get().trim().split(" +")) {
            int comma = versioned.indexOf(',');
            if (comma < 0) {
                continue;
            }
            if (!versioned.substring(0, comma).equals(SYMMETRIC_VERSION)) {
                continue; // v1a (asymmetric) or a future scheme: not ours to check
            }
            HmacSignatures.decodeBase64Mac(versioned.substring(comma + 1)).ifPresent(presented::add);
        }
        if (presented.isEmpty()) {
            return rejected(
                    RejectionReason.MALFORMED_HEADER,
                    SIGNATURE_HEADER + " holds no 'v1,<base64 HMAC-SHA256>' signature");
        }
        List<WebhookSecret> keys;
        try {
            keys = candidateSecrets.stream().map(StandardWebhooksVerifier::key).toList();
        } catch (IllegalArgumentException e) {
            return rejected(RejectionReason.NO_SECRET, "a configured whsec_ secret is not valid base64");
        }
        byte[] signed = signedContent(id.get(), timestamp.get(), request.body());
        for (byte[] mac : presented) {
            Optional<Integer> match = HmacSignatures.matchingSecret(mac, signed, keys);
            if (match.isPresent()) {
                return new VerificationResult.Verified(match.get());
            }
        }
        return rejected(
                RejectionReason.SIGNATURE_MISMATCH,
                SIGNATURE_HEADER + " does not match the body under any configured secret");
    }

    /** The spec's signed content: {@code <id>.<timestamp>.<raw body>}. */
    static byte[] signedContent(String id, String timestamp, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        out.writeBytes((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** The HMAC key of a configured secret (see the class comment). */
    static WebhookSecret key(WebhookSecret configured) {
        byte[] bytes = configured.bytes();
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith(SECRET_PREFIX)) {
            return WebhookSecret.ofBytes(Base64.getDecoder().decode(text.substring(SECRET_PREFIX.length())));
        }
        return configured;
    }

    private static Optional<String> nonBlank(WebhookRequest request, String header) {
        return request.header(header).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static VerificationResult rejected(RejectionReason reason, String message) {
        return new VerificationResult.Rejected(reason, message);
    }
}
