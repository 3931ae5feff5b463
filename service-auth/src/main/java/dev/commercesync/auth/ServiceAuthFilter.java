package dev.commercesync.auth;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Puts {@link AccessRule} in front of every route of the service: the main HTTP port (REST resources, and the
 * management endpoints while they share it) and, when {@code quarkus.management.enabled=true}, the separate management
 * port. A filter on the Vert.x routers rather than a JAX-RS filter, so that {@code /q/metrics} and {@code /q/openapi}
 * (not JAX-RS resources) are covered too. Answers carry no detail beyond which setting is missing.
 */
@ApplicationScoped
public class ServiceAuthFilter {
    /** Before every other route, including the body handler: a refused request is not read. */
    private static final int ORDER = Integer.MIN_VALUE + 10;

    private final AccessRule rule;

    public ServiceAuthFilter(
            @ConfigProperty(name = "commercesync.admin.token") Optional<String> adminToken,
            @ConfigProperty(name = "commercesync.internal.token") Optional<String> internalToken) {
        this.rule = new AccessRule(adminToken, internalToken);
    }

    void onMainRouter(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    void onManagementRouter(@Observes ManagementInterface management) {
        management.router().route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        switch (rule.decide(path, ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            case ALLOW -> ctx.next();
            case UNAUTHORIZED -> {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                answer(ctx, 401, "unauthorized", "a valid bearer token is required (docs/auth.md)");
            }
            case NOT_CONFIGURED -> {
                String key = AccessRule.guard(path).configKey();
                answer(
                        ctx,
                        503,
                        "auth_not_configured",
                        "this endpoint is off until " + key + " ("
                                + key.toUpperCase(Locale.ROOT).replace('.', '_') + ") is set");
            }
        }
    }

    private static void answer(RoutingContext ctx, int status, String error, String message) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
    }
}
