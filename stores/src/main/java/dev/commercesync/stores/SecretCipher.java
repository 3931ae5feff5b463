package dev.commercesync.stores;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts store secrets at rest with AES-256-GCM (the JDK's provider). Each value gets a fresh 96-bit nonce, and the
 * row it belongs to ({@code platform/store/field}) is bound in as associated data, so a ciphertext copied into another
 * row or column does not decrypt. Stored form: {@code v1:} + base64(nonce || ciphertext || tag).
 */
public final class SecretCipher {
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    /** @param base64Key 32 random bytes, base64 (e.g. {@code openssl rand -base64 32}) */
    public SecretCipher(String base64Key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("commercesync.secrets.key is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(
                    "commercesync.secrets.key must be 32 bytes (base64 of 32 random bytes), got " + raw.length);
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public String encrypt(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return VERSION
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encrypting a store secret failed", e);
        }
    }

    /** A stored secret that this key cannot read (wrong key, damaged or hand-edited value); never shows the value. */
    public static final class UnreadableSecretException extends IllegalStateException {
        UnreadableSecretException(String message) {
            super(message);
        }
    }

    /** @throws UnreadableSecretException when the value was not produced by this key for this context */
    public String decrypt(String stored, String context) {
        if (stored == null || !stored.startsWith(VERSION)) {
            throw new UnreadableSecretException("stored secret for " + context + " is not in the v1 encrypted form");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UnreadableSecretException(
                    "stored secret for " + context + " does not decrypt with the configured key (wrong key?)");
        }
    }
}
