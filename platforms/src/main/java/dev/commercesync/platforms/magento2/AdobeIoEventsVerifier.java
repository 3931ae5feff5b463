package dev.commercesync.platforms.magento2;

import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.VerificationResult.RejectionReason;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
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
 */
final class AdobeIoEventsVerifier {
    static final String SIGNATURE_1 = "x-adobe-digital-signature-1";
    static final String SIGNATURE_2 = "x-adobe-digital-signature-2";

    VerificationResult verify(WebhookRequest request, List<WebhookSecret> publicKeys) {
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
        List<PublicKey> keys = new ArrayList<>();
        for (WebhookSecret pem : publicKeys) {
            Optional<PublicKey> key = parsePem(pem);
            if (key.isEmpty()) {
                return new VerificationResult.Rejected(
                        RejectionReason.NO_SECRET, "a configured Adobe I/O Events key is not a PEM RSA public key");
            }
            keys.add(key.get());
        }
        byte[] body = request.body();
        for (byte[] signature : signatures) {
            for (int i = 0; i < keys.size(); i++) {
                if (verifies(keys.get(i), body, signature)) {
                    return new VerificationResult.Verified(i);
                }
            }
        }
        return new VerificationResult.Rejected(
                RejectionReason.SIGNATURE_MISMATCH,
                "x-adobe-digital-signature headers do not verify the body under any configured public key");
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
