package dev.commercesync.console;

import dev.commercesync.auth.BrowserSessions;
import dev.commercesync.console.series.StoreCharts;
import dev.commercesync.kafka.Quarantine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * The console's pages (docs/console.md), server-rendered with Qute. {@code /console/*} needs a browser session
 * (service-auth's filter, {@code commercesync.auth.browser-pages}): the operator logs in with the admin token and gets
 * an HttpOnly, SameSite=Strict cookie that is not the token. No page renders a secret or a payload.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsolePages {
    private static final Logger LOG = Logger.getLogger(ConsolePages.class);

    private final ConsoleService console;
    private final QuarantineBulkRetry bulkRetry;
    private final StoreActivities activities;
    private final StoreCharts charts;
    private final BrowserSessions sessions;
    private final boolean secureCookie;
    private final Template overview;
    private final Template store;
    private final Template quarantine;
    private final Template login;

    public ConsolePages(
            ConsoleService console,
            QuarantineBulkRetry bulkRetry,
            StoreActivities activities,
            StoreCharts charts,
            BrowserSessions sessions,
            @ConfigProperty(name = "commercesync.console.secure-cookie", defaultValue = "true") boolean secureCookie,
            Template overview,
            Template store,
            Template quarantine,
            Template login) {
        this.console = console;
        this.bulkRetry = bulkRetry;
        this.activities = activities;
        this.charts = charts;
        this.sessions = sessions;
        this.secureCookie = secureCookie;
        this.overview = overview;
        this.store = store;
        this.quarantine = quarantine;
        this.login = login;
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance overview() {
        return overview.data("overview", console.overview()).data("sparklines", charts.sparklines());
    }

    @GET
    @Path("/stores/{platform}/{store}")
    @Operation(hidden = true)
    public TemplateInstance store(
            @PathParam("platform") String platform,
            @PathParam("store") String storeId,
            @QueryParam("retried") String retried,
            @QueryParam("notice") String notice,
            @QueryParam("warning") String warning) {
        return store.data("detail", console.store(platform, storeId).orElseThrow(NotFoundException::new))
                .data("activity", activities.of(platform, storeId))
                .data("retried", retried)
                .data("notice", notice)
                .data("warning", warning)
                .data("charts", charts.charts(platform, storeId));
    }

    @GET
    @Path("/quarantine")
    @Operation(hidden = true)
    public TemplateInstance quarantine(
            @QueryParam("platform") String platform,
            @QueryParam("store") String storeId,
            @QueryParam("retried") String retried) {
        return quarantine
                .data("items", console.quarantine(platform, storeId, false))
                .data("platform", platform)
                .data("store", storeId)
                .data("retried", retried);
    }

    /** Retries and goes back to the page it came from: the store's page, or the (filtered) quarantine page. */
    @POST
    @Path("/quarantine/{id}/retry")
    @Operation(hidden = true)
    public Response retry(
            @PathParam("id") String id,
            @FormParam("back") String back,
            @FormParam("platform") String platform,
            @FormParam("store") String storeId)
            throws InterruptedException, ExecutionException {
        String outcome;
        try {
            outcome = "Re-submitted " + id + " as " + console.retry(id).resubmittedAs();
        } catch (NoSuchElementException | Quarantine.NotRetryable e) {
            outcome = e.getMessage();
        }
        boolean filtered = platform != null && !platform.isBlank() && storeId != null && !storeId.isBlank();
        UriBuilder page;
        if ("store".equals(back) && filtered) {
            page = UriBuilder.fromPath("/console/stores").path(platform).path(storeId);
        } else {
            page = UriBuilder.fromPath("/console/quarantine");
            if (filtered) {
                page.queryParam("platform", platform).queryParam("store", storeId);
            }
        }
        return Response.seeOther(page.queryParam("retried", outcome).build()).build();
    }

    /** Retries every record the (filtered) quarantine page shows, and goes back to it. */
    @POST
    @Path("/quarantine/retry")
    @Operation(hidden = true)
    public Response retryAll(@FormParam("platform") String platform, @FormParam("store") String storeId)
            throws InterruptedException {
        QuarantineBulkRetry.Filter filter = new QuarantineBulkRetry.Filter(platform, storeId, null);
        String outcome = bulkRetry.retryAll(filter).summary("quarantined records");
        UriBuilder page = UriBuilder.fromPath("/console/quarantine");
        if (filter.platform() != null && filter.store() != null) {
            page.queryParam("platform", filter.platform()).queryParam("store", filter.store());
        }
        return Response.seeOther(page.queryParam("retried", outcome).build()).build();
    }

    @GET
    @Path("/login")
    @Operation(hidden = true)
    public TemplateInstance loginPage() {
        return login.data("error", null).data("configured", sessions.configured());
    }

    @POST
    @Path("/login")
    @Operation(hidden = true)
    public Response login(@FormParam("token") String token) {
        Optional<String> session = sessions.login(token);
        if (session.isEmpty()) {
            LOG.info("console login refused: not the admin token");
            return Response.status(401)
                    .entity(login.data("error", "That is not the admin token.")
                            .data("configured", sessions.configured()))
                    .build();
        }
        return Response.seeOther(URI.create("/console"))
                .cookie(cookie(session.get(), (int) sessions.ttl().toSeconds()))
                .build();
    }

    @POST
    @Path("/logout")
    @Operation(hidden = true)
    public Response logout() {
        return Response.seeOther(URI.create("/console/login"))
                .cookie(cookie("", 0))
                .build();
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(BrowserSessions.COOKIE)
                .value(value)
                .path("/console")
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(secureCookie)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }
}
