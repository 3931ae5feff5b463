package dev.commercesync.console;

import dev.commercesync.schemas.envelope.FindingKind;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The reconciliation findings' page (docs/console.md): the last hours, newest first. */
@Path("/console/findings")
@Produces(MediaType.TEXT_HTML)
public class FindingPages {
    private final FindingService findings;
    private final Template findingsPage;

    public FindingPages(FindingService findings, @Location("findings") Template findingsPage) {
        this.findings = findings;
        this.findingsPage = findingsPage;
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance list(
            @QueryParam("platform") String platform,
            @QueryParam("store") String store,
            @QueryParam("kind") String kind,
            @QueryParam("hours") @DefaultValue("24") int hours) {
        FindingService.Filter filter;
        try {
            filter = new FindingService.Filter(platform, store, kind, hours);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return findingsPage
                .data("found", findings.list(filter, CommandsApi.MAX_LIMIT))
                .data("filter", filter)
                .data("kinds", FindingKind.values());
    }
}
