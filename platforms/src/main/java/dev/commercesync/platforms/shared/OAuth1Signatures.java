package dev.commercesync.platforms.shared;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OAuth 1.0a request signatures (RFC 5849 §3): the signature base string (§3.4.1), the HMAC signature keyed by the
 * client's and the token's secrets (§3.4.2) and the {@code Authorization: OAuth ...} header (§3.5.1). Signing and
 * checking are one code path, so the simulated platform checks exactly what the adapter signs; the RFC's own examples
 * pin it ({@code OAuth1SignaturesTest}). No library for it resolves in this build; this is the whole algorithm.
 */
public final class OAuth1Signatures {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern HEADER_PARAM = Pattern.compile("([A-Za-z0-9_.~%-]+)=\"([^\"]*)\"");

    private OAuth1Signatures() {}

    /** The HMAC signature methods: RFC 5849's HMAC-SHA1 and HMAC-SHA256 (which Adobe Commerce documents). */
    public enum Method {
        HMAC_SHA1("HMAC-SHA1", "HmacSHA1"),
        HMAC_SHA256("HMAC-SHA256", "HmacSHA256");

        private final String oauthName;
        private final String jcaName;

        Method(String oauthName, String jcaName) {
            this.oauthName = oauthName;
            this.jcaName = jcaName;
        }

        /** The {@code oauth_signature_method} value. */
        public String oauthName() {
            return oauthName;
        }
    }

    /** The client's (consumer's) credentials and, after the first step, the token's; toString hides the secrets. */
    public record Keys(String consumerKey, String consumerSecret, String token, String tokenSecret) {
        public Keys {
            if (consumerKey == null || consumerKey.isEmpty() || consumerSecret == null) {
                throw new IllegalArgumentException("OAuth 1.0a needs a consumer key and secret");
            }
        }

        /** Only the client's credentials (a temporary-credentials request). */
        public static Keys consumer(String consumerKey, String consumerSecret) {
            return new Keys(consumerKey, consumerSecret, null, null);
        }

        @Override
        public String toString() {
            return "Keys[" + consumerKey + ", ***]";
        }
    }

    /** RFC 5849 §3.6: UTF-8, every octet but {@code ALPHA DIGIT - . _ ~} as {@code %XX} (upper-case hex). */
    public static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    /**
     * RFC 5849 §3.4.1: {@code METHOD&base-uri&normalized-parameters}, the parameters being the URI's query, the
     * {@code oauth_*} protocol parameters (without {@code oauth_signature} and {@code realm}) and a form body's fields,
     * each encoded, sorted by name then value, joined by {@code &}.
     */
    public static String baseString(
            String httpMethod,
            URI uri,
            Map<String, String> protocolParameters,
            List<Map.Entry<String, String>> formBody) {
        List<Map.Entry<String, String>> all = new ArrayList<>(decodePairs(uri.getRawQuery()));
        protocolParameters.forEach((name, value) -> {
            if (!name.equals("oauth_signature") && !name.equals("realm")) {
                all.add(Map.entry(name, value));
            }
        });
        all.addAll(formBody);
        String normalized = all.stream()
                .map(e -> Map.entry(encode(e.getKey()), encode(e.getValue())))
                .sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        return httpMethod.toUpperCase(Locale.ROOT) + "&" + encode(baseUri(uri)) + "&" + encode(normalized);
    }

    /** RFC 5849 §3.4.1.2: scheme and host lower-case, the port only when not the scheme's default, the path. */
    static String baseUri(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort =
                port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }

    /** RFC 5849 §3.4.2: base64 of the HMAC of the base string, keyed {@code encode(client secret)&encode(token secret)}. */
    public static String signature(Method method, String baseString, String consumerSecret, String tokenSecret) {
        String key = encode(consumerSecret) + "&" + encode(tokenSecret == null ? "" : tokenSecret);
        try {
            Mac mac = Mac.getInstance(method.jcaName);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), method.jcaName));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(method.jcaName + " is unavailable in this JVM", e);
        }
    }

    /**
     * The {@code Authorization} header of a request signed with {@code keys} (a fresh nonce, the clock's timestamp),
     * {@code extra} protocol parameters added ({@code oauth_verifier}); the request has no form body.
     */
    public static String authorization(
            Method method, String httpMethod, URI uri, Keys keys, Map<String, String> extra, Clock clock) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return authorization(
                method,
                httpMethod,
                uri,
                keys,
                extra,
                HexFormat.of().formatHex(nonce),
                Long.toString(clock.instant().getEpochSecond()));
    }

    /** As {@link #authorization(Method, String, URI, Keys, Map, Clock)} with a given nonce and timestamp. */
    public static String authorization(
            Method method,
            String httpMethod,
            URI uri,
            Keys keys,
            Map<String, String> extra,
            String nonce,
            String timestamp) {
        Map<String, String> oauth = new LinkedHashMap<>();
        oauth.put("oauth_consumer_key", keys.consumerKey());
        oauth.put("oauth_nonce", nonce);
        oauth.put("oauth_signature_method", method.oauthName());
        oauth.put("oauth_timestamp", timestamp);
        if (keys.token() != null) {
            oauth.put("oauth_token", keys.token());
        }
        oauth.put("oauth_version", "1.0");
        oauth.putAll(extra);
        oauth.put(
                "oauth_signature",
                signature(
                        method,
                        baseString(httpMethod, uri, oauth, List.of()),
                        keys.consumerSecret(),
                        keys.tokenSecret()));
        return "OAuth "
                + oauth.entrySet().stream()
                        .map(e -> encode(e.getKey()) + "=\"" + encode(e.getValue()) + "\"")
                        .collect(Collectors.joining(", "));
    }

    /** The protocol parameters of an {@code Authorization: OAuth ...} header, decoded; empty when it is no such header. */
    public static Map<String, String> parseAuthorization(String header) {
        Map<String, String> params = new LinkedHashMap<>();
        if (header == null || !header.regionMatches(true, 0, "OAuth ", 0, 6)) {
            return params;
        }
        Matcher m = HEADER_PARAM.matcher(header.substring(6));
        while (m.find()) {
            params.put(decode(m.group(1)), decode(m.group(2)));
        }
        return params;
    }

    /**
     * Whether {@code protocolParameters} (a parsed header) carry a valid signature of the request by the holder of
     * these secrets, with the method they name; compared in constant time.
     */
    public static boolean verifies(
            String httpMethod,
            URI uri,
            Map<String, String> protocolParameters,
            String consumerSecret,
            String tokenSecret) {
        String presented = protocolParameters.get("oauth_signature");
        String named = protocolParameters.getOrDefault("oauth_signature_method", "");
        Method method = null;
        for (Method candidate : Method.values()) {
            if (candidate.oauthName().equals(named)) {
                method = candidate;
            }
        }
        if (presented == null || method == null) {
            return false;
        }
        String expected = signature(
                method, baseString(httpMethod, uri, protocolParameters, List.of()), consumerSecret, tokenSecret);
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes {@code name=value&...} (a token endpoint's answer, a query) in order, repeated names kept. */
    public static List<Map.Entry<String, String>> decodePairs(String raw) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return pairs;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            pairs.add(Map.entry(
                    decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1))));
        }
        return pairs;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
