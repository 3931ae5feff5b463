package dev.commercesync.auth;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Puts {@link AccessRule} in front of every route of the service: the main HTTP port (REST resources, and the
 * management endpoints while they share it) and, when {@code quarkus.management.enabled=true}, the separate management
 * port. A filter on the Vert.x routers rather than a JAX-RS filter, so that {@code /q/metrics} and {@code /q/openapi}
 * (not JAX-RS resources) are covered too. Answers carry no detail beyond which setting is missing.
 *
 * <p>A service with pages for people (the console) names their path prefix in {@code commercesync.auth.browser-pages}:
 * there a {@link BrowserSessions} cookie is required instead of a bearer token, {@code <prefix>/login} is open, and a
 * request without a valid session is redirected (303) to it. Other services set nothing and are unchanged.
 */
@ApplicationScoped
public class ServiceAuthFilter {
    /** Before every other route, including the body handler: a refused request is not read. */
    private static final int ORDER = Integer.MIN_VALUE + 10;

    private final AccessRule rule;
    private final Optional<String> browserPages;
    private final BrowserSessions sessions;

    public ServiceAuthFilter(
            @ConfigProperty(name = "commercesync.admin.token") Optional<String> adminToken,
            @ConfigProperty(name = "commercesync.internal.token") Optional<String> internalToken,
            @ConfigProperty(name = "commercesync.auth.browser-pages") Optional<String> browserPages,
            @ConfigProperty(name = "commercesync.auth.browser-session-ttl", defaultValue = "PT8H")
                    Duration sessionTtl) {
        this.rule = new AccessRule(adminToken, internalToken);
        this.browserPages = browserPages.map(p -> p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
        this.sessions = new BrowserSessions(adminToken, sessionTtl, Clock.systemUTC());
    }

    /** The sessions this filter accepts on the browser pages, for the service's login page to issue. */
    @Produces
    @Singleton
    BrowserSessions browserSessions() {
        return sessions;
    }

    void onMainRouter(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    void onManagementRouter(@Observes ManagementInterface management) {
        management.router().route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (browserPages.isPresent()
                && (path.equals(browserPages.get()) || path.startsWith(browserPages.get() + "/"))) {
            checkSession(ctx, path, browserPages.get());
            return;
        }
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

    private void checkSession(RoutingContext ctx, String path, String pages) {
        String login = pages + "/login";
        Cookie cookie = ctx.request().getCookie(BrowserSessions.COOKIE);
        if (path.equals(login) || (cookie != null && sessions.valid(cookie.getValue()))) {
            ctx.next();
        } else {
            ctx.response()
                    .setStatusCode(303)
                    .putHeader(HttpHeaders.LOCATION, login)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end();
        }
    }

    private static void answer(RoutingContext ctx, int status, String error, String message) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
    }
}
