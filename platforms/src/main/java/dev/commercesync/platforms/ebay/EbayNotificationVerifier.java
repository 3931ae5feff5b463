package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.VerificationResult.RejectionReason;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * eBay Notification API push notifications: {@code X-EBAY-SIGNATURE} is base64 of a JSON object {@code {"alg":
 * "ecdsa", "kid": "<public key id>", "signature": "<base64 DER ECDSA signature>", "digest": "SHA1"}}; the signature is
 * over the raw body, verified with the public key eBay's Notification API returns for {@code kid} (getPublicKey) and
 * the algorithm it names ({@code ECDSA} with digest {@code SHA1}: {@code SHA1withECDSA}). Keys are cached ({@link
 * EbayPublicKeys}).
 *
 * <p>The key is fetched with the store's configured credentials from the configured Notification API, never from an
 * address the request names. Each candidate secret is a JSON object ({@link EbayStoreSecret}): {@code
 * notification_api} (default {@code https://api.ebay.com}) and {@code app_token} (an application access token, from
 * the client-credentials grant), plus the account-deletion endpoint's {@code verification_token} and {@code endpoint}.
 * A candidate verifies a delivery when its Notification API knows the key id and the key verifies the body.
 *
 * <p>eBay signs no timestamp: a captured delivery verifies again later. Its {@code notificationId} is the dedup key, so
 * a replay is recognised as a duplicate downstream.
 */
final class EbayNotificationVerifier {
    static final String SIGNATURE_HEADER = "x-ebay-signature";

    /** The decoded header. */
    record SignatureHeader(String alg, String kid, byte[] signature, String digest) {}

    private final EbayPublicKeys keys;

    EbayNotificationVerifier(EbayPublicKeys keys) {
        this.keys = keys;
    }

    VerificationResult verify(WebhookRequest request, List<WebhookSecret> candidates) {
        if (candidates.isEmpty()) {
            return new VerificationResult.Rejected(
                    RejectionReason.NO_SECRET, "no eBay notification credentials configured");
        }
        Optional<String> header =
                request.header(SIGNATURE_HEADER).map(String::trim).filter(v -> !v.isEmpty());
        if (header.isEmpty()) {
            return new VerificationResult.Rejected(
                    RejectionReason.MISSING_HEADER, "X-EBAY-SIGNATURE header is missing");
        }
        Optional<SignatureHeader> parsed = parse(header.get());
        if (parsed.isEmpty()) {
            return new VerificationResult.Rejected(
                    RejectionReason.MALFORMED_HEADER,
                    "X-EBAY-SIGNATURE is not base64 of {\"alg\": \"ecdsa\", \"kid\", \"signature\", \"digest\"}");
        }
        List<EbayStoreSecret> secrets = new ArrayList<>();
        for (WebhookSecret candidate : candidates) {
            Optional<EbayStoreSecret> secret = EbayStoreSecret.parse(candidate);
            if (secret.isEmpty() || secret.get().appToken().isEmpty()) {
                return new VerificationResult.Rejected(
                        RejectionReason.NO_SECRET,
                        "a configured eBay secret is not {\"notification_api\", \"app_token\", ...}");
            }
            secrets.add(secret.get());
        }
        SignatureHeader signature = parsed.get();
        byte[] body = request.body();
        boolean unavailable = false;
        for (int i = 0; i < secrets.size(); i++) {
            EbayStoreSecret secret = secrets.get(i);
            Optional<EbayPublicKeys.Entry> key;
            try {
                key = keys.key(secret.notificationApi(), secret.appToken().get(), signature.kid());
            } catch (PlatformApiException e) {
                unavailable = true;
                continue;
            }
            if (key.isPresent() && verifies(key.get(), signature, body)) {
                return new VerificationResult.Verified(i);
            }
        }
        return new VerificationResult.Rejected(
                RejectionReason.SIGNATURE_MISMATCH,
                unavailable
                        ? "the public key of the X-EBAY-SIGNATURE key id could not be fetched from eBay's Notification"
                                + " API (eBay retries the notification)"
                        : "X-EBAY-SIGNATURE does not verify the body under the public key of its key id");
    }

    private static boolean verifies(EbayPublicKeys.Entry key, SignatureHeader header, byte[] body) {
        if (key.algorithm().isEmpty() || key.key().isEmpty()) {
            return false;
        }
        // The header's own alg and digest must agree with the key's (eBay names ECDSA/SHA1 in both).
        if (!key.algorithm().equals(EbayPublicKeys.signatureAlgorithm(header.digest(), header.alg()))) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(key.algorithm());
            verifier.initVerify(key.key().get());
            verifier.update(body);
            return verifier.verify(header.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a signature that is not DER, for example
        }
    }

    /** The decoded {@code X-EBAY-SIGNATURE}; empty when it is not in eBay's form. */
    static Optional<SignatureHeader> parse(String header) {
        if (header.length() > 16 * 1024) {
            return Optional.empty();
        }
        try {
            JsonNode json = Json.parseObject(Base64.getDecoder().decode(header));
            String kid = json.path("kid").asText("");
            String signature = json.path("signature").asText("");
            if (kid.isEmpty() || signature.isEmpty() || !json.path("kid").isTextual()) {
                return Optional.empty();
            }
            byte[] der = Base64.getDecoder().decode(signature);
            if (der.length == 0) {
                return Optional.empty();
            }
            return Optional.of(new SignatureHeader(
                    json.path("alg").asText(""), kid, der, json.path("digest").asText("")));
        } catch (IllegalArgumentException | MappingException e) {
            return Optional.empty();
        }
    }
}
