package dev.commercesync.platforms.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.shared.OAuth1Signatures.Keys;
import dev.commercesync.platforms.shared.OAuth1Signatures.Method;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OAuth 1.0a signatures against the published examples of RFC 5849 and of OAuth Core 1.0 (Appendix A.5). */
class OAuth1SignaturesTest {

    /** RFC 5849 §3.4.1.1: the base string of a POST with a query, a form body and protocol parameters. */
    @Test
    void theBaseStringOfRfc5849Section3411() {
        Map<String, String> oauth = new LinkedHashMap<>();
        oauth.put("realm", "Example");
        oauth.put("oauth_consumer_key", "9djdj82h48djs9d2");
        oauth.put("oauth_token", "kkk9d7dh3k39sjv7");
        oauth.put("oauth_signature_method", "HMAC-SHA1");
        oauth.put("oauth_timestamp", "137131201");
        oauth.put("oauth_nonce", "7d8f3e4a");
        oauth.put("oauth_signature", "bYT5CMsGcbgUdFHObYMEfcx6bsw=");
        String base = OAuth1Signatures.baseString(
                "POST",
                URI.create("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"),
                oauth,
                OAuth1Signatures.decodePairs("c2&a3=2+q"));
        assertEquals(
                "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D"
                        + "%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a"
                        + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201"
                        + "%26oauth_token%3Dkkk9d7dh3k39sjv7",
                base);
    }

    /** OAuth Core 1.0 Appendix A.5: the protected resource request of photos.example.net, signed HMAC-SHA1. */
    @Test
    void theSignatureOfTheSpecsPhotosExample() {
        URI uri = URI.create("http://photos.example.net/photos?file=vacation.jpg&size=original");
        Keys keys = new Keys("dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
        String header = OAuth1Signatures.authorization(
                Method.HMAC_SHA1, "GET", uri, keys, Map.of(), "kllo9940pd9333jh", "1191242096");

        Map<String, String> sent = OAuth1Signatures.parseAuthorization(header);
        assertEquals("tR3+Ty81lMeYAr/Fid0kMTYa/WM=", sent.get("oauth_signature"));
        assertEquals("1.0", sent.get("oauth_version"));
        assertTrue(header.contains("oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\""), header);
        assertTrue(OAuth1Signatures.verifies("GET", uri, sent, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"));
    }

    @Test
    void aChangedRequestOrSecretOrAnUnknownMethodDoesNotVerify() {
        URI uri = URI.create("https://shop.example.com/rest/V1/orders?searchCriteria%5BpageSize%5D=1");
        Keys keys = new Keys("ck", "cs", "at", "ats");
        Map<String, String> sent = OAuth1Signatures.parseAuthorization(OAuth1Signatures.authorization(
                Method.HMAC_SHA256, "GET", uri, keys, Map.of("oauth_verifier", "v 1"), "n", "1"));
        assertEquals("HMAC-SHA256", sent.get("oauth_signature_method"));
        assertEquals("v 1", sent.get("oauth_verifier"));
        assertTrue(OAuth1Signatures.verifies("GET", uri, sent, "cs", "ats"));
        assertFalse(OAuth1Signatures.verifies("POST", uri, sent, "cs", "ats"));
        assertFalse(OAuth1Signatures.verifies(
                "GET",
                URI.create("https://shop.example.com/rest/V1/orders?searchCriteria%5BpageSize%5D=2"),
                sent,
                "cs",
                "ats"));
        assertFalse(OAuth1Signatures.verifies("GET", uri, sent, "cs", "other"));
        Map<String, String> plaintext = new LinkedHashMap<>(sent);
        plaintext.put("oauth_signature_method", "PLAINTEXT");
        assertFalse(OAuth1Signatures.verifies("GET", uri, plaintext, "cs", "ats"));
        assertTrue(OAuth1Signatures.parseAuthorization("Bearer abc").isEmpty());
    }

    @Test
    void percentEncodingIsRfc5849s() {
        assertEquals("a-._~%20%2B%2A%25%C3%A9", OAuth1Signatures.encode("a-._~ +*%é"));
        assertEquals(
                List.of(Map.entry("oauth_token", "t"), Map.entry("oauth_token_secret", "s=")),
                OAuth1Signatures.decodePairs("oauth_token=t&oauth_token_secret=s%3D"));
    }
}
