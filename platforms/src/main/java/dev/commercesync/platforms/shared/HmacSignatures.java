package dev.commercesync.platforms.shared;

import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.VerificationResult.RejectionReason;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 webhook signatures (Shopify, WooCommerce, BigCommerce's Standard Webhooks): computing them and
 * comparing them in constant time against each candidate secret.
 */
public final class HmacSignatures {
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_LENGTH = 32;

    private HmacSignatures() {}

    public static byte[] hmacSha256(WebhookSecret secret, byte[] signedContent) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.bytes(), ALGORITHM));
            return mac.doFinal(signedContent);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    public static String base64HmacSha256(WebhookSecret secret, byte[] signedContent) {
        return Base64.getEncoder().encodeToString(hmacSha256(secret, signedContent));
    }

    /**
     * Index of the first candidate secret whose HMAC of the content equals the presented MAC, compared with {@link
     * MessageDigest#isEqual} (constant time).
     */
    public static Optional<Integer> matchingSecret(
            byte[] presentedMac, byte[] signedContent, List<WebhookSecret> candidateSecrets) {
        for (int i = 0; i < candidateSecrets.size(); i++) {
            if (MessageDigest.isEqual(presentedMac, hmacSha256(candidateSecrets.get(i), signedContent))) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * Verifies a header that carries base64(HMAC-SHA256(secret, signed content)), the scheme of Shopify and
     * WooCommerce.
     */
    public static VerificationResult verifyBase64Header(
            WebhookRequest request, String headerName, byte[] signedContent, List<WebhookSecret> candidateSecrets) {
        if (candidateSecrets.isEmpty()) {
            return new VerificationResult.Rejected(RejectionReason.NO_SECRET, "no webhook secret configured");
        }
        Optional<String> header = request.header(headerName).map(String::trim);
        if (header.isEmpty() || header.get().isEmpty()) {
            return new VerificationResult.Rejected(RejectionReason.MISSING_HEADER, headerName + " header is missing");
        }
        Optional<byte[]> presented = decodeBase64Mac(header.get());
        if (presented.isEmpty()) {
            return new VerificationResult.Rejected(
                    RejectionReason.MALFORMED_HEADER, headerName + " is not a base64 HMAC-SHA256 value");
        }
        return verifyMac(presented.get(), signedContent, candidateSecrets, headerName);
    }

    /** Compares an already decoded MAC; for schemes that wrap it (Standard Webhooks {@code v1,<base64>}). */
    public static VerificationResult verifyMac(
            byte[] presentedMac, byte[] signedContent, List<WebhookSecret> candidateSecrets, String headerName) {
        return matchingSecret(presentedMac, signedContent, candidateSecrets)
                .<VerificationResult>map(VerificationResult.Verified::new)
                .orElseGet(() -> new VerificationResult.Rejected(
                        RejectionReason.SIGNATURE_MISMATCH,
                        headerName + " does not match the body under any configured secret"));
    }

    /** Decodes a base64 HMAC-SHA256 value; empty when it is not base64 or not 32 bytes long. */
    public static Optional<byte[]> decodeBase64Mac(String value) {
        try {
            byte[] mac = Base64.getDecoder().decode(value);
            return mac.length == MAC_LENGTH ? Optional.of(mac) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
