package dev.commercesync.platforms.magento2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.VerificationResult.RejectionReason;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Adobe I/O Events digital signatures: {@code x-adobe-digital-signature-1} and {@code -2} are base64 RSA-SHA256
 * (PKCS#1 v1.5) signatures of the raw body, made with the private keys whose public halves Adobe publishes under
 * {@code static.adobeioevents.com} at the paths of {@code x-adobe-public-key1-path} / {@code -key2-path}. A delivery
 * is authentic when either signature verifies (Adobe rotates the key pair behind one of them at a time).
 *
 * <p>There is no network access here, and trusting a key named by the request itself would defeat the check (the
 * Standard Webhooks spec warns against it too): the public keys are configured per store as PEM ({@code -----BEGIN
 * PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo), passed as the candidate secrets; each signature is tried with each
 * key. The key-path headers are not needed for that and are not read.
 *
 * <p>A signature proves only that Adobe sent the event, not that it was sent to this store: every I/O Events
 * registration gets Adobe-signed deliveries. So each candidate secret also names the store's Developer Console
 * project, the recipient: {@code {"client_id": "<project client id>", "public_key": "-----BEGIN PUBLIC KEY-----..."}};
 * an authentic event whose {@code recipient_client_id} is another project's is {@code WRONG_RECIPIENT}. And the
 * CloudEvent {@code time} (inside the signed body) must be at most {@link #MAX_EVENT_AGE} old and at most
 * {@link #MAX_CLOCK_SKEW} ahead, so a captured delivery cannot be replayed later: Adobe retries a failed delivery
 * for 24 hours, plus one hour of margin for its queueing.
 */
final class AdobeIoEventsVerifier {
    static final String SIGNATURE_1 = "x-adobe-digital-signature-1";
    static final String SIGNATURE_2 = "x-adobe-digital-signature-2";

    static final Duration MAX_EVENT_AGE = Duration.ofHours(25);
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** One candidate secret: the recipient project's client id and the public key. */
    private record Recipient(String clientId, PublicKey key) {}

    VerificationResult verify(WebhookRequest request, List<WebhookSecret> publicKeys, Clock clock) {
        if (publicKeys.isEmpty()) {
            return new VerificationResult.Rejected(
                    RejectionReason.NO_SECRET, "no Adobe I/O Events public key configured");
        }
        Optional<String> first = nonBlank(request, SIGNATURE_1);
        Optional<String> second = nonBlank(request, SIGNATURE_2);
        if (first.isEmpty() && second.isEmpty()) {
            return new VerificationResult.Rejected(
                    RejectionReason.MISSING_HEADER, SIGNATURE_1 + " and " + SIGNATURE_2 + " headers are missing");
        }
        List<byte[]> signatures = new ArrayList<>();
        for (Optional<String> header : List.of(first, second)) {
            header.flatMap(AdobeIoEventsVerifier::decode).ifPresent(signatures::add);
        }
        if (signatures.isEmpty()) {
            return new VerificationResult.Rejected(
                    RejectionReason.MALFORMED_HEADER, "x-adobe-digital-signature headers are not base64");
        }
        List<Recipient> recipients = new ArrayList<>();
        for (WebhookSecret secret : publicKeys) {
            Optional<Recipient> recipient = parseSecret(secret);
            if (recipient.isEmpty()) {
                return new VerificationResult.Rejected(
                        RejectionReason.NO_SECRET,
                        "a configured Adobe I/O Events secret is not {\"client_id\", \"public_key\" (PEM RSA)}");
            }
            recipients.add(recipient.get());
        }
        byte[] body = request.body();
        for (byte[] signature : signatures) {
            for (int i = 0; i < recipients.size(); i++) {
                if (verifies(recipients.get(i).key(), body, signature)) {
                    return checkEvent(body, recipients.get(i).clientId(), clock, i);
                }
            }
        }
        return new VerificationResult.Rejected(
                RejectionReason.SIGNATURE_MISMATCH,
                "x-adobe-digital-signature headers do not verify the body under any configured public key");
    }

    /** The authentic body's recipient and time. */
    private static VerificationResult checkEvent(byte[] body, String clientId, Clock clock, int secretIndex) {
        JsonNode event;
        try {
            event = Json.parseObject(body);
        } catch (MappingException e) {
            return new VerificationResult.Rejected(RejectionReason.WRONG_RECIPIENT, "the event is not a JSON object");
        }
        String recipient = event.path("recipient_client_id")
                .asText(event.path("recipientclientid").asText(""));
        if (!MessageDigest.isEqual(
                recipient.getBytes(StandardCharsets.UTF_8), clientId.getBytes(StandardCharsets.UTF_8))) {
            return new VerificationResult.Rejected(
                    RejectionReason.WRONG_RECIPIENT, "recipient_client_id is not the store's configured client id");
        }
        Instant time;
        try {
            time = Instant.parse(event.path("time").asText(""));
        } catch (DateTimeParseException e) {
            return new VerificationResult.Rejected(
                    RejectionReason.TIMESTAMP_OUT_OF_TOLERANCE, "the event has no RFC 3339 UTC time");
        }
        Instant now = clock.instant();
        if (time.isBefore(now.minus(MAX_EVENT_AGE)) || time.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return new VerificationResult.Rejected(
                    RejectionReason.TIMESTAMP_OUT_OF_TOLERANCE,
                    "the event time is more than " + MAX_EVENT_AGE.toHours() + " h old or " + MAX_CLOCK_SKEW.toMinutes()
                            + " min ahead");
        }
        return new VerificationResult.Verified(secretIndex);
    }

    /** {@code {"client_id": ..., "public_key": PEM}}; empty when the secret is in another form. */
    private static Optional<Recipient> parseSecret(WebhookSecret secret) {
        JsonNode json;
        try {
            json = Json.parseObject(secret.bytes());
        } catch (MappingException e) {
            return Optional.empty();
        }
        String clientId = json.path("client_id").asText("").strip();
        if (clientId.isEmpty()) {
            return Optional.empty();
        }
        return parsePem(WebhookSecret.of(json.path("public_key").asText(" "))).map(key -> new Recipient(clientId, key));
    }

    private static boolean verifies(PublicKey key, byte[] body, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(body);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a signature of the wrong length for the key, for example
        }
    }

    /** An RSA public key from PEM ({@code BEGIN PUBLIC KEY}); empty when it is not one. */
    static Optional<PublicKey> parsePem(WebhookSecret pem) {
        String text = new String(pem.bytes(), StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = text.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            return Optional.empty();
        }
        String base64 = text.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end)
                .replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return Optional.of(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> decode(String value) {
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            return bytes.length == 0 ? Optional.empty() : Optional.of(bytes);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> nonBlank(WebhookRequest request, String header) {
        return request.header(header).map(String::trim).filter(v -> !v.isEmpty());
    }
}
