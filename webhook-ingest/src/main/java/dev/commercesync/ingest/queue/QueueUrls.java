package dev.commercesync.ingest.queue;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules for the queue consumer's URLs, checked before the first request signed with the AWS credentials is sent:
 *
 * <ul>
 *   <li>{@code endpoint} (an SQS-compatible server instead of the region's SQS endpoint): {@code https://host[:port]},
 *       or {@code http://} to a loopback address or a single-label host name (a local server or a container beside the
 *       ingest); never user information, a path, query or fragment, nor a link-local address (the cloud metadata
 *       endpoint 169.254.169.254).
 *   <li>{@code url} and {@code dead-letter-url} (queue URLs, {@code https://<sqs host>/<account>/<queue name>}): https
 *       with a host and a path of account and queue name, no user information, query or fragment; http only when an
 *       {@code endpoint} is set (the local server's own queue URLs).
 * </ul>
 *
 * Problems never echo the URL: user information in it would be a credential.
 */
final class QueueUrls {
    private static final Pattern SINGLE_LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** SQS's queue path: the 12-digit account (any digits on SQS-compatible servers) and a queue name of ≤ 80 chars. */
    private static final Pattern QUEUE_PATH = Pattern.compile("/[0-9]{1,20}/[A-Za-z0-9_-]{1,75}(\\.fifo)?");

    private QueueUrls() {}

    /** Why {@code endpoint} cannot be the SQS endpoint; empty when it can. */
    static Optional<String> endpointProblem(URI endpoint) {
        Optional<String> common = common(endpoint);
        if (common.isPresent()) {
            return common;
        }
        String path = endpoint.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            return Optional.of("must have no path (the queue URL names the queue)");
        }
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        Optional<InetAddress> literal = ipLiteral(host);
        if (literal.isPresent()
                && (literal.get().isLinkLocalAddress() || literal.get().isAnyLocalAddress())) {
            return Optional.of("must not be a link-local or unspecified address");
        }
        boolean local = host.equals("localhost")
                || SINGLE_LABEL.matcher(host).matches()
                || literal.map(InetAddress::isLoopbackAddress).orElse(false);
        if (scheme(endpoint).equals("http") && !local) {
            return Optional.of("must be https unless it is a loopback address or a single-label host (a local server)");
        }
        return Optional.empty();
    }

    /** Why {@code url} cannot be a queue URL; empty when it can. {@code localEndpoint}: an endpoint is configured. */
    static Optional<String> queueUrlProblem(String url, boolean localEndpoint) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        Optional<String> common = common(uri);
        if (common.isPresent()) {
            return common;
        }
        if (scheme(uri).equals("http") && !localEndpoint) {
            return Optional.of("must be https (http only with an endpoint, a local SQS-compatible server)");
        }
        if (uri.getRawPath() == null || !QUEUE_PATH.matcher(uri.getRawPath()).matches()) {
            return Optional.of("must be a queue URL, <scheme>://<host>/<account>/<queue name>");
        }
        return Optional.empty();
    }

    private static Optional<String> common(URI uri) {
        String scheme = scheme(uri);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("must be an http(s) URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not contain user information (credentials are configured apart)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must name a host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("must not have a query or fragment");
        }
        return Optional.empty();
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** The address of an IP literal host (parsed without a DNS query); empty for a name. */
    private static Optional<InetAddress> ipLiteral(String host) {
        boolean ipv6 = host.startsWith("[");
        if (!ipv6 && !IPV4_LITERAL.matcher(host).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(ipv6 ? host.substring(1, host.length() - 1) : host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
