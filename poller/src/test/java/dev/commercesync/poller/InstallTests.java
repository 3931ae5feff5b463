package dev.commercesync.poller;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the install flow tests share: the merchant's browser, query strings, and the registry's stored column. */
final class InstallTests {
    /** A browser that shows each redirect instead of following it. */
    static final HttpClient BROWSER =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private InstallTests() {}

    /** The browser's GET of {@code uri}. */
    static HttpResponse<String> browse(URI uri) throws Exception {
        return BROWSER.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The decoded query of {@code uri}, in order. */
    static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] nv = pair.split("=", 2);
            query.put(
                    URLDecoder.decode(nv[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(nv.length > 1 ? nv[1] : "", StandardCharsets.UTF_8));
        }
        return query;
    }

    /** A GET of the service with {@code query}, redirects not followed. */
    static Response get(String path, Map<String, String> query) {
        var request = given().redirects().follow(false);
        for (var e : query.entrySet()) {
            request = request.queryParam(e.getKey(), e.getValue());
        }
        return request.get(path);
    }

    /** The store's {@code api_credentials} column as stored (null when deleted). */
    static String storedCredentials(String platform, String storeId) throws Exception {
        var stack = SharedStack.endpoints();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), "");
                var st = c.prepareStatement(
                        "select api_credentials from stores.store where platform = ? and store_id = ?")) {
            st.setString(1, platform);
            st.setString(2, storeId);
            ResultSet rs = st.executeQuery();
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
