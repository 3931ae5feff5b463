package dev.commercesync.platforms.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ApiCredentialsTest {

    @Test
    void readsTheTwoFormsAndABareToken() {
        assertEquals(new ApiCredentials.AccessToken("shpat_1"), ApiCredentials.parse("{\"token\":\"shpat_1\"}"));
        assertEquals(new ApiCredentials.AccessToken("shpat_1"), ApiCredentials.parse(" shpat_1 "));
        assertEquals(
                new ApiCredentials.KeyAndSecret("ck_1", "cs_1"),
                ApiCredentials.parse("{\"key\":\"ck_1\",\"secret\":\"cs_1\"}"));
    }

    @Test
    void errorsNeverShowTheValue() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ApiCredentials.parse("{\"key\":\"ck_secret\"}"));
        assertFalse(e.getMessage().contains("ck_secret"));
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> ApiCredentials.parse("{not json cs_secret"));
        assertFalse(bad.getMessage().contains("cs_secret"));
    }

    @Test
    void theStoredFormReadsBackAsTheSameCredentials() {
        ApiCredentials token = new ApiCredentials.AccessToken("shpat_\"quoted\"");
        ApiCredentials pair = new ApiCredentials.KeyAndSecret("ck_1", "cs:with:colons");

        assertEquals(token, ApiCredentials.parse(token.storedForm()));
        assertEquals(pair, ApiCredentials.parse(pair.storedForm()));
    }
}
