package dev.commercesync.platforms.shared;

import dev.commercesync.platforms.spi.PlatformAdapter;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule a store's {@code api_base_url} must follow before the poller sends the store's API credentials to it:
 * https, no userinfo, no query or fragment, a public DNS name or public IP literal (never loopback, private,
 * link-local such as the cloud metadata address 169.254.169.254, or numeric host spellings such as {@code 2852039166}),
 * and the platform's own host rule ({@link PlatformAdapter#apiHostProblem}). Names are not resolved here: a public
 * name that resolves to a private address (DNS rebinding) is out of scope (docs/security.md).
 *
 * <p>With {@code allowInsecure} (local runs against simulated stores on 127.0.0.1, containers on a private network)
 * http, loopback, private addresses and single-label host names are allowed and the platform's host rule is skipped,
 * but never userinfo, link-local addresses (the cloud metadata endpoint) or numeric host spellings: a dev flag left on
 * by mistake still does not send credentials to the metadata service.
 */
public final class ApiBaseUrls {
    private static final int MAX_LENGTH = 2048;
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** A container or host name without dots (starts with a letter, so never a numeric address spelling). */
    private static final Pattern SINGLE_LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    private static final Pattern DNS_NAME =
            Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    private ApiBaseUrls() {}

    /** Why {@code url} cannot be {@code adapter}'s API base URL; empty when it can. Never echoes the URL. */
    public static Optional<String> problem(PlatformAdapter adapter, String url, boolean allowInsecure) {
        if (url == null || url.isBlank()) {
            return Optional.of("must not be empty");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowInsecure && scheme.equals("http"))) {
            return Optional.of(allowInsecure ? "must be an http(s) URL" : "must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not contain user information (credentials go in api_credentials)");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("must name a host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("must not have a query or fragment");
        }
        Optional<String> address = hostProblem(host.toLowerCase(Locale.ROOT), allowInsecure);
        if (allowInsecure || address.isPresent()) {
            return address;
        }
        return adapter.apiHostProblem(uri);
    }

    private static Optional<String> hostProblem(String host, boolean allowLocal) {
        boolean ipv6 = host.startsWith("[");
        if (ipv6 || IPV4_LITERAL.matcher(host).matches()) {
            return addressProblem(ipv6 ? host.substring(1, host.length() - 1) : host, allowLocal);
        }
        if (allowLocal && SINGLE_LABEL.matcher(host).matches()) {
            return Optional.empty();
        }
        if (!DNS_NAME.matcher(host).matches()) {
            return Optional.of("must name a public DNS host or a public IP address");
        }
        if (allowLocal) {
            return Optional.empty();
        }
        if (host.equals("localhost")
                || host.endsWith(".localhost")
                || host.endsWith(".local")
                || host.endsWith(".internal")) {
            return Optional.of("must not name a local or internal host");
        }
        return Optional.empty();
    }

    /**
     * {@code literal} is an IP literal, so {@link InetAddress#getByName} parses it without a DNS query. Link-local
     * (metadata), any-local, multicast and reserved addresses are always refused; loopback and private ones only
     * without {@code allowLocal}.
     */
    private static Optional<String> addressProblem(String literal, boolean allowLocal) {
        InetAddress address;
        try {
            address = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return Optional.of("is not a valid IP address");
        }
        byte[] b = address.getAddress();
        boolean carrierGradeNat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        boolean uniqueLocalV6 = b.length == 16 && (b[0] & 0xfe) == 0xfc;
        if (address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isMulticastAddress()
                || (b.length == 4 && (b[0] == 0 || (b[0] & 0xff) >= 240))) {
            return Optional.of("must not be a link-local, multicast or reserved address");
        }
        if (!allowLocal
                && (address.isLoopbackAddress() || address.isSiteLocalAddress() || carrierGradeNat || uniqueLocalV6)) {
            return Optional.of("must not be a loopback, private, link-local or reserved address");
        }
        return Optional.empty();
    }
}
