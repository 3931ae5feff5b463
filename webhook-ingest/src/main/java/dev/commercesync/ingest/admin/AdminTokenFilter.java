package dev.commercesync.ingest.admin;

import dev.commercesync.ingest.ErrorAnswer;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards {@code /admin/*} with a bearer token ({@code commercesync.admin.token}), compared in constant time. Without a
 * configured token the admin API is off (503), never open.
 */
public class AdminTokenFilter {
    private final Optional<byte[]> token;

    public AdminTokenFilter(@ConfigProperty(name = "commercesync.admin.token") Optional<String> token) {
        this.token = token.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/admin")) {
            return Optional.empty();
        }
        if (token.isEmpty()) {
            return Optional.of(ErrorAnswer.response(
                    Response.Status.SERVICE_UNAVAILABLE,
                    "admin_disabled",
                    "the admin API is off: set commercesync.admin.token (COMMERCESYNC_ADMIN_TOKEN)"));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        byte[] presented = header != null && header.startsWith("Bearer ")
                ? header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(presented, token.get())) {
            return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .type("application/json")
                    .entity(new ErrorAnswer("unauthorized", "a valid admin bearer token is required"))
                    .build());
        }
        return Optional.empty();
    }
}
