package dev.commercesync.platforms.shared;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The store id of a self-hosted store's site URL (WooCommerce, Adobe Commerce): host, port and path, without scheme
 * or trailing slash ({@code https://Example.com/shop/} → {@code example.com/shop}), so that http/https and slash
 * variants of one site are one store.
 */
public final class SiteUrls {
    private SiteUrls() {}

    /** The store id of {@code siteUrl}, leniently (a webhook's source header); empty when it names no host. */
    public static Optional<String> storeId(String siteUrl) {
        try {
            URI uri = URI.create(siteUrl.trim());
            if (uri.getHost() == null) {
                return Optional.empty();
            }
            String host = uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
            return Optional.of(host + path);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * {@link #strictStoreId} of the site URL, accepted only when the adapter takes it as a store id ({@code valid}):
     * what an install flow of a self-hosted platform does with the URL it is given.
     *
     * @throws IllegalArgumentException when it is no such URL or no valid store id
     */
    public static String installStoreId(String siteUrl, java.util.function.Predicate<String> valid) {
        String storeId = strictStoreId(siteUrl);
        if (!valid.test(storeId)) {
            throw new IllegalArgumentException("not a site URL");
        }
        return storeId;
    }

    /**
     * The store id of a site URL a merchant or a platform's install gave: only {@code https://host[:port][/path][/]};
     * anything the store id would drop (userinfo, query, fragment, another scheme) is refused rather than ignored.
     *
     * @throws IllegalArgumentException when it is no such URL
     */
    public static String strictStoreId(String siteUrl) {
        URI uri;
        try {
            uri = URI.create(siteUrl == null ? "" : siteUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || (uri.getRawPath() != null && uri.getRawPath().contains(".."))) {
            throw new IllegalArgumentException("not an https://site[/path] URL without credentials, query or fragment");
        }
        return storeId(uri.toString()).orElseThrow(() -> new IllegalArgumentException("not a site URL"));
    }
}
