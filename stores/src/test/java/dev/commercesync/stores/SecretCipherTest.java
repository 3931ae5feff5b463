package dev.commercesync.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private final SecretCipher cipher = new SecretCipher(KEY);

    @Test
    void roundTripsAndNeverStoresThePlaintext() {
        String stored = cipher.encrypt("shpss_topsecret", "shopify/acme/webhook_secret");

        assertTrue(stored.startsWith("v1:"));
        assertFalse(stored.contains("topsecret"));
        assertEquals("shpss_topsecret", cipher.decrypt(stored, "shopify/acme/webhook_secret"));
    }

    @Test
    void sameValueEncryptsDifferentlyEachTime() {
        assertNotEquals(cipher.encrypt("s", "ctx"), cipher.encrypt("s", "ctx"));
    }

    @Test
    void aCiphertextMovedToAnotherRowDoesNotDecrypt() {
        String stored = cipher.encrypt("secret", "shopify/acme/webhook_secret");

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> cipher.decrypt(stored, "shopify/other/webhook_secret"));
        assertFalse(e.getMessage().contains("secret\""), "message never shows the value");
    }

    @Test
    void anotherKeyDoesNotDecrypt() {
        String stored = cipher.encrypt("secret", "ctx");
        byte[] other = new byte[32];
        other[0] = 1;
        SecretCipher otherCipher = new SecretCipher(Base64.getEncoder().encodeToString(other));

        assertThrows(IllegalStateException.class, () -> otherCipher.decrypt(stored, "ctx"));
    }

    @Test
    void rejectsAKeyOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new SecretCipher(Base64.getEncoder().encodeToString(new byte[16])));
        assertTrue(e.getMessage().contains("32 bytes"));
    }
}
