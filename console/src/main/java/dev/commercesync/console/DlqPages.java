package dev.commercesync.console;

import dev.commercesync.kafka.SyncDeadLetters;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The dead-letter browser's pages (docs/console.md), behind the browser session like every {@code /console} page. */
@Path("/console/dlq")
@Produces(MediaType.TEXT_HTML)
public class DlqPages {
    private final DeadLetterService deadLetters;
    private final Template dlq;
    private final Template deadletter;

    public DlqPages(DeadLetterService deadLetters, Template dlq, Template deadletter) {
        this.deadLetters = deadLetters;
        this.dlq = dlq;
        this.deadletter = deadletter;
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance list(
            @QueryParam("platform") String platform,
            @QueryParam("store") String store,
            @QueryParam("error_class") String errorClass,
            @QueryParam("include_retried") @DefaultValue("false") boolean includeRetried,
            @QueryParam("outcome") String outcome) {
        DeadLetterService.Filter filter = filter(platform, store, errorClass);
        return dlq.data("items", deadLetters.list(filter, includeRetried))
                .data("filter", filter)
                .data("includeRetried", includeRetried)
                .data("errorClasses", SyncErrorClass.values())
                .data("outcome", outcome);
    }

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public TemplateInstance show(@PathParam("id") String id, @QueryParam("outcome") String outcome) {
        return deadletter
                .data("detail", deadLetters.show(id).orElseThrow(NotFoundException::new))
                .data("outcome", outcome);
    }

    @POST
    @Path("/{id}/retry")
    @Operation(hidden = true)
    public Response retry(
            @PathParam("id") String id,
            @FormParam("platform") String platform,
            @FormParam("store") String store,
            @FormParam("error_class") String errorClass)
            throws InterruptedException, ExecutionException {
        String outcome;
        try {
            outcome = "Re-submitted " + id + " as " + deadLetters.retry(id).resubmittedAs();
        } catch (NoSuchElementException | SyncDeadLetters.NotRetryable e) {
            outcome = e.getMessage();
        }
        return back(filter(platform, store, errorClass), outcome);
    }

    /** Retries every dead letter the page shows (its filter; all of them when it has none). */
    @POST
    @Path("/retry")
    @Operation(hidden = true)
    public Response retryAll(
            @FormParam("platform") String platform,
            @FormParam("store") String store,
            @FormParam("error_class") String errorClass)
            throws InterruptedException {
        DeadLetterService.Filter filter = filter(platform, store, errorClass);
        return back(filter, deadLetters.retryAll(filter).summary("dead letters"));
    }

    private static DeadLetterService.Filter filter(String platform, String store, String errorClass) {
        try {
            return new DeadLetterService.Filter(platform, store, errorClass);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static Response back(DeadLetterService.Filter filter, String outcome) {
        UriBuilder page = UriBuilder.fromPath("/console/dlq");
        if (filter.platform() != null) {
            page.queryParam("platform", filter.platform());
        }
        if (filter.store() != null) {
            page.queryParam("store", filter.store());
        }
        if (filter.errorClass() != null) {
            page.queryParam("error_class", filter.errorClass());
        }
        return Response.seeOther(page.queryParam("outcome", outcome).build()).build();
    }
}
