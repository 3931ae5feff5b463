package dev.commercesync.platforms.ebay;

import com.sun.net.httpserver.HttpServer;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-in for eBay's Notification API in tests: EC P-256 key pairs by key id, served as getPublicKey answers ({@code
 * GET <base>/commerce/notification/v1/public_key/<kid>}, eBay's shape) on 127.0.0.1, and notifications signed as eBay
 * signs them ({@code X-EBAY-SIGNATURE}: base64 of {@code {"alg":"ecdsa","kid","signature","digest":"SHA1"}}). Each
 * "tenant" is a base path with its own keys, so two candidate secrets can name two Notification APIs that know
 * different keys.
 */
final class EbayTestKeys implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, KeyPair> keys = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    EbayTestKeys() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int at = path.indexOf("/commerce/notification/v1/public_key/");
            String tenant = at < 0 ? "" : path.substring(1, at);
            String kid = at < 0 ? "" : path.substring(path.lastIndexOf('/') + 1);
            lookups.incrementAndGet();
            KeyPair pair = keys.get(tenant + "/" + kid);
            boolean authorized = exchange.getRequestHeaders().getFirst("Authorization") != null;
            byte[] body;
            int status;
            if (pair == null || !authorized) {
                status = authorized ? 404 : 401;
                body = "{\"errors\": [{\"errorId\": 195000, \"message\": \"Resource not found\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                body = ("{\"key\": \"-----BEGIN PUBLIC KEY-----"
                                + Base64.getEncoder()
                                        .encodeToString(pair.getPublic().getEncoded())
                                + "-----END PUBLIC KEY-----\", \"algorithm\": \"ECDSA\", \"digest\": \"SHA1\"}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** A new key pair under {@code tenant} with key id {@code kid}. */
    KeyPair add(String tenant, String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            keys.put(tenant + "/" + kid, pair);
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    URI notificationApi(String tenant) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + tenant);
    }

    /** The store secret naming this stand-in's {@code tenant} as the Notification API. */
    WebhookSecret secret(String tenant) {
        return WebhookSecret.of("{\"notification_api\": \"" + notificationApi(tenant)
                + "\", \"app_token\": \"app-token\", \"verification_token\": \"verification-token-of-" + tenant
                + "\", \"endpoint\": \"https://ingest.example.test/webhooks/ebay/test-seller\"}");
    }

    int lookups() {
        return lookups.get();
    }

    /** {@code X-EBAY-SIGNATURE} of the body, signed with the key pair, naming {@code kid}. */
    static String signature(byte[] body, KeyPair pair, String kid) {
        try {
            Signature signer = Signature.getInstance("SHA1withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(body);
            String signature = Base64.getEncoder().encodeToString(signer.sign());
            String json = "{\"alg\":\"ecdsa\",\"kid\":\"" + kid + "\",\"signature\":\"" + signature
                    + "\",\"digest\":\"SHA1\"}";
            return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> headerNames() {
        return List.of("X-EBAY-SIGNATURE");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
