package dev.commercesync.platforms.spi;

/** Outcome of checking a webhook signature. Never carries the secret, the signature or the body. */
public sealed interface VerificationResult {

    /** Why a delivery was rejected. */
    enum RejectionReason {
        /** The signature (or timestamp) header is absent. */
        MISSING_HEADER,
        /** The header is present but not in the documented format (not base64, wrong length, bad prefix). */
        MALFORMED_HEADER,
        /** Well-formed, but no candidate secret produces it: wrong secret or tampered body. */
        SIGNATURE_MISMATCH,
        /** The signed timestamp is outside the platform's tolerance (replay protection). */
        TIMESTAMP_OUT_OF_TOLERANCE,
        /** No candidate secret was given (the store has none configured), or it is not in the platform's form. */
        NO_SECRET,
        /** Authentic, but addressed to another recipient than the store's (Adobe I/O Events recipient client id). */
        WRONG_RECIPIENT
    }

    default boolean verified() {
        return this instanceof Verified;
    }

    /** @param secretIndex index of the candidate secret that matched (0 = current, 1 = previous) */
    record Verified(int secretIndex) implements VerificationResult {}

    /** @param message precise, safe to log: names the header and the problem, never a value */
    record Rejected(RejectionReason reason, String message) implements VerificationResult {}
}
