package dev.commercesync.poller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.commercesync.platforms.spi.ApiCredentials;
import org.junit.jupiter.api.Test;

class StoreCredentialsTest {

    @Test
    void readsTheTwoFormsAndABareToken() {
        assertEquals(new ApiCredentials.AccessToken("shpat_1"), StoreCredentials.parse("{\"token\":\"shpat_1\"}"));
        assertEquals(new ApiCredentials.AccessToken("shpat_1"), StoreCredentials.parse(" shpat_1 "));
        assertEquals(
                new ApiCredentials.KeyAndSecret("ck_1", "cs_1"),
                StoreCredentials.parse("{\"key\":\"ck_1\",\"secret\":\"cs_1\"}"));
    }

    @Test
    void errorsNeverShowTheValue() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> StoreCredentials.parse("{\"key\":\"ck_secret\"}"));
        assertFalse(e.getMessage().contains("ck_secret"));
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> StoreCredentials.parse("{not json cs_secret"));
        assertFalse(bad.getMessage().contains("cs_secret"));
    }
}
